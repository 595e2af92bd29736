import NumericalCore

/// Group normalisation: a standardisation primitive over groups of a row, with a fused
/// first-order pullback, then the per-channel affine map (``Tensor/channelAffine(scale:offset:)``).
extension Tensor {
    /// Group normalisation (Wu & He 2018) of x `[N, C, …]`: the C channels are split into
    /// `groups` groups of C/G; each sample's group is standardised over its channels and
    /// spatial positions, x̂ = (x − μ)/√(σ² + ε) with the biased variance σ², then
    /// y = γ·x̂ + β per channel (γ, β `[C]`, optional).
    public func groupNormalized(groups: Int, scale γ: Tensor? = nil, offset β: Tensor? = nil,
                                epsilon: Scalar = 1e-5) -> Tensor {
        precondition(rank >= 2 && groups >= 1 && shape[1] % groups == 0,
                     "groupNormalized: \(shape[1]) channels do not split into \(groups) groups (shape \(shape))")
        return reshaped(to: [shape[0] * groups, -1]).standardizedRows(epsilon: epsilon).reshaped(to: shape)
            .channelAffine(scale: γ, offset: β)
    }

    /// Each row of x `[R, M]` standardised: y = (x − μ)·r with μ the row mean and
    /// r = 1/√(σ² + ε), σ² the biased row variance.
    ///
    /// Pullback: x̄ = r·(ḡ − mean(ḡ) − y·mean(ḡ·y)) per row — one fused pass in a
    /// first-order sweep, the same formula in tensor operations (r recomputed from x)
    /// when the sweep records, so it differentiates again.
    func standardizedRows(epsilon: Scalar) -> Tensor {
        precondition(rank == 2, "standardizedRows needs [rows, length], got \(shape)")
        let x = self
        let (y, r) = standardizeKernel(x, epsilon: epsilon)
        return Tensor.record(y, from: x) { ḡ, y in
            guard Tensor.isRecording else { return standardizeBackwardKernel(ḡ, y, r) }
            let centred = x - x.mean(alongAxis: 1, keepingDimension: true)
            let rate = (centred.squared().mean(alongAxis: 1, keepingDimension: true) + epsilon).power(-0.5)
            return rate * (ḡ - ḡ.mean(alongAxis: 1, keepingDimension: true)
                           - y * (ḡ * y).mean(alongAxis: 1, keepingDimension: true))
        }
    }
}

/// Row standardisation (two-pass mean and variance); returns y and r `[R, 1]`.
/// The sums run on eight SIMD lanes (a scalar sum does not vectorise).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func standardizeKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, epsilon: Scalar) -> (Tensor<Scalar>, Tensor<Scalar>) {
    let rows = x.shape[0], m = x.shape[1]
    let y = Tensor<Scalar>(uninitializedShape: x.shape), r = Tensor<Scalar>(uninitializedShape: [rows, 1])
    let px = x.storage.base, py = y.storage.base, pr = r.storage.base
    Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, KernelChunk.cheap / Swift.max(1, m))) { range in
        for row in range {
            let src = px + row * m, dst = py + row * m
            let mean = laneSum(src, m) { $0 } / Scalar(m)
            let squares = laneSum(src, m) { ($0 - SIMD8(repeating: mean)) * ($0 - SIMD8(repeating: mean)) }
            let rate = 1 / (squares / Scalar(m) + epsilon).squareRoot()
            for i in 0..<m { dst[i] = (src[i] - mean) * rate }
            pr[row] = rate
        }
    }
    return (y, r)
}

/// Σ_i f(x_i) over `count` scalars, eight lanes at a time (f maps a lane vector; the tail
/// is padded with zeros only after f, so f(0) need not be 0).
@inline(__always)
func laneSum<Scalar: TensorScalar>(_ x: UnsafePointer<Scalar>, _ count: Int,
                                   _ f: (SIMD8<Scalar>) -> SIMD8<Scalar>) -> Scalar {
    var acc = SIMD8<Scalar>()
    var i = 0
    while i + 8 <= count {
        acc += f(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Scalar>.self))
        i += 8
    }
    var total = acc.sum()
    while i < count {
        total += f(SIMD8(repeating: x[i]))[0]
        i += 1
    }
    return total
}

/// x̄ = r·(ḡ − mean(ḡ) − y·mean(ḡ·y)) per row.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func standardizeBackwardKernel<Scalar: TensorScalar>(
    _ g: Tensor<Scalar>, _ y: Tensor<Scalar>, _ r: Tensor<Scalar>
) -> Tensor<Scalar> {
    let rows = y.shape[0], m = y.shape[1]
    let out = Tensor<Scalar>(uninitializedShape: y.shape)
    let pg = g.storage.base, py = y.storage.base, pr = r.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, KernelChunk.cheap / Swift.max(1, m))) { range in
        for row in range {
            let gr = pg + row * m, yr = py + row * m, dst = po + row * m
            var accG = SIMD8<Scalar>(), accGY = SIMD8<Scalar>()
            var i = 0
            while i + 8 <= m {
                let g8 = UnsafeRawPointer(gr + i).loadUnaligned(as: SIMD8<Scalar>.self)
                accG += g8
                accGY += g8 * UnsafeRawPointer(yr + i).loadUnaligned(as: SIMD8<Scalar>.self)
                i += 8
            }
            var sumG = accG.sum(), sumGY = accGY.sum()
            while i < m {
                sumG += gr[i]
                sumGY += gr[i] * yr[i]
                i += 1
            }
            let meanG = sumG / Scalar(m), meanGY = sumGY / Scalar(m), rate = pr[row]
            for i in 0..<m { dst[i] = rate * (gr[i] - meanG - yr[i] * meanGY) }
        }
    }
    return out
}
