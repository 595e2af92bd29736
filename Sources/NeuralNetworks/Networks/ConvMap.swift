import Autodiff
import NumericalCore

/// A small convolutional map T(x, z) for 28×28 single-channel images (Fashion-MNIST size),
/// the image counterpart of ``ToyMap``: a two-level U-shaped stack of residual blocks,
/// each conditioned on an embedding of the noise z (AdaGN).
///
/// ```
/// e = Linear(z-dim, E) – SiLU – Linear(E, E)                          [N, E]
/// h = avgpool₂(conv3×3(x))                         1 → c              28 → 14
/// h = avgpool₂(block(c → c, e))                                       14 → 7
/// h = upsample₂(block(c → 2c, e))                                     7 → 14
/// h = upsample₂(block(2c → c, e))                                     14 → 28
/// T = conv3×3(SiLU(GN(h)))                         c → 1              28×28
/// ```
/// Shapes: x `[N, 1, H, W]` (H, W multiples of 4), z `[N, noiseSize]` → `[N, 1, H, W]`.
/// Defaults: c = 16, E = 64, z-dim 16, GroupNorm with 4 groups (≈ 0.4 GFLOP forward for
/// 64 images of 28×28).
public struct ConvMap<Scalar: TensorScalar>: Layer {
    public var embedding: TwoLayerPerceptron<Scalar>
    public var input: Conv2d<Scalar>
    public var down: ResidualConvBlock<Scalar>
    public var middle: ResidualConvBlock<Scalar>
    public var up: ResidualConvBlock<Scalar>
    public var outputNorm: GroupNorm<Scalar>
    public var output: Conv2d<Scalar>

    public let noiseSize: Int

    public init(channels c: Int = 16, noiseSize: Int = 16, embeddingSize: Int = 64, groups: Int = 4,
                generator: inout RandomGenerator) {
        self.noiseSize = noiseSize
        embedding = TwoLayerPerceptron(inputSize: noiseSize, hiddenSize: embeddingSize, outputSize: embeddingSize, generator: &generator)
        input = Conv2d(inputChannels: 1, outputChannels: c, kernelSize: 3, padding: 1, generator: &generator)
        down = ResidualConvBlock(inputChannels: c, outputChannels: c, groups: groups, embeddingSize: embeddingSize, generator: &generator)
        middle = ResidualConvBlock(inputChannels: c, outputChannels: 2 * c, groups: groups, embeddingSize: embeddingSize, generator: &generator)
        up = ResidualConvBlock(inputChannels: 2 * c, outputChannels: c, groups: groups, embeddingSize: embeddingSize, generator: &generator)
        outputNorm = GroupNorm(groups: groups, channels: c)
        output = Conv2d(inputChannels: c, outputChannels: 1, kernelSize: 3, padding: 1, generator: &generator)
    }

    /// T(x, z): x `[N, 1, H, W]`, z `[N, noiseSize]` → `[N, 1, H, W]`.
    public func callAsFunction(_ x: Tensor<Scalar>, noise z: Tensor<Scalar>) -> Tensor<Scalar> {
        let e = embedding(z)
        var h = input(x).averagePooled(size: 2)
        h = down(h, embedding: e).averagePooled(size: 2)
        h = middle(h, embedding: e).upsampledNearest(factor: 2)
        h = up(h, embedding: e).upsampledNearest(factor: 2)
        return output(outputNorm(h).silu())
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        embedding.visitParameters(body)
        input.visitParameters(body)
        down.visitParameters(body)
        middle.visitParameters(body)
        up.visitParameters(body)
        outputNorm.visitParameters(body)
        output.visitParameters(body)
    }

    public var parameterNames: [String] {
        Self.prefixed("embedding", embedding.parameterNames) + Self.prefixed("input", input.parameterNames)
            + Self.prefixed("down", down.parameterNames) + Self.prefixed("middle", middle.parameterNames)
            + Self.prefixed("up", up.parameterNames) + Self.prefixed("outputNorm", outputNorm.parameterNames)
            + Self.prefixed("output", output.parameterNames)
    }

    /// Convolution FLOPs of one forward pass for `batch` images of `size × size`.
    public func flops(batch: Int, size: Int) -> Int {
        input.flops(batch: batch, height: size, width: size) + down.flops(batch: batch, height: size / 2, width: size / 2)
            + middle.flops(batch: batch, height: size / 4, width: size / 4) + up.flops(batch: batch, height: size / 2, width: size / 2)
            + output.flops(batch: batch, height: size, width: size)
    }
}
