import Autodiff
import NumericalCore
import XCTest
import _TestSupport

/// One row of the gradient table: a name, the input shapes, and a function of the inputs.
struct GradientCase {
    let name: String
    let shapes: [[Int]]
    /// Inputs drawn as 0.5 + |N(0, 1)| for functions defined only for positive arguments.
    var positive = false
    let function: ([Tensor<Double>]) -> Tensor<Double>

    init(_ name: String, _ shapes: [[Int]], positive: Bool = false,
         _ function: @escaping ([Tensor<Double>]) -> Tensor<Double>) {
        self.name = name
        self.shapes = shapes
        self.positive = positive
        self.function = function
    }
}

/// Seeded inputs for a case.
func inputs(for testCase: GradientCase, seed: UInt64) -> [Tensor<Double>] {
    var generator = RandomGenerator(seed: seed)
    return testCase.shapes.map { shape in
        let t = Tensor<Double>.randomNormal(shape: shape, using: &generator)
        return testCase.positive ? Tensor(shape: shape, scalars: t.scalars.map { 0.5 + Swift.abs($0) }) : t
    }
}

/// Central finite differences of a scalar function of several tensors:
/// ∂f/∂xᵢ ≈ (f(x + εeᵢ) − f(x − εeᵢ))/(2ε), truncation error O(ε²·f‴).
func finiteDifferenceGradients(of f: ([Tensor<Double>]) -> Double, at x: [Tensor<Double>],
                               step: Double = 1e-5) -> [[Double]] {
    x.indices.map { k in
        var values = x[k].scalars
        return values.indices.map { i in
            let original = values[i]
            var shifted = x
            values[i] = original + step
            shifted[k] = Tensor(shape: x[k].shape, scalars: values)
            let up = f(shifted)
            values[i] = original - step
            shifted[k] = Tensor(shape: x[k].shape, scalars: values)
            let down = f(shifted)
            values[i] = original
            return (up - down) / (2 * step)
        }
    }
}

/// Asserts that reverse-mode gradients of ⟨f(x), R⟩ (R a fixed random tensor, so every
/// output element matters) match central differences.
///
/// Tolerance: ε = 1e-5 gives truncation ≈ 1e-10·f‴ and rounding ≈ 1e-16/1e-5 = 1e-11
/// relative to |f|, so 1e-6 relative (1e-7 absolute) leaves a wide margin for O(1) data.
func assertGradientsMatch(_ testCase: GradientCase, seed: UInt64 = 7,
                          file: StaticString = #filePath, line: UInt = #line) {
    let x = inputs(for: testCase, seed: seed)
    let output = testCase.function(x)
    var generator = RandomGenerator(seed: seed &+ 1000)
    let weights = Tensor<Double>.randomNormal(shape: output.shape, using: &generator)
    let loss: ([Tensor<Double>]) -> Tensor<Double> = { (testCase.function($0) * weights).sum() }
    let (value, gradients) = valueWithGradient(at: x, of: loss)
    assertClose(value.scalar, loss(x).scalar, rtol: 1e-12, "\(testCase.name): value", file: file, line: line)
    let expected = finiteDifferenceGradients(of: { loss($0).scalar }, at: x)
    for k in x.indices {
        XCTAssertEqual(gradients[k].shape, x[k].shape, "\(testCase.name): gradient shape of input \(k)",
                       file: file, line: line)
        assertClose(gradients[k].doubles, expected[k], atol: 1e-7, rtol: 1e-6,
                    "\(testCase.name): input \(k)", file: file, line: line)
    }
}
