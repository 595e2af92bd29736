import Autodiff
import NeuralNetworks
import NumericalCore
import XCTest
import _TestSupport

/// The DESIGN.md §1.3 toy networks: structure, forward values against PyTorch, and
/// that they can be trained (they fit small regression problems to a stated loss).
final class ToyNetworkTests: XCTestCase {
    let x = Tensor<Double>(shape: [3, 2], scalars: [0.5, -1, 2, 0.25, -1.5, 1])
    let z = Tensor<Double>(shape: [3, 2], scalars: [0.1, 0.2, -0.3, 0.4, 1, -1])

    func testLinearIsXWTransposePlusB() {
        let layer = Linear<Double>(weight: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
                                   bias: Tensor(shape: [2], scalars: [0.5, -1]))
        let y = layer(Tensor(shape: [1, 3], scalars: [1, -1, 2]))
        XCTAssertEqual(y.shape, [1, 2])
        assertClose(y.doubles, [1 - 2 + 6 + 0.5, 4 - 5 + 12 - 1], atol: 1e-15)
        XCTAssertEqual(layer.flops(batch: 10), 2 * 10 * 3 * 2 + 10 * 2)
    }

    func testParameterListsMatchThePyTorchModules() {
        var rng = RandomGenerator(seed: 1)
        let map = ToyMap<Float>(generator: &rng)
        let potential = ToyPotential<Float>(generator: &rng)
        // Counts of benchmarks/reference/sjko_toy_iteration.py (ToyMap, ToyPotential).
        XCTAssertEqual(map.parameters.count, 28)
        XCTAssertEqual(map.parameterScalarCount, 182_658)
        XCTAssertEqual(potential.parameters.count, 24)
        XCTAssertEqual(potential.parameterScalarCount, 165_633)
        XCTAssertEqual(Array(map.parameterNames.prefix(6)),
                       ["trunk.input.weight", "trunk.input.bias", "trunk.blocks.0.0.weight",
                        "trunk.blocks.0.0.bias", "trunk.blocks.0.2.weight", "trunk.blocks.0.2.bias"])
        XCTAssertEqual(Array(map.parameterNames.suffix(6)),
                       ["noise.2.weight", "noise.2.bias", "head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias"])
        XCTAssertEqual(map.parameterNames.count, map.parameters.count)
        XCTAssertEqual(Set(potential.parameterNames).count, potential.parameters.count)
        let deterministic = ToyMap<Float>(noiseSize: 0, generator: &rng)
        XCTAssertEqual(deterministic.parameters.count, 24, "no noise branch")
    }

    /// Golden values: the seeded networks written as a checkpoint, loaded into the PyTorch
    /// modules of benchmarks/reference/sjko_toy_iteration.py with `load_state_dict`
    /// (float64), evaluated there. Agreement to 1e-13: same arithmetic, other summation order.
    func testForwardValuesMatchPyTorch() {
        var rng = RandomGenerator(seed: 5)
        let map = ToyMap<Double>(generator: &rng)
        let potential = ToyPotential<Double>(generator: &rng)
        let t = map(x, noise: z)
        XCTAssertEqual(t.shape, [3, 2])
        assertClose(t.doubles, [-0.060448198935402875, 0.01057035395059027, 0.025678391458521677,
                                -0.045357501018911506, -0.0045595728290667124, 0.14273883956264416], atol: 1e-13)
        let v = potential(x)
        XCTAssertEqual(v.shape, [3])
        assertClose(v.doubles, [-0.061815669639013825, -0.11272852564944988, -0.03439366169140449], atol: 1e-13)
    }

    func testResidualBlockFormulaOnATinyTrunk() {
        // Width 2, one block of one layer: h₀ = W₀x + b₀, h₁ = (h₀ + SiLU(W₁h₀ + b₁))/√2.
        var rng = RandomGenerator(seed: 9)
        var trunk = ResidualMLP<Double>(inputSize: 2, width: 2, blockCount: 1, layersPerBlock: 1, generator: &rng)
        trunk.parameters = [Tensor(shape: [2, 2], scalars: [1, 2, -1, 0.5]), Tensor(shape: [2], scalars: [0.1, -0.2]),
                            Tensor(shape: [2, 2], scalars: [0.3, -0.7, 0.2, 0.4]), Tensor(shape: [2], scalars: [0, 0.5])]
        let input: [Double] = [0.5, -1]
        let h0: [Double] = [0.5 - 2 + 0.1, -0.5 - 0.5 - 0.2]
        let pre0: Double = 0.3 * h0[0] - 0.7 * h0[1]
        let pre1: Double = 0.2 * h0[0] + 0.4 * h0[1] + 0.5
        let pre = [pre0, pre1]
        let silu = pre.map { $0 / (1 + Foundation.exp(-$0)) }
        let expected = zip(h0, silu).map { ($0 + $1) / 2.0.squareRoot() }
        assertClose(trunk(Tensor(shape: [1, 2], scalars: input)).doubles, expected, atol: 1e-15)
    }

