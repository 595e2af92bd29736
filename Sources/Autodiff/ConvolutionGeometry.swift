import NumericalCore

/// Sizes of a 2-D convolution in NCHW layout, and its im2col / col2im kernels.
///
/// Input `[N, C, H, W]`, weight `[O, C, kh, kw]`, output `[N, O, Ho, Wo]` with
/// Ho = ⌊(H + 2p − kh)/s⌋ + 1 (s: stride, p: zero padding on each side), likewise Wo.
/// The column matrix of one image is `[C·kh·kw, Ho·Wo]`:
/// cols[(c·kh + i)·kw + j, y·Wo + x] = input[c, y·s + i − p, x·s + j − p] (0 outside),
/// so that output[n] = W`[O, C·kh·kw]` · cols[n] is one gemm.
struct ConvolutionGeometry: Equatable {
    let batch: Int, inputChannels: Int, outputChannels: Int
    let height: Int, width: Int
    let kernelHeight: Int, kernelWidth: Int
    let stride: Int, padding: Int

    var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    var columnRows: Int { inputChannels * kernelHeight * kernelWidth }
    var columnCount: Int { outputHeight * outputWidth }
    var inputShape: [Int] { [batch, inputChannels, height, width] }
    var outputShape: [Int] { [batch, outputChannels, outputHeight, outputWidth] }
    var weightShape: [Int] { [outputChannels, inputChannels, kernelHeight, kernelWidth] }

    /// Geometry of `input` convolved with `weight`.
    init(input: [Int], weight: [Int], stride: Int, padding: Int) {
        precondition(input.count == 4 && weight.count == 4,
                     "conv2d needs input [N, C, H, W] and weight [O, C, kh, kw], got \(input) and \(weight)")
        precondition(input[1] == weight[1], "conv2d: input has \(input[1]) channels, weight expects \(weight[1])")
        precondition(stride >= 1 && padding >= 0, "conv2d: stride must be ≥ 1 and padding ≥ 0")
        batch = input[0]; inputChannels = input[1]; height = input[2]; width = input[3]
        outputChannels = weight[0]; kernelHeight = weight[2]; kernelWidth = weight[3]
        self.stride = stride; self.padding = padding
        precondition(outputHeight >= 1 && outputWidth >= 1, "conv2d: kernel \(weight) larger than padded input \(input)")
    }

    /// Output columns x whose input column x·s + j − p lies inside the image, as lo..<hi.
    @inline(__always)
    func validColumns(kernelColumn j: Int) -> (Int, Int) {
        let lo = padding - j <= 0 ? 0 : (padding - j + stride - 1) / stride
        let last = width - 1 + padding - j
        let hi = last < 0 ? 0 : Swift.min(outputWidth, last / stride + 1)
        return (Swift.min(lo, hi), hi)
    }

    /// Fills `cols` (`[columnRows, columnCount]`) from one image `[C, H, W]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func im2col<Scalar: TensorScalar>(_ image: UnsafePointer<Scalar>, _ cols: UnsafeMutablePointer<Scalar>) {
        let ho = outputHeight, wo = outputWidth
        for c in 0..<inputChannels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let row = cols + ((c * kernelHeight + i) * kernelWidth + j) * ho * wo
                    for y in 0..<ho {
                        let sy = y * stride + i - padding
                        let dst = row + y * wo
                        guard sy >= 0 && sy < height else {
                            for x in 0..<wo { dst[x] = 0 }
                            continue
                        }
                        let src = image + (c * height + sy) * width + j - padding
                        let (lo, hi) = validColumns(kernelColumn: j)
                        for x in 0..<lo { dst[x] = 0 }
                        if stride == 1 {
                            // An inline loop: rows are a few dozen floats, too short for memmove's call.
                            for x in lo..<hi { dst[x] = src[x] }
                        } else {
                            for x in lo..<hi { dst[x] = src[x * stride] }
                        }
                        for x in hi..<wo { dst[x] = 0 }
                    }
                }
            }
        }
    }

    /// Adds `cols` back into one image `[C, H, W]` (the adjoint of ``im2col(_:_:)``);
    /// the image must be zeroed first.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func col2im<Scalar: TensorScalar>(_ cols: UnsafePointer<Scalar>, _ image: UnsafeMutablePointer<Scalar>) {
        let ho = outputHeight, wo = outputWidth
        for c in 0..<inputChannels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let row = cols + ((c * kernelHeight + i) * kernelWidth + j) * ho * wo
                    for y in 0..<ho {
                        let sy = y * stride + i - padding
                        guard sy >= 0 && sy < height else { continue }
                        let src = row + y * wo
                        let dst = image + (c * height + sy) * width + j - padding
                        let (lo, hi) = validColumns(kernelColumn: j)
                        if stride == 1 {
                            for x in lo..<hi { dst[x] += src[x] }
                        } else {
                            for x in lo..<hi { dst[x * stride] += src[x] }
                        }
                    }
                }
            }
        }
    }
}
