import NumericalCore

/// A per-channel affine map as one primitive: the bias of a convolution, the scale and
/// offset of a group normalisation, the FiLM/AdaGN modulation of a conditioned block.
extension Tensor {
    /// y[n, c, s] = x[n, c, s]·a[n, c] + b[n, c] for x `[N, C, …]` (s runs over the trailing
    /// axes), with a and b each `[C]` (shared by the samples) or `[N, C]` (per sample), or
    /// absent (a = 1, b = 0).
    ///
    /// One pass forward; the first-order pullback is one pass too: x̄ = a·ḡ, and in the same
    /// pass ā[n, c] = Σ_s ḡ·x, b̄[n, c] = Σ_s ḡ (then Σ_n for `[C]` parameters). Broadcasting
    /// arithmetic would take two passes forward and four back. When the sweep records, the
    /// same pullback is written in tensor operations, so it differentiates again.
    public func channelAffine(scale a: Tensor? = nil, offset b: Tensor? = nil) -> Tensor {
        guard a != nil || b != nil else { return self }
        precondition(rank >= 2, "channelAffine needs x [N, C, …], got \(shape)")
        let n = shape[0], c = shape[1]
        for p in [a, b].compactMap({ $0 }) {
            precondition(p.shape == [c] || p.shape == [n, c],
                         "channelAffine: parameter \(p.shape) must be [\(c)] or [\(n), \(c)] for x \(shape)")
        }
        let x = self
        let y = channelAffineKernel(x, a, b)
        let operands = [x] + [a, b].compactMap { $0 }
        return Tensor.record(y, from: operands) { ḡ, _, needs in
            let needsScale = a != nil && needs[1], needsOffset = b != nil && needs[a == nil ? 1 : 2]
            var parts: (Tensor?, Tensor?, Tensor?)
            if Tensor.isRecording {
                let planes = [n, c, x.scalarCount / Swift.max(1, n * c)]
                parts.0 = needs[0] ? ḡ.channelAffine(scale: a) : nil
                parts.1 = needsScale ? (ḡ * x).reshaped(to: planes).sum(alongAxis: 2) : nil
                parts.2 = needsOffset ? ḡ.reshaped(to: planes).sum(alongAxis: 2) : nil
            } else {
                parts = channelAffineBackwardKernel(ḡ, x, a, needsInput: needs[0], needsScale: needsScale, needsOffset: needsOffset)
            }
            // [N, C] plane sums of shared [C] parameters are summed over the samples.
            let scale = parts.1.map { a!.shape.count == 1 ? $0.sum(alongAxis: 0) : $0 }
            let offset = parts.2.map { b!.shape.count == 1 ? $0.sum(alongAxis: 0) : $0 }
            return [parts.0] + (a == nil ? [] : [scale]) + (b == nil ? [] : [offset])
        }
    }
}

/// y = x·a + b plane by plane.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func channelAffineKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, _ a: Tensor<Scalar>?, _ b: Tensor<Scalar>?) -> Tensor<Scalar> {
    let n = x.shape[0], c = x.shape[1], s = x.scalarCount / Swift.max(1, n * c)
    let y = Tensor<Scalar>(uninitializedShape: x.shape)
    let px = x.storage.base, py = y.storage.base
    let pa = a?.storage.base, pb = b?.storage.base
    let aPerSample = a?.rank == 2, bPerSample = b?.rank == 2
    Parallel.forEachChunk(count: n * c, minimumChunk: Swift.max(1, KernelChunk.cheap / Swift.max(1, s))) { range in
        for plane in range {
            let channel = plane % c
            let scale = pa.map { $0[aPerSample ? plane : channel] } ?? 1
            let offset = pb.map { $0[bPerSample ? plane : channel] } ?? 0
            let src = px + plane * s, dst = py + plane * s
            if pa == nil {
                for i in 0..<s { dst[i] = src[i] + offset }
            } else if pb == nil {
                for i in 0..<s { dst[i] = src[i] * scale }
            } else {
                for i in 0..<s { dst[i] = src[i] * scale + offset }
            }
        }
    }
    return y
}

/// x̄ = a·ḡ and the plane sums Σ_s ḡ·x, Σ_s ḡ `[N, C]`, in one pass over ḡ and x.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func channelAffineBackwardKernel<Scalar: TensorScalar>(
    _ g: Tensor<Scalar>, _ x: Tensor<Scalar>, _ a: Tensor<Scalar>?,
    needsInput: Bool, needsScale: Bool, needsOffset: Bool
) -> (Tensor<Scalar>?, Tensor<Scalar>?, Tensor<Scalar>?) {
    let n = x.shape[0], c = x.shape[1], s = x.scalarCount / Swift.max(1, n * c)
    let input = needsInput ? (a == nil ? g : Tensor<Scalar>(uninitializedShape: x.shape)) : nil
    let scale = needsScale ? Tensor<Scalar>(uninitializedShape: [n, c]) : nil
    let offset = needsOffset ? Tensor<Scalar>(uninitializedShape: [n, c]) : nil
    let writeInput = needsInput && a != nil
    let pg = g.storage.base, px = x.storage.base, pa = a?.storage.base
    let pi = input?.storage.base, ps = scale?.storage.base, po = offset?.storage.base
    let aPerSample = a?.rank == 2
    Parallel.forEachChunk(count: n * c, minimumChunk: Swift.max(1, KernelChunk.cheap / Swift.max(1, s))) { range in
        for plane in range {
            let gr = pg + plane * s, xr = px + plane * s
            if writeInput {
                let factor = pa![aPerSample ? plane : plane % c], dst = pi! + plane * s
                for i in 0..<s { dst[i] = gr[i] * factor }
            }
            if let ps { ps[plane] = laneSum2(gr, xr, s) }
            if let po { po[plane] = laneSum(gr, s) { $0 } }
        }
    }
    return (input, scale, offset)
}

/// Σ_i x_i·y_i over `count` scalars on eight SIMD lanes.
@inline(__always)
func laneSum2<Scalar: TensorScalar>(_ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, _ count: Int) -> Scalar {
    var acc = SIMD8<Scalar>()
    var i = 0
    while i + 8 <= count {
        acc += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Scalar>.self)
            * UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Scalar>.self)
        i += 8
    }
    var total = acc.sum()
    while i < count {
        total += x[i] * y[i]
        i += 1
    }
    return total
}
