import Foundation
import NumericalCore

/// The Gibbs kernel K = K₀ ⊗ K₁, (K_a)_ij = exp(−(i − j)²Δx²/ε), of a cell-centred grid as
/// a real matrix per axis, applied to positive values on `[n]` or `[n₀, n₁]` (row-major) by
/// BLAS: out = K₀ · U · K₁ (K_a symmetric), two dgemms of O(n³) each, no exponentials.
///
/// This is the fast path of ``EntropicGridJKO``'s scaling iterations; it is exact (no
/// truncation: entries below the smallest double underflow to 0 exactly as exp does) as
/// long as the values it is given stay in the normal range, which the caller checks
/// (``EntropicGridJKO`` keeps every scaling in [10⁻²⁸⁰, 1] or falls back to
/// ``SeparableLogKernel``).
struct SeparableGibbsKernel: Sendable {
    let counts: [Int]
    /// One n_a × n_a row-major matrix per axis.
    let factors: [[Double]]

    init(counts: [Int], spacing: Double, epsilon: Double) {
        self.counts = counts
        factors = counts.map { n in
            var k = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n {
                    let d = Double(i - j) * spacing
                    k[i * n + j] = Foundation.exp(-d * d / epsilon)
                }
            }
            return k
        }
    }

    /// out = K · u (K symmetric, so also Kᵀ · u); `scratch` holds the first pass (2D).
    func apply(_ u: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
               scratch: UnsafeMutablePointer<Double>) {
        if counts.count == 1 {
            let n = counts[0]
            factors[0].withUnsafeBufferPointer { k in
                BLAS.gemv(m: n, n: n, a: k.baseAddress!, x: u, y: out)
            }
            return
        }
        let n0 = counts[0], n1 = counts[1]
        factors[1].withUnsafeBufferPointer { k1 in
            // scratch[r, j] = Σ_i u[r, i] K₁[i, j]
            BLAS.gemm(m: n0, n: n1, k: n1, a: u, b: k1.baseAddress!, c: scratch)
        }
        factors[0].withUnsafeBufferPointer { k0 in
            // out[j, c] = Σ_i K₀[j, i] scratch[i, c]
            BLAS.gemm(m: n0, n: n1, k: n0, a: k0.baseAddress!, b: scratch, c: out)
        }
    }
}
