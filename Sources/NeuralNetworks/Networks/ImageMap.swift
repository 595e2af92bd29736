import Autodiff
import Foundation
import NumericalCore

/// A convolutional map T(x, z) for images of any size and channel count: a U-Net of
/// conditioned residual blocks with additive skips, every block modulated (AdaGN/FiLM) by
/// an embedding e of the latent z through a small mapping MLP. ``ConvMap`` is a fixed
/// two-level instance of the same idea; this one is configured by level widths, so one
/// type gives the CPU-sized Fashion-MNIST map and the paper-shaped 32×32 / 256×256 maps.
///
/// With widths w₀…w_{L−1} and B blocks per level:
/// ```
/// e = Linear(z, E) – SiLU – Linear(E, E)                          mapping MLP, [N, E]
/// h = conv3×3(x)                                 C → w₀           S × S
/// level i = 0…L−1:  h = block(h, e) × B  (w_{i−1} → w_i);  s_i = h;  h = avgpool₂(h) if i < L−1
/// h = block(h, e)                                middle, w_{L−1}
/// level i = L−1…0:  h = (h + s_i)/√2;  h = block(h, e) × B  (→ w_{i−1}, w₀ at i = 0);  h = upsample₂(h) if i > 0
/// T = conv3×3(SiLU(GN(h)))                        w₀ → C
/// ```
/// Shapes: x `[N, C, S, S]` (S divisible by 2^{L−1}), z `[N, latentSize]` → `[N, C, S, S]`.
public struct ImageMap<Scalar: TensorScalar>: Layer {
    public var mapping: TwoLayerPerceptron<Scalar>
    public var input: Conv2d<Scalar>
    /// `down[i][b]`, `up[i][b]`: block b of level i.
    public var down: [[ResidualConvBlock<Scalar>]]
    public var middle: ResidualConvBlock<Scalar>
    public var up: [[ResidualConvBlock<Scalar>]]
    public var outputNorm: GroupNorm<Scalar>
    public var output: Conv2d<Scalar>
    public let noiseSize: Int
    public let widths: [Int]

    public init(imageChannels: Int, widths: [Int], blocksPerLevel: Int = 1, latentSize: Int = 32, embeddingSize: Int = 128,
                groups: Int = 8, generator: inout RandomGenerator) {
        precondition(!widths.isEmpty && blocksPerLevel >= 1, "an image map needs at least one level and one block per level")
        noiseSize = latentSize
        self.widths = widths
        mapping = TwoLayerPerceptron(inputSize: latentSize, hiddenSize: embeddingSize, outputSize: embeddingSize, generator: &generator)
        input = Conv2d(inputChannels: imageChannels, outputChannels: widths[0], kernelSize: 3, padding: 1, generator: &generator)
        var down = [[ResidualConvBlock<Scalar>]]()
        for (i, w) in widths.enumerated() {
            down.append((0..<blocksPerLevel).map { b in
                ResidualConvBlock(inputChannels: b == 0 ? widths[max(i - 1, 0)] : w, outputChannels: w, groups: groups,
                                  embeddingSize: embeddingSize, generator: &generator)
            })
        }
        self.down = down
        middle = ResidualConvBlock(inputChannels: widths.last!, outputChannels: widths.last!, groups: groups,
                                   embeddingSize: embeddingSize, generator: &generator)
        var up = [[ResidualConvBlock<Scalar>]]()
        for (i, w) in widths.enumerated() {
            let out = widths[max(i - 1, 0)]
            up.append((0..<blocksPerLevel).map { b in
                ResidualConvBlock(inputChannels: w, outputChannels: b == blocksPerLevel - 1 ? out : w, groups: groups,
                                  embeddingSize: embeddingSize, generator: &generator)
            })
        }
        self.up = up
        outputNorm = GroupNorm(groups: groups, channels: widths[0])
        output = Conv2d(inputChannels: widths[0], outputChannels: imageChannels, kernelSize: 3, padding: 1, generator: &generator)
    }

    /// T(x, z): x `[N, C, S, S]`, z `[N, latentSize]` → `[N, C, S, S]`.
    public func callAsFunction(_ x: Tensor<Scalar>, noise z: Tensor<Scalar>) -> Tensor<Scalar> {
        let e = mapping(z)
        var h = input(x)
        var skips = [Tensor<Scalar>]()
        for i in widths.indices {
            for block in down[i] { h = block(h, embedding: e) }
            skips.append(h)
            if i < widths.count - 1 { h = h.averagePooled(size: 2) }
        }
        h = middle(h, embedding: e)
        let half = Scalar(1 / 2.0.squareRoot())
        for i in widths.indices.reversed() {
            h = (h + skips[i]) * half
            for block in up[i] { h = block(h, embedding: e) }
            if i > 0 { h = h.upsampledNearest(factor: 2) }
        }
        return output(outputNorm(h).silu())
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        mapping.visitParameters(body)
        input.visitParameters(body)
        for i in down.indices { for b in down[i].indices { down[i][b].visitParameters(body) } }
        middle.visitParameters(body)
        for i in up.indices { for b in up[i].indices { up[i][b].visitParameters(body) } }
        outputNorm.visitParameters(body)
        output.visitParameters(body)
    }

    public var parameterNames: [String] {
        var names = Self.prefixed("mapping", mapping.parameterNames) + Self.prefixed("input", input.parameterNames)
        for i in down.indices { for b in down[i].indices { names += Self.prefixed("down.\(i).\(b)", down[i][b].parameterNames) } }
        names += Self.prefixed("middle", middle.parameterNames)
        for i in up.indices { for b in up[i].indices { names += Self.prefixed("up.\(i).\(b)", up[i][b].parameterNames) } }
        return names + Self.prefixed("outputNorm", outputNorm.parameterNames) + Self.prefixed("output", output.parameterNames)
    }

    /// Convolution FLOPs of one forward pass for `batch` images of `size × size`.
    public func flops(batch: Int, size: Int) -> Int {
        var total = input.flops(batch: batch, height: size, width: size) + output.flops(batch: batch, height: size, width: size)
        for i in widths.indices {
            let s = size >> i
            total += (down[i] + up[i]).reduce(0) { $0 + $1.flops(batch: batch, height: s, width: s) }
        }
        return total + middle.flops(batch: batch, height: size >> (widths.count - 1), width: size >> (widths.count - 1))
    }
}

extension ImageMap: NoiseConditionedMap {}
