/// Matrix products through BLAS `gemm` (sgemm/dgemm); no hand-written GEMM loops.
///
/// Primitives: ``matmul(_:_:transposeA:transposeB:)`` for rank 2, and its batched form
/// for rank 3; ``linear(_:weight:bias:)`` fuses x·Wᵀ + b into one gemm. Their pullbacks
/// are matrix products again (C = op(A)·op(B) ⇒ Ā, B̄ are products of Ḡ with A, B),
/// so they differentiate to any order.
extension Tensor {
    /// self · other (rank 2 × rank 2, or batched rank 3 × rank 3, or rank 3 × rank 2).
    public func matmul(_ other: Tensor) -> Tensor { Autodiff.matmul(self, other) }
}

/// op(A)·op(B), op = transpose when asked.
///
/// Shapes: A `[m, k]` (`[k, m]` if `transposeA`), B `[k, n]` (`[n, k]` if `transposeB`) →
/// `[m, n]`; batched: A `[b, m, k]`, B `[b, k, n]` → `[b, m, n]` (one gemm per batch
/// entry); A `[b, m, k]` with B `[k, n]` folds the batch into the rows (one gemm).
/// Pullbacks (G = Ḡ): C = AB ⇒ Ā = GBᵀ, B̄ = AᵀG; C = AᵀB ⇒ Ā = BGᵀ, B̄ = AG;
/// C = ABᵀ ⇒ Ā = GB, B̄ = GᵀA; C = AᵀBᵀ ⇒ Ā = BᵀGᵀ, B̄ = GᵀAᵀ.
public func matmul<Scalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>,
                           transposeA: Bool = false, transposeB: Bool = false) -> Tensor<Scalar> {
    if a.rank == 3 && b.rank == 2 && !transposeA {
        let folded = matmul(a.reshaped(to: [a.shape[0] * a.shape[1], a.shape[2]]), b, transposeB: transposeB)
        return folded.reshaped(to: [a.shape[0], a.shape[1], folded.shape[1]])
    }
    precondition((a.rank == 2 && b.rank == 2) || (a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0]),
                 "matmul needs rank-2 or equally batched rank-3 operands, got \(a.shape) and \(b.shape)")
    let result = gemmKernel(a, b, transposeA: transposeA, transposeB: transposeB)
    return Tensor.record(result, from: a, b) { ḡ, _, needsA, needsB in
        let da: Tensor<Scalar>?, db: Tensor<Scalar>?
        switch (transposeA, transposeB) {
        case (false, false):
            da = needsA ? matmul(ḡ, b, transposeB: true) : nil
            db = needsB ? matmul(a, ḡ, transposeA: true) : nil
        case (true, false):
            da = needsA ? matmul(b, ḡ, transposeB: true) : nil
            db = needsB ? matmul(a, ḡ) : nil
        case (false, true):
            da = needsA ? matmul(ḡ, b) : nil
            db = needsB ? matmul(ḡ, a, transposeA: true) : nil
        case (true, true):
            da = needsA ? matmul(b, ḡ, transposeA: true, transposeB: true) : nil
            db = needsB ? matmul(ḡ, a, transposeA: true, transposeB: true) : nil
        }
        return (da, db)
    }
}

/// The affine map of a fully connected layer, PyTorch's layout:
/// y = x·Wᵀ + b with x `[n, in]`, W `[out, in]`, b `[out]` → y `[n, out]`.
///
/// One pass: the bias is copied into each output row, then one gemm accumulates onto it
/// (β = 1). Pullbacks: x̄ = Ḡ·W, W̄ = Ḡᵀ·x, b̄ = Σ_rows Ḡ.
public func linear<Scalar>(_ x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>?) -> Tensor<Scalar> {
    precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
                 "linear: input \(x.shape) does not fit weight \(weight.shape) ([out, in])")
    guard let bias else { return matmul(x, weight, transposeB: true) }
    precondition(bias.shape == [weight.shape[0]], "linear: bias \(bias.shape) does not fit weight \(weight.shape)")
    let result = affineKernel(x, weight, bias)
    return Tensor.record(result, from: [x, weight, bias]) { ḡ, _, needs in
        [needs[0] ? matmul(ḡ, weight) : nil,
         needs[1] ? matmul(ḡ, x, transposeA: true) : nil,
         needs[2] ? ḡ.sum(alongAxis: 0) : nil]
    }
}

/// C = op(A)·op(B) by gemm (one call per batch entry for rank 3).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func gemmKernel<Scalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool, transposeB: Bool) -> Tensor<Scalar> {
    let batched = a.rank == 3
    let ra = a.shape[a.rank - 2], ca = a.shape[a.rank - 1]
    let rb = b.shape[b.rank - 2], cb = b.shape[b.rank - 1]
    let (m, k) = transposeA ? (ca, ra) : (ra, ca)
    let (k2, n) = transposeB ? (cb, rb) : (rb, cb)
    precondition(k == k2, "matmul: inner extents differ: "
                 + "\(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
    let batch = batched ? a.shape[0] : 1
    let out = Tensor<Scalar>(uninitializedShape: batched ? [batch, m, n] : [m, n])
    for i in 0..<batch {
        Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                    alpha: 1, a: a.storage.base + i * ra * ca, lda: ca,
                    b: b.storage.base + i * rb * cb, ldb: cb,
                    beta: 0, c: out.storage.base + i * m * n, ldc: n)
    }
    return out
}

/// y = x·Wᵀ + b: bias rows first (an inline loop: rows are a few hundred bytes, too short
/// for a memmove call each), then gemm with β = 1.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func affineKernel<Scalar>(_ x: Tensor<Scalar>, _ weight: Tensor<Scalar>, _ bias: Tensor<Scalar>) -> Tensor<Scalar> {
    let n = x.shape[0], inputs = x.shape[1], outputs = weight.shape[0]
    let out = Tensor<Scalar>(uninitializedShape: [n, outputs])
    let b = bias.storage.base
    for row in 0..<n {
        let o = out.storage.base + row * outputs
        for j in 0..<outputs { o[j] = b[j] }
    }
    Scalar.gemm(transposeA: false, transposeB: true, m: n, n: outputs, k: inputs,
                alpha: 1, a: x.storage.base, lda: inputs, b: weight.storage.base, ldb: inputs,
                beta: 1, c: out.storage.base, ldc: outputs)
    return out
}
