import Autodiff
import Dispatch
import NumericalCore
import XCTest
import _TestSupport

/// Semantics of the tape: accumulation, unused inputs, stale values, threads.
final class TapeTests: XCTestCase {
    /// f(x) = Σ (x·x + 3x) uses x three times: ∇f = 2x + 3.
    func testGradientsAccumulateOverUses() {
        let x = Tensor<Double>(shape: [2, 2], scalars: [1, -2, 0.5, 4])
        let g = gradient(at: x) { x in (x * x + x * 3).sum() }
        XCTAssertEqual(g.doubles, [5, -1, 4, 11])
    }

    func testUnusedInputGetsZerosOfItsShape() {
        let a = Tensor<Double>.ones([3]), b = Tensor<Double>.ones([2, 5])
        let (value, grads) = valueWithGradient(at: [a, b]) { p in p[0].sum() * 2 }
        XCTAssertEqual(value.scalar, 6)
        XCTAssertEqual(grads[0].doubles, [2, 2, 2])
        XCTAssertEqual(grads[1].shape, [2, 5])
        XCTAssertEqual(grads[1].doubles, [Double](repeating: 0, count: 10))
    }

    /// A value kept from a finished differentiation is a constant in the next one.
    func testValueFromFinishedTapeIsConstant() {
        let x = Tensor<Double>(shape: [2], scalars: [1, 2])
        var kept: Tensor<Double>?
        _ = gradient(at: x) { x in
            kept = x * 10
            return x.sum()
        }
        let g = gradient(at: x) { x in (x * kept!).sum() }
        XCTAssertEqual(g.doubles, [10, 20])
    }

    /// Each thread has its own tape: four threads differentiate k·Σx² at once.
    func testThreadsDifferentiateIndependently() {
        let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * 300)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            var generator = RandomGenerator(seed: UInt64(k))
            let x = Tensor<Double>.randomNormal(shape: [300], using: &generator)
            for _ in 0..<20 {
                let g = gradient(at: x) { x in (x * x).sum() * Double(k + 1) }.scalars, xs = x.scalars
                for i in 0..<300 { results[k * 300 + i] = g[i] - 2 * Double(k + 1) * xs[i] }
            }
        }
        XCTAssertEqual(results.max()!, 0)
        XCTAssertEqual(results.min()!, 0)
    }
}
