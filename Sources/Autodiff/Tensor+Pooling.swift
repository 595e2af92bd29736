import NumericalCore

/// Average pooling and nearest-neighbour upsampling on NCHW tensors. Each is (up to the
/// factor k²) the other's adjoint, so each pullback is the other operation.
extension Tensor {
    /// Mean over non-overlapping k×k windows (stride k, no padding, trailing rows and
    /// columns that do not fill a window are dropped, as in PyTorch).
    /// `[N, C, H, W]` → `[N, C, ⌊H/k⌋, ⌊W/k⌋]`. Pullback: ḡ upsampled by k, divided by k²,
    /// zero on the dropped rows and columns.
    public func averagePooled(size k: Int) -> Tensor {
        precondition(rank == 4 && k >= 1 && shape[2] >= k && shape[3] >= k,
                     "averagePooled(size: \(k)) needs [N, C, H, W] with H, W ≥ \(k), got \(shape)")
        return windowSums(k, scale: 1 / Scalar(k * k))
    }

    /// Each pixel repeated into an f×f block: `[N, C, H, W]` → `[N, C, fH, fW]`.
    /// Pullback: Σ of ḡ over each block (average pooling times f²).
    public func upsampledNearest(factor f: Int) -> Tensor {
        precondition(rank == 4 && f >= 1, "upsampledNearest(factor: \(f)) needs [N, C, H, W], got \(shape)")
        return blockCopies(f, scale: 1)
    }

    /// s · Σ over each k×k window. Pullback: s·ḡ spread over its window, zero on the
    /// dropped rows and columns.
    func windowSums(_ k: Int, scale s: Scalar) -> Tensor {
        let x = self
        return Tensor.record(poolKernel(x, k, scale: s), from: x) { ḡ, _ in
            let spread = ḡ.blockCopies(k, scale: s)
            return spread
                .padded(alongAxis: 2, before: 0, after: x.shape[2] - spread.shape[2])
                .padded(alongAxis: 3, before: 0, after: x.shape[3] - spread.shape[3])
        }
    }

    /// s · x repeated into f×f blocks. Pullback: s · Σ of ḡ over each block.
    func blockCopies(_ f: Int, scale s: Scalar) -> Tensor {
        Tensor.record(upsampleKernel(self, f, scale: s), from: self) { ḡ, _ in ḡ.windowSums(f, scale: s) }
    }
}

/// s · window sums, parallel over the N·C planes (k = 2 unrolled).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func poolKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, _ k: Int, scale: Scalar) -> Tensor<Scalar> {
    let h = x.shape[2], w = x.shape[3], ho = h / k, wo = w / k
    let out = Tensor<Scalar>(uninitializedShape: [x.shape[0], x.shape[1], ho, wo])
    let px = x.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: x.shape[0] * x.shape[1], minimumChunk: Swift.max(1, 4096 / (h * w))) { r in
        for plane in r {
            let src = px + plane * h * w, dst = po + plane * ho * wo
            for y in 0..<ho {
                let o = dst + y * wo
                if k == 2 {
                    let r0 = src + 2 * y * w, r1 = r0 + w
                    for x in 0..<wo { o[x] = (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]) * scale }
                    continue
                }
                for x in 0..<wo { o[x] = 0 }
                for i in 0..<k {
                    let row = src + (y * k + i) * w
                    for x in 0..<wo {
                        var s: Scalar = 0
                        for j in 0..<k { s += row[x * k + j] }
                        o[x] += s
                    }
                }
                for x in 0..<wo { o[x] *= scale }
            }
        }
    }
    return out
}

/// s · block copies, parallel over the N·C planes: each output row is built once per input
/// row and copied to the block's other rows.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func upsampleKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, _ f: Int, scale: Scalar) -> Tensor<Scalar> {
    let h = x.shape[2], w = x.shape[3], ho = h * f, wo = w * f
    let out = Tensor<Scalar>(uninitializedShape: [x.shape[0], x.shape[1], ho, wo])
    let px = x.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: x.shape[0] * x.shape[1], minimumChunk: Swift.max(1, 4096 / (ho * wo))) { r in
        for plane in r {
            let src = px + plane * h * w, dst = po + plane * ho * wo
            for y in 0..<h {
                let row = src + y * w, first = dst + y * f * wo
                if f == 2 {
                    for x in 0..<w {
                        let v = row[x] * scale
                        first[2 * x] = v
                        first[2 * x + 1] = v
                    }
                } else {
                    for x in 0..<w {
                        let v = row[x] * scale
                        for j in 0..<f { first[x * f + j] = v }
                    }
                }
                for i in 1..<Swift.max(1, f) { (first + i * wo).update(from: first, count: wo) }
            }
        }
    }
    return out
}
