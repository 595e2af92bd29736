import NumericalCore

/// 2-D convolution (NCHW, cross-correlation as in PyTorch) by im2col + gemm.
///
/// Three primitives close under differentiation. With B(x, w, g) = ⟨conv(x, w), g⟩:
/// conv(x, w); convT(g, w) = ∂B/∂x (the input adjoint, also the transposed convolution);
/// convW(x, g) = ∂B/∂w (the weight adjoint). Each is linear in each argument, and the
/// pullbacks of each are the other two, so convolutions differentiate to any order.

/// Convolution of x `[N, C, H, W]` with weight `[O, C, kh, kw]` plus optional bias `[O]`:
/// y[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c], stride s and zero padding p on each side.
/// Output `[N, O, ⌊(H + 2p − kh)/s⌋ + 1, ⌊(W + 2p − kw)/s⌋ + 1]`.
public func conv2d<Scalar>(_ x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil,
                           stride: Int = 1, padding: Int = 0) -> Tensor<Scalar> {
    let geometry = ConvolutionGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding)
    let y = convolution(x, weight, geometry)
    guard let bias else { return y }
    precondition(bias.shape == [geometry.outputChannels], "conv2d: bias \(bias.shape) does not fit weight \(weight.shape)")
    return y.channelAffine(offset: bias)
}

/// Transposed convolution (PyTorch's `ConvTranspose2d`): x `[N, Cin, H, W]`, weight
/// `[Cin, Cout, kh, kw]`, output `[N, Cout, (H − 1)s − 2p + kh + outputPadding, …]`.
/// It is the adjoint (input gradient) of ``conv2d(_:weight:bias:stride:padding:)`` with
/// the same weight read as `[O = Cin, C = Cout, kh, kw]`.
public func transposedConv2d<Scalar>(_ x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil,
                                     stride: Int = 1, padding: Int = 0, outputPadding: Int = 0) -> Tensor<Scalar> {
    precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[0],
                 "transposedConv2d needs x [N, Cin, H, W] and weight [Cin, Cout, kh, kw], "
                 + "got \(x.shape) and \(weight.shape)")
    let height = (x.shape[2] - 1) * stride - 2 * padding + weight.shape[2] + outputPadding
    let width = (x.shape[3] - 1) * stride - 2 * padding + weight.shape[3] + outputPadding
    let geometry = ConvolutionGeometry(input: [x.shape[0], weight.shape[1], height, width],
                                       weight: weight.shape, stride: stride, padding: padding)
    precondition(geometry.outputHeight == x.shape[2] && geometry.outputWidth == x.shape[3],
                 "transposedConv2d: outputPadding \(outputPadding) must be smaller than the stride")
    let y = convolutionTransposed(x, weight, geometry)
    guard let bias else { return y }
    precondition(bias.shape == [weight.shape[1]], "transposedConv2d: bias \(bias.shape) does not fit weight \(weight.shape)")
    return y.channelAffine(offset: bias)
}

/// conv(x, w). Pullback: x̄ = convT(ḡ, w), w̄ = convW(x, ḡ).
func convolution<Scalar>(_ x: Tensor<Scalar>, _ w: Tensor<Scalar>, _ geometry: ConvolutionGeometry) -> Tensor<Scalar> {
    let result = convolutionKernel(x, w, geometry)
    return Tensor.record(result, from: x, w) { ḡ, _, needsX, needsW in
        (needsX ? convolutionTransposed(ḡ, w, geometry) : nil,
         needsW ? convolutionWeightGradient(x, ḡ, geometry) : nil)
    }
}

/// convT(g, w) = ∂⟨conv(x, w), g⟩/∂x, shape of the input. Pullback: ḡ_g = conv(z̄, w),
/// w̄ = convW(z̄, g).
func convolutionTransposed<Scalar>(
    _ g: Tensor<Scalar>, _ w: Tensor<Scalar>, _ geometry: ConvolutionGeometry
) -> Tensor<Scalar> {
    let result = convolutionTransposedKernel(g, w, geometry)
    return Tensor.record(result, from: g, w) { z̄, _, needsG, needsW in
        (needsG ? convolution(z̄, w, geometry) : nil,
         needsW ? convolutionWeightGradient(z̄, g, geometry) : nil)
    }
}

