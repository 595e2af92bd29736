import Autodiff
import NumericalCore

/// A small convolutional potential v(y) for 28×28 single-channel images, the image
/// counterpart of ``ToyPotential``.
///
/// ```
/// h = avgpool₂(conv3×3(y))                         1 → c      28 → 14
/// h = avgpool₂(block(c → c))                                  14 → 7
/// h = block(c → 2c)                                           7×7
/// v = Linear(2c, 1)(mean over positions of SiLU(GN(h)))       [N]
/// ```
/// Shapes: y `[N, 1, H, W]` (H, W multiples of 4) → `[N]`. Defaults: c = 16, 4 groups.
public struct ConvPotential<Scalar: TensorScalar>: Layer {
    public var input: Conv2d<Scalar>
    public var first: ResidualConvBlock<Scalar>
    public var second: ResidualConvBlock<Scalar>
    public var outputNorm: GroupNorm<Scalar>
    public var output: Linear<Scalar>

    public init(channels c: Int = 16, groups: Int = 4, generator: inout RandomGenerator) {
        input = Conv2d(inputChannels: 1, outputChannels: c, kernelSize: 3, padding: 1, generator: &generator)
        first = ResidualConvBlock(inputChannels: c, outputChannels: c, groups: groups, generator: &generator)
        second = ResidualConvBlock(inputChannels: c, outputChannels: 2 * c, groups: groups, generator: &generator)
        outputNorm = GroupNorm(groups: groups, channels: 2 * c)
        output = Linear(inputSize: 2 * c, outputSize: 1, generator: &generator)
    }

    /// v(y): y `[N, 1, H, W]` → `[N]`.
    public func callAsFunction(_ y: Tensor<Scalar>) -> Tensor<Scalar> {
        var h = input(y).averagePooled(size: 2)
        h = second(first(h).averagePooled(size: 2))
        let pooled = outputNorm(h).silu().mean(alongAxes: [2, 3])
        return output(pooled).reshaped(to: [y.shape[0]])
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        input.visitParameters(body)
        first.visitParameters(body)
        second.visitParameters(body)
        outputNorm.visitParameters(body)
        output.visitParameters(body)
    }

    public var parameterNames: [String] {
        Self.prefixed("input", input.parameterNames) + Self.prefixed("first", first.parameterNames)
            + Self.prefixed("second", second.parameterNames) + Self.prefixed("outputNorm", outputNorm.parameterNames)
            + Self.prefixed("output", output.parameterNames)
    }

    /// Convolution FLOPs of one forward pass for `batch` images of `size × size`.
    public func flops(batch: Int, size: Int) -> Int {
        input.flops(batch: batch, height: size, width: size) + first.flops(batch: batch, height: size / 2, width: size / 2)
            + second.flops(batch: batch, height: size / 4, width: size / 4)
    }
}
