import Autodiff
import NumericalCore

/// Fully connected layer, PyTorch's layout: y = x·Wᵀ + b.
///
/// Shapes: x `[n, inputSize]`, W `[outputSize, inputSize]`, b `[outputSize]` →
/// y `[n, outputSize]`. One fused gemm (`Autodiff.linear`): the bias is written into the
/// output rows and the product accumulates onto it. Cost 2·n·in·out FLOPs forward,
/// twice that backward. Default initialisation is PyTorch's: W, b ~ U(±1/√inputSize).
public struct Linear<Scalar: TensorScalar>: Layer {
    /// `[outputSize, inputSize]`.
    public var weight: Tensor<Scalar>
    /// `[outputSize]`, or nil for a layer without bias.
    public var bias: Tensor<Scalar>?

    public var inputSize: Int { weight.shape[1] }
    public var outputSize: Int { weight.shape[0] }

    /// A layer with the given tensors (`weight [out, in]`, `bias [out]`).
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>?) {
        precondition(weight.rank == 2, "Linear weight must be [out, in], got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]],
                     "Linear bias must be [\(weight.shape[0])], got \(bias!.shape)")
        self.weight = weight
        self.bias = bias
    }

    /// A seeded layer `inputSize → outputSize`.
    public init(inputSize: Int, outputSize: Int, bias: Bool = true,
                weightInitializer: Initializer = .linearDefault, biasInitializer: Initializer = .linearDefault,
                generator: inout RandomGenerator) {
        let shape = [outputSize, inputSize]
        let w: [Scalar] = weightInitializer.values(shape: shape, generator: &generator)
        let b: [Scalar]? = bias
            ? biasInitializer.values(count: outputSize, fanIn: inputSize, fanOut: outputSize, generator: &generator)
            : nil
        self.init(weight: Tensor(shape: shape, scalars: w), bias: b.map { Tensor(shape: [outputSize], scalars: $0) })
    }

    /// x `[n, in]` → `[n, out]`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        linear(x, weight: weight, bias: bias)
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        body(&weight)
        if bias != nil { body(&bias!) }
    }

    public var parameterNames: [String] { bias == nil ? ["weight"] : ["weight", "bias"] }

    /// Forward FLOPs for a batch of n rows (multiply-adds count 2).
    public func flops(batch n: Int) -> Int { 2 * n * inputSize * outputSize + (bias == nil ? 0 : n * outputSize) }
}