    /// Regression: v fits f(y) = sin(y₁)·cos(y₂) on 128 points of [−2, 2]² and T fits the
    /// affine map x ↦ (2x₁ + 1, x₁ − x₂) whatever the noise, with Adam (lr 1e-3), 120
    /// full-batch steps in Float. Stated loss: mean squared error below 0.005 for both
    /// (about 0.2 for v and 3 for T at the start; seed 21 reaches ≈ 8e-4 and ≈ 7e-4).
    func testToyNetworksFitSmallRegressionProblems() {
        var rng = RandomGenerator(seed: 21)
        let n = 128
        let yValues = (0..<(2 * n)).map { _ in Float(4 * rng.uniform() - 2) }
        let y = Tensor<Float>(shape: [n, 2], scalars: yValues)
        let fValues: [Float] = (0..<n).map { i in
            Float(Foundation.sin(Double(yValues[2 * i])) * Foundation.cos(Double(yValues[2 * i + 1])))
        }
        let f = Tensor<Float>(shape: [n], scalars: fValues)
        var potential = ToyPotential<Float>(generator: &rng)
        var adam = Adam<Float>(learningRate: 1e-3)
        var loss: Float = .infinity
        for _ in 0..<120 {
            let current = potential
            let (value, grads) = valueWithGradient(at: current.parameters) { p in
                let gap = current.replacingParameters(p)(y) - f
                return (gap * gap).mean()
            }
            loss = value.scalar
            adam.step(&potential, gradients: grads)
        }
        XCTAssertLessThan(loss, 0.005, "potential regression loss")

        var targetValues: [Float] = []
        for i in 0..<n {
            let (a, b) = (yValues[2 * i], yValues[2 * i + 1])
            targetValues += [2 * a + 1, a - b]
        }
        let target = Tensor<Float>(shape: [n, 2], scalars: targetValues)
        var map = ToyMap<Float>(generator: &rng)
        var mapAdam = Adam<Float>(learningRate: 1e-3)
        for _ in 0..<120 {
            let noise = Tensor<Float>.randomNormal(shape: [n, 2], using: &rng)
            let current = map
            let (value, grads) = valueWithGradient(at: current.parameters) { p in
                let gap = current.replacingParameters(p)(y, noise: noise) - target
                return (gap * gap).sum(alongAxis: 1).mean()
            }
            loss = value.scalar
            mapAdam.step(&map, gradients: grads)
        }
        XCTAssertLessThan(loss, 0.005, "map regression loss")
    }

    func testOptimizerStepOverALayerMatchesTheArrayForm() {
        var rng = RandomGenerator(seed: 4)
        var layer = Linear<Double>(inputSize: 3, outputSize: 2, generator: &rng)
        var arrays = layer.parameters.map(\.scalars)
        let gradients = layer.parameters.map { Tensor<Double>(shape: $0.shape, scalars: (0..<$0.scalarCount).map { Double($0) - 1.5 }) }
        var a = Adam<Double>(learningRate: 0.1), b = Adam<Double>(learningRate: 0.1)
        for _ in 0..<3 {
            a.step(&layer, gradients: gradients)
            b.step(&arrays, gradients: gradients.map(\.scalars))
        }
        XCTAssertEqual(layer.parameters.map(\.scalars), arrays)

        var ema = ExponentialMovingAverage<Double>(decay: 0.5)
        let before = layer
        ema.update(from: layer)
        layer.parameters = layer.parameters.map { $0 * 3 }
        ema.update(from: layer)
        // θ̄ = 0.5θ + 0.5·3θ = 2θ.
        assertClose(ema.averaged(layer).parameters[0].doubles, (before.parameters[0] * 2).doubles, atol: 1e-15)
    }
}
