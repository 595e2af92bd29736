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
        let x = self
        let result = poolKernel(x, k)
        return Tensor.record(result, from: x) { ḡ, _ in
            let spread = ḡ.upsampledNearest(factor: k) * (1 / Scalar(k * k))
            return spread
                .padded(alongAxis: 2, before: 0, after: x.shape[2] - spread.shape[2])
                .padded(alongAxis: 3, before: 0, after: x.shape[3] - spread.shape[3])
        }
    }

    /// Each pixel repeated into an f×f block: `[N, C, H, W]` → `[N, C, fH, fW]`.
    /// Pullback: Σ of ḡ over each block (average pooling times f²).
    public func upsampledNearest(factor f: Int) -> Tensor {
        precondition(rank == 4 && f >= 1, "upsampledNearest(factor: \(f)) needs [N, C, H, W], got \(shape)")
        return Tensor.record(upsampleKernel(self, f), from: self) { ḡ, _ in
            ḡ.averagePooled(size: f) * Scalar(f * f)
        }
    }
}

/// Window means, parallel over the N·C planes.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func poolKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, _ k: Int) -> Tensor<Scalar> {
    let h = x.shape[2], w = x.shape[3], ho = h / k, wo = w / k
    let out = Tensor<Scalar>(uninitializedShape: [x.shape[0], x.shape[1], ho, wo])
    let px = x.storage.base, po = out.storage.base
    let scale = 1 / Scalar(k * k)
    Parallel.forEachChunk(count: x.shape[0] * x.shape[1], minimumChunk: Swift.max(1, 4096 / (h * w))) { r in
        for plane in r {
            let src = px + plane * h * w, dst = po + plane * ho * wo
            for y in 0..<ho {
                for x in 0..<wo { dst[y * wo + x] = 0 }
                for i in 0..<k {
                    let row = src + (y * k + i) * w
                    for x in 0..<wo {
                        var s: Scalar = 0
                        for j in 0..<k { s += row[x * k + j] }
                        dst[y * wo + x] += s
                    }
                }
                for x in 0..<wo { dst[y * wo + x] *= scale }
            }
        }
    }
    return out
}

/// Block copies, parallel over the N·C planes.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func upsampleKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, _ f: Int) -> Tensor<Scalar> {
    let h = x.shape[2], w = x.shape[3], ho = h * f, wo = w * f
    let out = Tensor<Scalar>(uninitializedShape: [x.shape[0], x.shape[1], ho, wo])
    let px = x.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: x.shape[0] * x.shape[1], minimumChunk: Swift.max(1, 4096 / (ho * wo))) { r in
        for plane in r {
            let src = px + plane * h * w, dst = po + plane * ho * wo
            for y in 0..<ho {
                let row = src + (y / f) * w, out = dst + y * wo
                for x in 0..<wo { out[x] = row[x / f] }
            }
        }
    }
    return out
}
