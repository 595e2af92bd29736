import Autodiff
import NumericalCore
import XCTest
import _TestSupport

/// Gradients of gradients (the R1 penalty's d/dθ E|∇ₓ v(x; θ)|²) against central
/// differences of the first-order gradient norm, which the gradient table checks.
final class SecondOrderTests: XCTestCase {
    /// v(x; θ) = Σ_rows W₂·act(W₁x + b₁) + x·c (a small MLP potential plus a linear term),
    /// θ = (W₁ `[7, 3]`, b₁ `[7]`, W₂ `[1, 7]`, c `[3, 1]`), x `[5, 3]`.
    func potential(_ x: Tensor<Double>, _ θ: [Tensor<Double>],
                   _ activation: (Tensor<Double>) -> Tensor<Double>) -> Tensor<Double> {
        let hidden = activation(linear(x, weight: θ[0], bias: θ[1]))
        return (linear(hidden, weight: θ[2], bias: nil) + matmul(x, θ[3])).sum()
    }

    /// |∇ₓ v|² by a first-order (top-level) gradient.
    func penalty(_ x: Tensor<Double>, _ θ: [Tensor<Double>],
                 _ activation: @escaping (Tensor<Double>) -> Tensor<Double>) -> Double {
        let g = gradient(at: x) { potential($0, θ, activation) }
        return (g * g).sum().scalar
    }

    func parameters(seed: UInt64) -> (x: Tensor<Double>, θ: [Tensor<Double>]) {
        var generator = RandomGenerator(seed: seed)
        let x = Tensor<Double>.randomNormal(shape: [5, 3], using: &generator)
        let θ = [[7, 3], [7], [1, 7], [3, 1]].map { Tensor<Double>.randomNormal(shape: $0, using: &generator) }
        return (x, θ)
    }

    func testGradientOfGradientNormMatchesFiniteDifferences() {
        let activations: [(String, (Tensor<Double>) -> Tensor<Double>)] = [
            ("silu", { $0.silu() }), ("tanh", { $0.tanh() }), ("sigmoid", { $0.sigmoid() }),
            ("softplus", { $0.softplus() }), ("leaky relu", { $0.leakyRelu(slope: 0.1) }),
            ("exp·log1p∘x²", { $0.exp() * 0.1 + ($0 * $0).log1p() }),
        ]
        for (name, activation) in activations {
            let (x, θ) = parameters(seed: 11)
            let (value, gradients) = valueWithGradient(at: θ) { θ in
                let g = gradient(at: x) { potential($0, θ, activation) }
                return (g * g).sum()
            }
            assertClose(value.scalar, penalty(x, θ, activation), rtol: 1e-12, "\(name): value")
            let expected = finiteDifferenceGradients(of: { penalty(x, $0, activation) }, at: θ)
            for k in θ.indices {
                XCTAssertEqual(gradients[k].shape, θ[k].shape, "\(name): shape of gradient \(k)")
                // Same tolerance argument as the gradient table (O(1) values, ε = 1e-5).
                assertClose(gradients[k].doubles, expected[k], atol: 1e-6, rtol: 1e-5, "\(name): parameter \(k)")
            }
        }
    }

    /// The inner input is itself computed from the outer parameters (y = x·A, as the
    /// potential is evaluated at the map's output): d/dA and d/dθ of |∇_y v(y; θ)|².
    func testSecondOrderThroughRecordedInput() {
        let (x, θ) = parameters(seed: 12)
        var generator = RandomGenerator(seed: 13)
        let a = Tensor<Double>.randomNormal(shape: [3, 3], using: &generator)
        func loss(_ p: [Tensor<Double>]) -> Tensor<Double> {
            let y = matmul(x, p[4])
            let g = gradient(at: y) { potential($0, Array(p[0..<4]), { $0.silu() }) }
            return (g * g).sum() + y.squared().mean()
        }
        let (_, gradients) = valueWithGradient(at: θ + [a]) { loss($0) }
        let expected = finiteDifferenceGradients(of: { loss($0).scalar }, at: θ + [a])
        for k in expected.indices {
            assertClose(gradients[k].doubles, expected[k], atol: 1e-6, rtol: 1e-5, "input \(k)")
        }
    }

    /// Top-level gradients are plain values: using one in a later computation records
    /// nothing and its own gradient is zero.
    func testTopLevelGradientIsNotDifferentiable() {
        let (x, θ) = parameters(seed: 14)
        let g = gradient(at: x) { potential($0, θ, { $0.tanh() }) }
        let (_, outer) = valueWithGradient(at: [θ[0]]) { _ in (g * g).sum() }
        XCTAssertEqual(outer[0].doubles, [Double](repeating: 0, count: 21))
    }

