import Autodiff
import NumericalCore

/// The S-JKO toy map T(x, z) of DESIGN.md §1.3 (Choi, Choi & Kang 2024, official code).
///
/// ```
/// T(x, z) = head(trunk(x) + noise(z))
/// trunk = ResidualMLP(d → 128, 3 blocks × 3 [Linear, SiLU], h ← (h + block(h))/√2)
/// noise = Linear(z-dim, 128) – SiLU – Linear(128, 128)
/// head  = Linear(128, 128) – SiLU – Linear(128, d)
/// ```
/// Shapes: x `[n, d]`, z `[n, noiseSize]` → `[n, d]`. With `noiseSize == 0` the noise
/// branch is absent and T is deterministic.
public struct ToyMap<Scalar: TensorScalar>: Layer {
    public var trunk: ResidualMLP<Scalar>
    /// nil when the map takes no noise.
    public var noise: TwoLayerPerceptron<Scalar>?
    public var head: TwoLayerPerceptron<Scalar>

    public let dimension: Int
    public let noiseSize: Int

    public init(dimension: Int = 2, noiseSize: Int = 2, width: Int = 128, blockCount: Int = 3,
                layersPerBlock: Int = 3, generator: inout RandomGenerator) {
        self.dimension = dimension
        self.noiseSize = noiseSize
        trunk = ResidualMLP(inputSize: dimension, width: width, blockCount: blockCount,
                            layersPerBlock: layersPerBlock, generator: &generator)
        noise = noiseSize > 0
            ? TwoLayerPerceptron(inputSize: noiseSize, hiddenSize: width, outputSize: width, generator: &generator) : nil
        head = TwoLayerPerceptron(inputSize: width, hiddenSize: width, outputSize: dimension, generator: &generator)
    }

    /// T(x, z): x `[n, d]`, z `[n, noiseSize]` (nil only when `noiseSize == 0`) → `[n, d]`.
    public func callAsFunction(_ x: Tensor<Scalar>, noise z: Tensor<Scalar>?) -> Tensor<Scalar> {
        var features = trunk(x)
        if let noise {
            guard let z else { preconditionFailure("ToyMap with noiseSize \(noiseSize) needs a noise tensor") }
            features = features + noise(z)
        }
        return head(features)
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        trunk.visitParameters(body)
        if noise != nil { noise!.visitParameters(body) }
        head.visitParameters(body)
    }

    public var parameterNames: [String] {
        Self.prefixed("trunk", trunk.parameterNames)
            + (noise.map { Self.prefixed("noise", $0.parameterNames) } ?? [])
            + Self.prefixed("head", head.parameterNames)
    }

    /// Forward FLOPs for n samples.
    public func flops(batch n: Int) -> Int {
        trunk.flops(batch: n) + (noise?.flops(batch: n) ?? 0) + head.flops(batch: n) + (noise == nil ? 0 : n * trunk.width)
    }
}
