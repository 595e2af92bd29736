import Autodiff
import NumericalCore

/// The S-JKO toy potential v(y): the toy map's trunk and head, to a scalar.
///
/// ```
/// v(y) = head(trunk(y)),  head = Linear(128, 128) – SiLU – Linear(128, 1)
/// ```
/// Shapes: y `[n, d]` → `[n]`.
public struct ToyPotential<Scalar: TensorScalar>: Layer {
    public var trunk: ResidualMLP<Scalar>
    public var head: TwoLayerPerceptron<Scalar>

    public init(dimension: Int = 2, width: Int = 128, blockCount: Int = 3, layersPerBlock: Int = 3,
                generator: inout RandomGenerator) {
        trunk = ResidualMLP(inputSize: dimension, width: width, blockCount: blockCount,
                            layersPerBlock: layersPerBlock, generator: &generator)
        head = TwoLayerPerceptron(inputSize: width, hiddenSize: width, outputSize: 1, generator: &generator)
    }

    /// v(y): y `[n, d]` → `[n]`.
    public func callAsFunction(_ y: Tensor<Scalar>) -> Tensor<Scalar> {
        head(trunk(y)).reshaped(to: [y.shape[0]])
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        trunk.visitParameters(body)
        head.visitParameters(body)
    }

    public var parameterNames: [String] {
        Self.prefixed("trunk", trunk.parameterNames) + Self.prefixed("head", head.parameterNames)
    }

    /// Forward FLOPs for n samples.
    public func flops(batch n: Int) -> Int { trunk.flops(batch: n) + head.flops(batch: n) }
}
