import Autodiff
import NumericalCore

/// Feature-wise affine conditioning (FiLM, Perez et al. 2018; AdaGN of DDGAN/UOTM
/// generators when applied right after a group normalisation).
///
/// An embedding e `[N, E]` (of the noise z, or of a time) gives per-sample, per-channel
/// scale and shift through one linear layer, [γ, β] = W e + b (`[N, 2C]`), and
/// ```
/// y[n, c, …] = h[n, c, …] · (1 + γ[n, c]) + β[n, c]
/// ```
/// for features h `[N, C, H, W]` (or `[N, C]`). The `1 +` makes a zero-initialised layer
/// the identity; by default W and b start at 0, so conditioning is learned from there.
/// Parameter names `dense.weight`, `dense.bias`.
public struct NoiseConditioning<Scalar: TensorScalar>: Layer {
    /// `Linear(embeddingSize, 2·channels)`: rows 0..<C give γ, rows C..<2C give β.
    public var dense: Linear<Scalar>

    public var channels: Int { dense.outputSize / 2 }
    public var embeddingSize: Int { dense.inputSize }

    public init(embeddingSize: Int, channels: Int, initializer: Initializer = .zeros, generator: inout RandomGenerator) {
        dense = Linear(inputSize: embeddingSize, outputSize: 2 * channels,
                       weightInitializer: initializer, biasInitializer: initializer, generator: &generator)
    }

    /// h `[N, C, …]`, embedding `[N, E]` → h·(1 + γ) + β, shape of h.
    public func callAsFunction(_ h: Tensor<Scalar>, embedding: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(h.rank >= 2 && h.shape[1] == channels && embedding.shape == [h.shape[0], embeddingSize],
                     "NoiseConditioning: features \(h.shape) and embedding \(embedding.shape) do not fit \(channels) channels, \(embeddingSize) inputs")
        let style = dense(embedding)
        let gamma = style.slice(alongAxis: 1, range: 0..<channels)
        let beta = style.slice(alongAxis: 1, range: channels..<(2 * channels))
        return h.channelAffine(scale: gamma + 1, offset: beta)
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        dense.visitParameters(body)
    }

    public var parameterNames: [String] { Self.prefixed("dense", dense.parameterNames) }
}
