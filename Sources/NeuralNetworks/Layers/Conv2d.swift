import Autodiff
import NumericalCore

/// 2-D convolution layer (NCHW, cross-correlation as in PyTorch's `nn.Conv2d`).
///
/// y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c] with stride s and zero padding p:
/// x `[N, C, H, W]`, W `[O, C, k, k]`, b `[O]` → y `[N, O, ⌊(H + 2p − k)/s⌋ + 1, …]`.
/// Computed by `Autodiff.conv2d` (im2col + one gemm). Default initialisation is PyTorch's:
/// W, b ~ U(±1/√(C·k²)).
public struct Conv2d<Scalar: TensorScalar>: Layer {
    /// `[outputChannels, inputChannels, kernelSize, kernelSize]`.
    public var weight: Tensor<Scalar>
    /// `[outputChannels]`, or nil.
    public var bias: Tensor<Scalar>?
    public let stride: Int
    public let padding: Int

    public var inputChannels: Int { weight.shape[1] }
    public var outputChannels: Int { weight.shape[0] }
    public var kernelSize: Int { weight.shape[2] }

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, weightInitializer: Initializer = .linearDefault,
                generator: inout RandomGenerator) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
                     "Conv2d needs positive channels, kernel size and stride, and padding ≥ 0")
        let shape = [outputChannels, inputChannels, kernelSize, kernelSize]
        weight = Tensor(shape: shape, scalars: weightInitializer.values(shape: shape, generator: &generator))
        let fanIn = inputChannels * kernelSize * kernelSize
        self.bias = bias
            ? Tensor(shape: [outputChannels], scalars: Initializer.linearDefault.values(
                count: outputChannels, fanIn: fanIn, fanOut: outputChannels, generator: &generator))
            : nil
        self.stride = stride
        self.padding = padding
    }

    /// x `[N, C, H, W]` → `[N, O, H', W']`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        body(&weight)
        if bias != nil { body(&bias!) }
    }

    public var parameterNames: [String] { bias == nil ? ["weight"] : ["weight", "bias"] }

    /// Output height (or width) for an input of extent `size`.
    public func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernelSize) / stride + 1 }

    /// Forward FLOPs for `batch` images of `height × width`: 2·N·O·H'·W'·C·k².
    public func flops(batch: Int, height: Int, width: Int) -> Int {
        2 * batch * outputChannels * outputSize(height) * outputSize(width) * inputChannels * kernelSize * kernelSize
    }
}
