import Autodiff
import NumericalCore

/// Linear–SiLU–Linear, the heads and the noise embedding of the toy networks.
///
/// Parameter names `0.weight`, `0.bias`, `2.weight`, `2.bias`, as PyTorch names
/// `nn.Sequential(Linear, SiLU, Linear)`.
public struct TwoLayerPerceptron<Scalar: TensorScalar>: Layer {
    public var first: Linear<Scalar>
    public var second: Linear<Scalar>

    public init(inputSize: Int, hiddenSize: Int, outputSize: Int, generator: inout RandomGenerator) {
        first = Linear(inputSize: inputSize, outputSize: hiddenSize, generator: &generator)
        second = Linear(inputSize: hiddenSize, outputSize: outputSize, generator: &generator)
    }

    /// x `[n, in]` → `[n, out]`: W₂ SiLU(W₁x + b₁) + b₂.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { second(first(x).silu()) }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        first.visitParameters(body)
        second.visitParameters(body)
    }

    public var parameterNames: [String] {
        Self.prefixed("0", first.parameterNames) + Self.prefixed("2", second.parameterNames)
    }

    public func flops(batch n: Int) -> Int { first.flops(batch: n) + second.flops(batch: n) }
}