    /// d/dθ |∇ₓ v(x; θ)|² by nested gradients against central differences.
    func assertPenaltyGradientsMatch(x: Tensor<Double>, θ: [Tensor<Double>],
                                     potential: @escaping (Tensor<Double>, [Tensor<Double>]) -> Tensor<Double>,
                                     file: StaticString = #filePath, line: UInt = #line) {
        func penalty(_ θ: [Tensor<Double>]) -> Tensor<Double> {
            let g = gradient(at: x) { potential($0, θ) }
            return (g * g).sum()
        }
        let (_, gradients) = valueWithGradient(at: θ, of: penalty)
        let expected = finiteDifferenceGradients(of: { penalty($0).scalar }, at: θ)
        for k in θ.indices {
            assertClose(gradients[k].doubles, expected[k], atol: 1e-6, rtol: 1e-5, "parameter \(k)", file: file, line: line)
        }
    }

    /// R1 on a small conv potential (conv stride 2 padding 1, SiLU, group norm, pooling,
    /// upsampling, transposed conv): d/dθ |∇ₓ v(x; θ)|² against central differences.
    func testSecondOrderThroughConvolutions() {
        var generator = RandomGenerator(seed: 15)
        let x = Tensor<Double>.randomNormal(shape: [2, 2, 6, 5], using: &generator)
        let θ = [[4, 2, 3, 3], [4], [4], [4, 3, 2, 2], [1, 3, 1, 1]].map {
            Tensor<Double>.randomNormal(shape: $0, standardDeviation: 0.5, using: &generator)
        }
        func potential(_ x: Tensor<Double>, _ θ: [Tensor<Double>]) -> Tensor<Double> {
            let h = conv2d(x, weight: θ[0], bias: θ[1], stride: 2, padding: 1)       // [2, 4, 3, 3]
                .groupNormalized(groups: 2, scale: θ[2]).silu()
            let up = transposedConv2d(h, weight: θ[3], stride: 2)                      // [2, 3, 6, 6]
            let z = conv2d(up.upsampledNearest(factor: 2).averagePooled(size: 2), weight: θ[4]).softplus()
            return (z * z).sum() * 0.1
        }
        assertPenaltyGradientsMatch(x: x, θ: θ, potential: potential)
    }

    /// R1 through the stride-1 path of the image networks: a 3×3 padding-1 convolution with
    /// bias, group norm with scale and offset, a per-sample channel affine (FiLM), SiLU,
    /// pooling, upsampling, a 1×1 convolution.
    func testSecondOrderThroughStrideOneImageBlock() {
        var generator = RandomGenerator(seed: 16)
        let x = Tensor<Double>.randomNormal(shape: [2, 2, 4, 6], using: &generator)
        let θ = [[4, 2, 3, 3], [4], [4], [4], [2, 4], [2, 4], [1, 4, 1, 1]].map {
            Tensor<Double>.randomNormal(shape: $0, standardDeviation: 0.5, using: &generator)
        }
        func potential(_ x: Tensor<Double>, _ θ: [Tensor<Double>]) -> Tensor<Double> {
            let h = conv2d(x, weight: θ[0], bias: θ[1], padding: 1)                  // [2, 4, 4, 6]
                .groupNormalized(groups: 2, scale: θ[2], offset: θ[3])
                .channelAffine(scale: θ[4] + 1, offset: θ[5]).silu()
            let z = conv2d(h.averagePooled(size: 2).upsampledNearest(factor: 2), weight: θ[6]).softplus()
            return (z * z).sum() * 0.1
        }
        assertPenaltyGradientsMatch(x: x, θ: θ, potential: potential)
    }
}

/// Third derivatives by three nested gradients, against central differences of the
/// second derivative (two nested gradients, itself checked above): exercises the
/// tensor-operation pullbacks that a recorded second-order sweep uses.
final class ThirdOrderTests: XCTestCase {
    func testThirdDerivativesOfActivations() {
        let activations: [(String, (Tensor<Double>) -> Tensor<Double>)] = [
            ("silu", { $0.silu() }), ("tanh", { $0.tanh() }), ("sigmoid", { $0.sigmoid() }),
            ("softplus", { $0.softplus() }), ("exp", { $0.exp() }), ("log1p∘x²", { ($0 * $0).log1p() }),
            ("sin", { $0.sin() }),
        ]
        let x = Tensor<Double>(shape: [7], scalars: [-3, -1.2, -0.3, 0.1, 0.7, 1.5, 4])
        for (name, f) in activations {
            /// f″ elementwise: the gradient of Σ f′, f′ = the gradient of Σ f.
            func second(_ x: Tensor<Double>) -> Tensor<Double> {
                gradient(at: x) { x in gradient(at: x) { f($0).sum() }.sum() }
            }
            let third = gradient(at: x) { x in second(x).sum() }
            let step = 1e-5
            let expected = (second(x + step) - second(x - step)).doubles.map { $0 / (2 * step) }
            // Central differences of an O(1) smooth function: error ≈ 1e-10 + 1e-11.
            assertClose(third.doubles, expected, atol: 1e-7, rtol: 1e-6, name)
        }
    }
}
