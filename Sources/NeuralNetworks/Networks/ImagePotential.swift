import Autodiff
import NumericalCore

/// A convolutional potential v(y) for images of any size and channel count (ResNet-style
/// critic): residual blocks at halving resolutions, a global average, a final linear to a
/// scalar. ``ConvPotential`` is a fixed two-level instance.
///
/// ```
/// h = conv3×3(y)                                   C → w₀
/// level i = 0…L−1:  h = block(h) × B  (w_{i−1} → w_i);  h = avgpool₂(h) if i < L−1
/// v = Linear(w_{L−1}, 1)(mean over positions of SiLU(GN(h)))     [N]
/// ```
/// Shapes: y `[N, C, S, S]` (S divisible by 2^{L−1}) → `[N]`.
public struct ImagePotential<Scalar: TensorScalar>: Layer {
    public var input: Conv2d<Scalar>
    public var levels: [[ResidualConvBlock<Scalar>]]
    public var outputNorm: GroupNorm<Scalar>
    public var output: Linear<Scalar>
    public let widths: [Int]

    public init(imageChannels: Int, widths: [Int], blocksPerLevel: Int = 1, groups: Int = 8, generator: inout RandomGenerator) {
        precondition(!widths.isEmpty && blocksPerLevel >= 1, "an image potential needs at least one level and one block per level")
        self.widths = widths
        input = Conv2d(inputChannels: imageChannels, outputChannels: widths[0], kernelSize: 3, padding: 1, generator: &generator)
        var levels = [[ResidualConvBlock<Scalar>]]()
        for (i, w) in widths.enumerated() {
            levels.append((0..<blocksPerLevel).map { b in
                ResidualConvBlock(inputChannels: b == 0 ? widths[max(i - 1, 0)] : w, outputChannels: w, groups: groups, generator: &generator)
            })
        }
        self.levels = levels
        outputNorm = GroupNorm(groups: groups, channels: widths.last!)
        output = Linear(inputSize: widths.last!, outputSize: 1, generator: &generator)
    }

    /// v(y): y `[N, C, S, S]` → `[N]`.
    public func callAsFunction(_ y: Tensor<Scalar>) -> Tensor<Scalar> {
        var h = input(y)
        for i in widths.indices {
            for block in levels[i] { h = block(h) }
            if i < widths.count - 1 { h = h.averagePooled(size: 2) }
        }
        return output(outputNorm(h).silu().mean(alongAxes: [2, 3])).reshaped(to: [y.shape[0]])
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        input.visitParameters(body)
        for i in levels.indices { for b in levels[i].indices { levels[i][b].visitParameters(body) } }
        outputNorm.visitParameters(body)
        output.visitParameters(body)
    }

    public var parameterNames: [String] {
        var names = Self.prefixed("input", input.parameterNames)
        for i in levels.indices { for b in levels[i].indices { names += Self.prefixed("levels.\(i).\(b)", levels[i][b].parameterNames) } }
        return names + Self.prefixed("outputNorm", outputNorm.parameterNames) + Self.prefixed("output", output.parameterNames)
    }

    /// Convolution FLOPs of one forward pass for `batch` images of `size × size`.
    public func flops(batch: Int, size: Int) -> Int {
        var total = input.flops(batch: batch, height: size, width: size)
        for i in widths.indices { total += levels[i].reduce(0) { $0 + $1.flops(batch: batch, height: size >> i, width: size >> i) } }
        return total
    }
}

extension ImagePotential: ScalarPotential {}