/// convW(x, g) = ∂⟨conv(x, w), g⟩/∂w, shape of the weight. Pullback: x̄ = convT(g, z̄),
/// ḡ_g = conv(x, z̄).
func convolutionWeightGradient<Scalar>(
    _ x: Tensor<Scalar>, _ g: Tensor<Scalar>, _ geometry: ConvolutionGeometry
) -> Tensor<Scalar> {
    let result = convolutionWeightGradientKernel(x, g, geometry)
    return Tensor.record(result, from: x, g) { z̄, _, needsX, needsG in
        (needsX ? convolutionTransposed(g, z̄, geometry) : nil,
         needsG ? convolution(x, z̄, geometry) : nil)
    }
}

/// Column buffers for `count` images, from the pool.
private func columnBuffer<Scalar>(_ geometry: ConvolutionGeometry, images: Int) -> TensorBuffer<Scalar> {
    TensorBuffer(count: images * geometry.columnRows * geometry.columnCount)
}

/// conv(x, w): stride 1 on ``PaddedPlanes`` (one gemm per tap and chunk of images), other strides
/// image by image.
func convolutionKernel<Scalar>(_ x: Tensor<Scalar>, _ w: Tensor<Scalar>, _ geometry: ConvolutionGeometry) -> Tensor<Scalar> {
    geometry.stride == 1 ? paddedConvolutionKernel(x, w, PaddedPlanes(geometry)) : imageConvolutionKernel(x, w, geometry)
}

/// convT(g, w), dispatched as ``convolutionKernel(_:_:_:)``.
func convolutionTransposedKernel<Scalar>(
    _ g: Tensor<Scalar>, _ w: Tensor<Scalar>, _ geometry: ConvolutionGeometry
) -> Tensor<Scalar> {
    precondition(g.shape == geometry.outputShape,
                 "convolution adjoint of shape \(g.shape), expected \(geometry.outputShape)")
    return geometry.stride == 1 ? paddedConvolutionTransposedKernel(g, w, PaddedPlanes(geometry))
        : imageConvolutionTransposedKernel(g, w, geometry)
}

/// convW(x, g), dispatched as ``convolutionKernel(_:_:_:)``.
func convolutionWeightGradientKernel<Scalar>(
    _ x: Tensor<Scalar>, _ g: Tensor<Scalar>, _ geometry: ConvolutionGeometry
) -> Tensor<Scalar> {
    geometry.stride == 1 ? paddedConvolutionWeightGradientKernel(x, g, PaddedPlanes(geometry))
        : imageConvolutionWeightGradientKernel(x, g, geometry)
}

// MARK: - Any stride, image by image

/// y[n] = W · im2col(x[n]) for every image; im2col runs in parallel over images.
func imageConvolutionKernel<Scalar>(_ x: Tensor<Scalar>, _ w: Tensor<Scalar>, _ geometry: ConvolutionGeometry) -> Tensor<Scalar> {
    let out = Tensor<Scalar>(uninitializedShape: geometry.outputShape)
    let cols: TensorBuffer<Scalar> = columnBuffer(geometry, images: geometry.batch)
    let colSize = geometry.columnRows * geometry.columnCount
    let imageSize = geometry.inputChannels * geometry.height * geometry.width
    let px = x.storage.base, pc = cols.base
    Parallel.forEachChunk(count: geometry.batch, minimumChunk: 1) { r in
        for n in r { geometry.im2col(px + n * imageSize, pc + n * colSize) }
    }
    let outSize = geometry.outputChannels * geometry.columnCount
    for n in 0..<geometry.batch {
        Scalar.gemm(transposeA: false, transposeB: false, m: geometry.outputChannels, n: geometry.columnCount,
                    k: geometry.columnRows, alpha: 1, a: w.storage.base, lda: geometry.columnRows,
                    b: pc + n * colSize, ldb: geometry.columnCount,
                    beta: 0, c: out.storage.base + n * outSize, ldc: geometry.columnCount)
    }
    return out
}

