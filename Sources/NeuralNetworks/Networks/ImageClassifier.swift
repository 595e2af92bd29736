import Autodiff
import NumericalCore

/// A small convolutional classifier for 28×28 grey images (Fashion-MNIST), trained with
/// the same engine as the flows; its 128-d penultimate features are the space of the
/// Fréchet distance FD-FMNIST (not Inception features: not comparable to FID).
///
/// ```
/// h = avgpool₂(SiLU(GN(conv3×3(x))))       1 → c        28 → 14
/// h = avgpool₂(SiLU(GN(conv3×3(h))))       c → 2c       14 → 7
/// h = SiLU(GN(conv3×3(h)))                 2c → 2c      7×7
/// f = SiLU(Linear(2c·49, 128)(flatten h))  features     [N, 128]
/// logits = Linear(128, classes)(f)                      [N, classes]
/// ```
/// Shapes: x `[N, 1, 28, 28]` in [−1, 1]. Defaults: c = 32, GroupNorm with 8 groups.
public struct ImageClassifier<Scalar: TensorScalar>: Layer {
    public var conv1: Conv2d<Scalar>
    public var norm1: GroupNorm<Scalar>
    public var conv2: Conv2d<Scalar>
    public var norm2: GroupNorm<Scalar>
    public var conv3: Conv2d<Scalar>
    public var norm3: GroupNorm<Scalar>
    public var dense: Linear<Scalar>
    public var head: Linear<Scalar>
    public let imageShape: [Int]

    public init(imageShape: [Int] = [1, 28, 28], channels c: Int = 32, featureSize: Int = 128, classes: Int = 10,
                groups: Int = 8, generator: inout RandomGenerator) {
        precondition(imageShape.count == 3 && imageShape[1] % 4 == 0 && imageShape[2] % 4 == 0, "images [C, H, W] with H, W multiples of 4")
        self.imageShape = imageShape
        conv1 = Conv2d(inputChannels: imageShape[0], outputChannels: c, kernelSize: 3, padding: 1, generator: &generator)
        norm1 = GroupNorm(groups: groups, channels: c)
        conv2 = Conv2d(inputChannels: c, outputChannels: 2 * c, kernelSize: 3, padding: 1, generator: &generator)
        norm2 = GroupNorm(groups: groups, channels: 2 * c)
        conv3 = Conv2d(inputChannels: 2 * c, outputChannels: 2 * c, kernelSize: 3, padding: 1, generator: &generator)
        norm3 = GroupNorm(groups: groups, channels: 2 * c)
        dense = Linear(inputSize: 2 * c * (imageShape[1] / 4) * (imageShape[2] / 4), outputSize: featureSize, generator: &generator)
        head = Linear(inputSize: featureSize, outputSize: classes, generator: &generator)
    }

    /// The penultimate features f `[N, featureSize]` of images given as rows `[N, C·H·W]`
    /// or as `[N, C, H, W]`.
    public func features(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = x.shape[0]
        var h = x.reshaped(to: [n] + imageShape)
        h = norm1(conv1(h)).silu().averagePooled(size: 2)
        h = norm2(conv2(h)).silu().averagePooled(size: 2)
        h = norm3(conv3(h)).silu()
        return dense(h.reshaped(to: [n, -1])).silu()
    }

    /// Class logits `[N, classes]`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { head(features(x)) }

    /// Mean cross-entropy −(1/N) Σ log softmax(logits)_{label}, computed as
    /// logsumexp(ℓ − m) + m − ℓ_label with m the row maximum (held constant: the value
    /// does not depend on it, so its gradient is zero).
    public static func crossEntropy(logits: Tensor<Scalar>, labels: [Int]) -> Tensor<Scalar> {
        let n = logits.shape[0], k = logits.shape[1]
        let m = logits.detached().max(alongAxis: 1, keepingDimension: true).detached()
        let shifted = logits - m
        var onehot = [Scalar](repeating: 0, count: n * k)
        for (i, label) in labels.enumerated() { onehot[i * k + label] = 1 }
        let picked = (shifted * Tensor(shape: [n, k], scalars: onehot)).sum(alongAxis: 1)
        return (shifted.exp().sum(alongAxis: 1).log() - picked).mean()
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        conv1.visitParameters(body); norm1.visitParameters(body)
        conv2.visitParameters(body); norm2.visitParameters(body)
        conv3.visitParameters(body); norm3.visitParameters(body)
        dense.visitParameters(body); head.visitParameters(body)
    }

    public var parameterNames: [String] {
        Self.prefixed("conv1", conv1.parameterNames) + Self.prefixed("norm1", norm1.parameterNames)
            + Self.prefixed("conv2", conv2.parameterNames) + Self.prefixed("norm2", norm2.parameterNames)
            + Self.prefixed("conv3", conv3.parameterNames) + Self.prefixed("norm3", norm3.parameterNames)
            + Self.prefixed("features", dense.parameterNames) + Self.prefixed("head", head.parameterNames)
    }
}
