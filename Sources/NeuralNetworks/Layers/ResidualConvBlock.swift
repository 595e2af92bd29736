import Autodiff
import Foundation
import NumericalCore

/// Pre-activation residual block of convolutional generators and critics (DDPM/NCSN++
/// style), optionally conditioned on a noise embedding.
///
/// ```
/// h = conv₁(SiLU(GN₁(x)))                          3×3, padding 1, C_in → C_out
/// h = GN₂(h),  then  h = h·(1 + γ(e)) + β(e)        (AdaGN, when conditioned)
/// h = conv₂(SiLU(h))                               3×3, padding 1, C_out → C_out
/// y = (skip(x) + h)/√2,  skip = 1×1 conv if C_in ≠ C_out, else identity
/// ```
/// Shapes: x `[N, C_in, H, W]`, e `[N, E]` → y `[N, C_out, H, W]`. GroupNorm uses
/// `groups` groups (both channel counts must be multiples of it).
public struct ResidualConvBlock<Scalar: TensorScalar>: Layer {
    public var norm1: GroupNorm<Scalar>
    public var conv1: Conv2d<Scalar>
    public var norm2: GroupNorm<Scalar>
    public var conditioning: NoiseConditioning<Scalar>?
    public var conv2: Conv2d<Scalar>
    public var skip: Conv2d<Scalar>?

    /// `embeddingSize` > 0 adds the AdaGN conditioning.
    public init(inputChannels: Int, outputChannels: Int, groups: Int = 8, embeddingSize: Int = 0,
                generator: inout RandomGenerator) {
        norm1 = GroupNorm(groups: groups, channels: inputChannels)
        conv1 = Conv2d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, padding: 1, generator: &generator)
        norm2 = GroupNorm(groups: groups, channels: outputChannels)
        conditioning = embeddingSize > 0
            ? NoiseConditioning(embeddingSize: embeddingSize, channels: outputChannels, generator: &generator) : nil
        conv2 = Conv2d(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, padding: 1, generator: &generator)
        skip = inputChannels != outputChannels
            ? Conv2d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, generator: &generator) : nil
    }

    /// x `[N, C_in, H, W]`, embedding `[N, E]` (required when conditioned) → `[N, C_out, H, W]`.
    public func callAsFunction(_ x: Tensor<Scalar>, embedding: Tensor<Scalar>? = nil) -> Tensor<Scalar> {
        var h = conv1(norm1(x).silu())
        h = norm2(h)
        if let conditioning {
            guard let embedding else { preconditionFailure("a conditioned ResidualConvBlock needs an embedding") }
            h = conditioning(h, embedding: embedding)
        }
        h = conv2(h.silu())
        let shortcut = skip.map { $0(x) } ?? x
        return (shortcut + h) * Scalar(1 / 2.0.squareRoot())
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        norm1.visitParameters(body)
        conv1.visitParameters(body)
        norm2.visitParameters(body)
        if conditioning != nil { conditioning!.visitParameters(body) }
        conv2.visitParameters(body)
        if skip != nil { skip!.visitParameters(body) }
    }

    public var parameterNames: [String] {
        Self.prefixed("norm1", norm1.parameterNames) + Self.prefixed("conv1", conv1.parameterNames)
            + Self.prefixed("norm2", norm2.parameterNames)
            + (conditioning.map { Self.prefixed("conditioning", $0.parameterNames) } ?? [])
            + Self.prefixed("conv2", conv2.parameterNames)
            + (skip.map { Self.prefixed("skip", $0.parameterNames) } ?? [])
    }

    /// Convolution FLOPs for `batch` images of `height × width`.
    public func flops(batch: Int, height: Int, width: Int) -> Int {
        conv1.flops(batch: batch, height: height, width: width) + conv2.flops(batch: batch, height: height, width: width)
            + (skip?.flops(batch: batch, height: height, width: width) ?? 0)
    }
}