/// x̄[n] = col2im(Wᵀ · g[n]) for every image.
func imageConvolutionTransposedKernel<Scalar>(
    _ g: Tensor<Scalar>, _ w: Tensor<Scalar>, _ geometry: ConvolutionGeometry
) -> Tensor<Scalar> {
    let out = Tensor<Scalar>(repeating: 0, shape: geometry.inputShape)
    let cols: TensorBuffer<Scalar> = columnBuffer(geometry, images: geometry.batch)
    let colSize = geometry.columnRows * geometry.columnCount
    let imageSize = geometry.inputChannels * geometry.height * geometry.width
    let gSize = geometry.outputChannels * geometry.columnCount
    for n in 0..<geometry.batch {
        Scalar.gemm(transposeA: true, transposeB: false, m: geometry.columnRows, n: geometry.columnCount,
                    k: geometry.outputChannels, alpha: 1, a: w.storage.base, lda: geometry.columnRows,
                    b: g.storage.base + n * gSize, ldb: geometry.columnCount,
                    beta: 0, c: cols.base + n * colSize, ldc: geometry.columnCount)
    }
    let po = out.storage.base, pc = cols.base
    Parallel.forEachChunk(count: geometry.batch, minimumChunk: 1) { r in
        for n in r { geometry.col2im(pc + n * colSize, po + n * imageSize) }
    }
    return out
}

/// w̄ = Σₙ g[n] · im2col(x[n])ᵀ, accumulated by gemm with β = 1.
func imageConvolutionWeightGradientKernel<Scalar>(
    _ x: Tensor<Scalar>, _ g: Tensor<Scalar>, _ geometry: ConvolutionGeometry
) -> Tensor<Scalar> {
    let out = Tensor<Scalar>(repeating: 0, shape: geometry.weightShape)
    let cols: TensorBuffer<Scalar> = columnBuffer(geometry, images: geometry.batch)
    let colSize = geometry.columnRows * geometry.columnCount
    let imageSize = geometry.inputChannels * geometry.height * geometry.width
    let gSize = geometry.outputChannels * geometry.columnCount
    let px = x.storage.base, pc = cols.base
    Parallel.forEachChunk(count: geometry.batch, minimumChunk: 1) { r in
        for n in r { geometry.im2col(px + n * imageSize, pc + n * colSize) }
    }
    for n in 0..<geometry.batch {
        Scalar.gemm(transposeA: false, transposeB: true, m: geometry.outputChannels, n: geometry.columnRows,
                    k: geometry.columnCount, alpha: 1, a: g.storage.base + n * gSize, lda: geometry.columnCount,
                    b: pc + n * colSize, ldb: geometry.columnCount,
                    beta: 1, c: out.storage.base, ldc: geometry.columnRows)
    }
    return out
}

// MARK: - Stride 1: one gemm per kernel tap on padded planes

/// Weights `[O, C, kh, kw]` as kh·kw tap matrices `[O, C]`, tap t = i·kw + j.
func tapMajorWeights<Scalar>(_ w: Tensor<Scalar>, _ geometry: ConvolutionGeometry) -> TensorBuffer<Scalar> {
    let o = geometry.outputChannels, c = geometry.inputChannels, taps = geometry.kernelHeight * geometry.kernelWidth
    let out = TensorBuffer<Scalar>(count: taps * o * c)
    let pw = w.storage.base
    for oo in 0..<o { for cc in 0..<c { for t in 0..<taps { out.base[(t * o + oo) * c + cc] = pw[(oo * c + cc) * taps + t] } } }
    return out
}

/// conv(x, w) chunk by chunk: Y[O, L] = Σ_t W_t · P[:, shift_t ..< shift_t + L] on the grid of
/// ``PaddedPlanes``, then the valid outputs.
func paddedConvolutionKernel<Scalar>(_ x: Tensor<Scalar>, _ w: Tensor<Scalar>, _ layout: PaddedPlanes) -> Tensor<Scalar> {
    let geometry = layout.geometry
    let o = geometry.outputChannels, c = geometry.inputChannels, taps = layout.tapCount
    let wt = tapMajorWeights(w, geometry)
    let out = Tensor<Scalar>(uninitializedShape: geometry.outputShape)
    let planes = TensorBuffer<Scalar>(count: layout.planeCount(channels: c))
    let grid = TensorBuffer<Scalar>(count: layout.gridCount(channels: o))
    for (first, count) in layout.chunks {
        let length = layout.span(images: count), ld = count * layout.planeSize
        layout.pack(x.storage.base, first: first, count: count, into: planes.base)
        for t in 0..<taps {
            let shift = layout.shift(tap: t)
            Scalar.gemm(transposeA: false, transposeB: false, m: o, n: length, k: c,
                        alpha: 1, a: wt.base + t * o * c, lda: c, b: planes.base + shift, ldb: ld,
                        beta: t == 0 ? 0 : 1, c: grid.base, ldc: length)
        }
        layout.unpackGrid(grid.base, channels: o, count: count, into: out.storage.base, first: first)
    }
    return out
}

