import Foundation
import NumericalCore

/// The Gibbs kernel K_ij = exp(−|xᵢ − x_j|²/ε) of a cell-centred grid, applied in the log
/// domain one axis at a time (it factorises, K = K₀ ⊗ K₁):
///
///   (log K ⊙ u)_j = LSE_i (u_i − |xᵢ − x_j|²/ε),
///
/// for log-values u on `[n]` (1D) or `[n₀, n₁]` row-major (2D). Each axis pass is n
/// one-dimensional log-sum-exps of length n per line: O(n^{d+1}) per application, never an
/// n^d × n^d matrix. Every log-sum-exp is shifted by its own maximum (exact: no overflow,
/// no underflow for any range of u), and terms more than 40 below the maximum are skipped
/// (each adds at most e⁻⁴⁰ ≈ 4·10⁻¹⁸ relative, so at most n·4·10⁻¹⁸ in all); the maximum
/// pass is a plain vectorisable loop, so the exponentials are only the ≈ 2√(40ε)/Δx
/// terms near it. Lines run in parallel on all cores.
struct SeparableLogKernel: Sendable {
    /// Cells per axis (1 or 2 entries).
    let counts: [Int]
    /// D[k] = (k Δx)²/ε for k = 0..<max(counts).
    let costTable: [Double]

    static let pruneLevel = 40.0

    init(counts: [Int], spacing: Double, epsilon: Double) {
        self.counts = counts
        let n = counts.max()!
        costTable = (0..<n).map { Double($0) * Double($0) * spacing * spacing / epsilon }
    }

    /// out = log(K ⊙ exp(u)), same shape as u.
    func apply(_ u: [Double]) -> [Double] {
        if counts.count == 1 {
            var out = [Double](repeating: 0, count: counts[0])
            applyAlongLast(u, into: &out, rows: 1, length: counts[0])
            return out
        }
        var pass = [Double](repeating: 0, count: u.count)
        applyAlongLast(u, into: &pass, rows: counts[0], length: counts[1])
        var out = [Double](repeating: 0, count: u.count)
        applyAlongFirst(pass, into: &out, rows: counts[0], length: counts[1])
        return out
    }

    /// Along the contiguous axis: out[r, j] = LSE_i (u[r, i] − D[|i − j|]).
    private func applyAlongLast(_ u: [Double], into out: inout [Double], rows: Int, length n: Int) {
        u.withUnsafeBufferPointer { up in
            costTable.withUnsafeBufferPointer { dp in
                out.withUnsafeMutableBufferPointer { op in
                    let ub = up.baseAddress!, d = dp.baseAddress!, ob = op.baseAddress!
                    Parallel.forEachChunk(count: rows * n, minimumChunk: 64) { range in
                        for index in range {
                            let r = index / n, j = index % n
                            let line = ub + r * n
                            var m = -Double.infinity
                            for i in 0..<n {
                                let v = line[i] - d[i >= j ? i - j : j - i]
                                m = v > m ? v : m
                            }
                            guard m > -Double.infinity else { ob[index] = m; continue }
                            let floor = m - SeparableLogKernel.pruneLevel
                            var s = 0.0
                            for i in 0..<n {
                                let v = line[i] - d[i >= j ? i - j : j - i]
                                if v > floor { s += Foundation.exp(v - m) }
                            }
                            ob[index] = m + Foundation.log(s)
                        }
                    }
                }
            }
        }
    }

    /// Along the strided axis: out[j, c] = LSE_i (u[i, c] − D[|i − j|]), c contiguous.
    private func applyAlongFirst(_ u: [Double], into out: inout [Double], rows n: Int, length: Int) {
        u.withUnsafeBufferPointer { up in
            costTable.withUnsafeBufferPointer { dp in
                out.withUnsafeMutableBufferPointer { op in
                    let ub = up.baseAddress!, d = dp.baseAddress!, ob = op.baseAddress!
                    Parallel.forEachChunk(count: n, minimumChunk: 4) { range in
                        var m = [Double](repeating: 0, count: length)
                        var s = [Double](repeating: 0, count: length)
                        for j in range {
                            for c in 0..<length { m[c] = -Double.infinity; s[c] = 0 }
                            for i in 0..<n {
                                let shift = d[i >= j ? i - j : j - i]
                                let line = ub + i * length
                                for c in 0..<length {
                                    let v = line[c] - shift
                                    m[c] = v > m[c] ? v : m[c]
                                }
                            }
                            for i in 0..<n {
                                let shift = d[i >= j ? i - j : j - i]
                                let line = ub + i * length
                                for c in 0..<length {
                                    let v = line[c] - shift
                                    if v > m[c] - SeparableLogKernel.pruneLevel { s[c] += Foundation.exp(v - m[c]) }
                                }
                            }
                            let o = ob + j * length
                            for c in 0..<length { o[c] = m[c] > -Double.infinity ? m[c] + Foundation.log(s[c]) : m[c] }
                        }
                    }
                }
            }
        }
    }
}
