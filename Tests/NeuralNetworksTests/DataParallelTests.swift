import Autodiff
import NeuralNetworks
import NumericalCore
import XCTest
import _TestSupport

/// Row-sharded training (``DataParallel``) against the serial computation: the same
/// batch-mean loss and gradients up to summation order, in Double on the toy networks.
final class DataParallelTests: XCTestCase {
    /// The S-JKO potential loss E_y[e^{−v(y)} − 1] + E[v(m)] on an odd batch.
    func testShardedGradientEqualsTheSerialGradient() {
        var rng = RandomGenerator(seed: 21)
        let potential = ToyPotential<Double>(generator: &rng)
        let batch = 37
        let y = Tensor<Double>.randomNormal(shape: [batch, 2], using: &rng)
        let moved = Tensor<Double>.randomNormal(shape: [batch, 2], using: &rng)
        func loss(_ v: ToyPotential<Double>, _ rows: Range<Int>) -> Tensor<Double> {
            (-v(y.rowSlice(rows))).expm1().mean() + v(moved.rowSlice(rows)).mean()
        }
        let serial = valueWithGradient(at: potential.parameters) { p in
            loss(potential.replacingParameters(p), 0..<batch)
        }
        for shards in [2, 3, 5] {
            let sharded = DataParallel.valueWithGradient(at: potential.parameters, batchSize: batch, shards: shards) { rows, p in
                loss(potential.replacingParameters(p), rows)
            }
            assertClose(sharded.value.scalar, serial.value.scalar, rtol: 1e-13, "shards \(shards)")
            XCTAssertEqual(sharded.gradients.map(\.shape), serial.gradients.map(\.shape))
            for (g, h) in zip(sharded.gradients, serial.gradients) {
                let scale = h.doubles.map(abs).max()!
                assertClose(g.doubles, h.doubles, atol: 1e-13 * scale, "shards \(shards)")
            }
        }
        // The sharded gradient is not the gradient of one shard: it depends on all rows.
        let firstHalf = valueWithGradient(at: potential.parameters) { p in loss(potential.replacingParameters(p), 0..<19) }
        XCTAssertGreaterThan(abs(firstHalf.gradients[0].doubles[0] - serial.gradients[0].doubles[0]), 1e-6)
    }

    func testMapRowsEqualsTheFullBatchPass() {
        var rng = RandomGenerator(seed: 22)
        let map = ToyMap<Double>(generator: &rng)
        let x = Tensor<Double>.randomNormal(shape: [41, 2], using: &rng)
        let z = Tensor<Double>.randomNormal(shape: [41, 2], using: &rng)
        let direct = map(x, noise: z)
        for shards in [1, 2, 4] {
            let sharded = DataParallel.mapRows(41, shards: shards) { rows in map(x.rowSlice(rows), noise: z.rowSlice(rows)) }
            XCTAssertEqual(sharded.shape, [41, 2])
            assertClose(sharded.doubles, direct.doubles, atol: 1e-15, "shards \(shards)")
        }
    }

    /// Inside a recording tape (a gradient of a gradient) the sharded call runs serially and
    /// stays differentiable: d/dθ |∇_θ L|² through DataParallel equals the direct form.
    func testShardedGradientIsDifferentiableInsideARecordingTape() {
        let x = Tensor<Double>(shape: [5, 2], scalars: [0.3, -1, 2, 0.5, -0.7, 1.1, 0.2, 0.9, -1.4, 0.6])
        let w = Tensor<Double>(shape: [3, 2], scalars: [0.5, -0.2, 0.1, 0.7, -0.4, 0.3])
        func inner(_ w: Tensor<Double>, _ rows: Range<Int>) -> Tensor<Double> {
            linear(x.rowSlice(rows), weight: w, bias: nil).silu().sum(alongAxis: 1).mean()
        }
        let direct = gradient(at: w) { w in
            let g = gradient(at: w) { w in inner(w, 0..<5) }
            return (g * g).sum()
        }
        let sharded = gradient(at: w) { w in
            let g = DataParallel.valueWithGradient(at: [w], batchSize: 5) { rows, p in inner(p[0], rows) }.gradients[0]
            return (g * g).sum()
        }
        XCTAssertGreaterThan(direct.doubles.map(abs).max()!, 1e-3)
        assertClose(sharded.doubles, direct.doubles, atol: 1e-14)
    }
}