/// convT(g, w) chunk by chunk: g on the grid, P̄[:, shift_t ..< shift_t + L] += W_tᵀ · G on
/// zeroed planes for every tap, then their interiors.
func paddedConvolutionTransposedKernel<Scalar>(_ g: Tensor<Scalar>, _ w: Tensor<Scalar>, _ layout: PaddedPlanes) -> Tensor<Scalar> {
    let geometry = layout.geometry
    let o = geometry.outputChannels, c = geometry.inputChannels, taps = layout.tapCount
    let wt = tapMajorWeights(w, geometry)
    let out = Tensor<Scalar>(uninitializedShape: geometry.inputShape)
    let planes = TensorBuffer<Scalar>(count: layout.planeCount(channels: c))
    let grid = TensorBuffer<Scalar>(count: layout.gridCount(channels: o))
    for (first, count) in layout.chunks {
        let length = layout.span(images: count), ld = count * layout.planeSize
        layout.packGrid(g.storage.base, channels: o, first: first, count: count, into: grid.base)
        if taps > 1 || geometry.padding > 0 {
            UnsafeMutableRawPointer(planes.base).initializeMemory(as: UInt8.self, repeating: 0, count: c * ld * MemoryLayout<Scalar>.stride)
        }
        for t in 0..<taps {
            let shift = layout.shift(tap: t)
            Scalar.gemm(transposeA: true, transposeB: false, m: c, n: length, k: o,
                        alpha: 1, a: wt.base + t * o * c, lda: c, b: grid.base, ldb: length,
                        beta: taps > 1 || geometry.padding > 0 ? 1 : 0, c: planes.base + shift, ldc: ld)
        }
        layout.unpackPlanes(planes.base, count: count, into: out.storage.base, first: first)
    }
    return out
}

/// convW(x, g): w̄_t = Σ over chunks of G · P[:, shift_t ..< shift_t + L]ᵀ (gemm with β = 1),
/// then back to `[O, C, kh, kw]`.
func paddedConvolutionWeightGradientKernel<Scalar>(_ x: Tensor<Scalar>, _ g: Tensor<Scalar>, _ layout: PaddedPlanes) -> Tensor<Scalar> {
    let geometry = layout.geometry
    let o = geometry.outputChannels, c = geometry.inputChannels, taps = layout.tapCount
    let wt = TensorBuffer<Scalar>(count: taps * o * c, repeating: 0)
    let planes = TensorBuffer<Scalar>(count: layout.planeCount(channels: c))
    let grid = TensorBuffer<Scalar>(count: layout.gridCount(channels: o))
    for (first, count) in layout.chunks {
        let length = layout.span(images: count), ld = count * layout.planeSize
        layout.pack(x.storage.base, first: first, count: count, into: planes.base)
        layout.packGrid(g.storage.base, channels: o, first: first, count: count, into: grid.base)
        for t in 0..<taps {
            let shift = layout.shift(tap: t)
            Scalar.gemm(transposeA: false, transposeB: true, m: o, n: c, k: length,
                        alpha: 1, a: grid.base, lda: length, b: planes.base + shift, ldb: ld,
                        beta: 1, c: wt.base + t * o * c, ldc: c)
        }
    }
    let out = Tensor<Scalar>(uninitializedShape: geometry.weightShape)
    let po = out.storage.base
    for oo in 0..<o { for cc in 0..<c { for t in 0..<taps { po[(oo * c + cc) * taps + t] = wt.base[(t * o + oo) * c + cc] } } }
    return out
}
