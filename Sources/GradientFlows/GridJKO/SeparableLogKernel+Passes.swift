import Foundation
import NumericalCore

/// The two axis passes of ``SeparableLogKernel``: per line shift by the maximum,
/// exponentiate, multiply by the banded kernel factor (dgemm), take the log, and recompute
/// the entries whose product is too small to trust by the exact log-sum-exp.
extension SeparableLogKernel {
    /// Along the contiguous axis of `[rows, n]`: out[r, j] = LSE_i (u[r, i] − D[|i − j|]).
    /// Returns the number of entries recomputed exactly.
    func passAlongLast(_ u: [Double], into out: inout [Double], rows: Int, length n: Int, factor: [Double],
                       workspace w: inout Workspace) -> Int {
        let threshold = SeparableLogKernel.smallestReliableProduct
        var recomputed = 0.0
        u.withUnsafeBufferPointer { up in
            w.scaled.withUnsafeMutableBufferPointer { ep in
                w.product.withUnsafeMutableBufferPointer { pp in
                    w.scales.withUnsafeMutableBufferPointer { sp in
                        out.withUnsafeMutableBufferPointer { op in
                            let ub = up.baseAddress!, eb = ep.baseAddress!, pb = pp.baseAddress!
                            let sb = sp.baseAddress!, ob = op.baseAddress!
                            // Line maxima and the scalings e^{u − m} ∈ [0, 1].
                            Parallel.forEachChunk(count: rows, minimumChunk: max(1, 2048 / n)) { range in
                                for r in range {
                                    let line = ub + r * n, scaled = eb + r * n
                                    var m = -Double.infinity
                                    for i in 0..<n { m = line[i] > m ? line[i] : m }
                                    sb[r] = m
                                    if m > -Double.infinity {
                                        for i in 0..<n { scaled[i] = Foundation.exp(line[i] - m) }
                                    } else {
                                        for i in 0..<n { scaled[i] = 0 }
                                    }
                                }
                            }
                            factor.withUnsafeBufferPointer { kp in
                                bandedProduct(rows: rows, n: n, scaled: UnsafePointer(eb), factor: kp.baseAddress!, into: pb)
                            }
                            recomputed = Parallel.sum(count: rows, minimumChunk: max(1, 2048 / n)) { range in
                                var count = 0.0
                                for r in range {
                                    let m = sb[r], products = pb + r * n, o = ob + r * n
                                    for j in 0..<n {
                                        if m == -Double.infinity {
                                            o[j] = m
                                        } else if products[j] > threshold {
                                            o[j] = m + Foundation.log(products[j])
                                        } else {
                                            o[j] = exactEntry(ub + r * n, count: n, at: j, lineMaximum: m)
                                            count += 1
                                        }
                                    }
                                }
                                return count
                            }
                        }
                    }
                }
            }
        }
        return Int(recomputed)
    }

    /// Along the strided axis of `[n, length]`: out[j, c] = LSE_i (u[i, c] − D[|i − j|]).
    /// Returns the number of entries recomputed exactly.
    func passAlongFirst(_ u: [Double], into out: inout [Double], rows n: Int, length: Int, factor: [Double],
                        workspace w: inout Workspace) -> Int {
        let threshold = SeparableLogKernel.smallestReliableProduct
        var recomputed = 0.0
        u.withUnsafeBufferPointer { up in
            w.scaled.withUnsafeMutableBufferPointer { ep in
                w.product.withUnsafeMutableBufferPointer { pp in
                    w.scales.withUnsafeMutableBufferPointer { sp in
                        out.withUnsafeMutableBufferPointer { op in
                            let ub = up.baseAddress!, eb = ep.baseAddress!, pb = pp.baseAddress!
                            let sb = sp.baseAddress!, ob = op.baseAddress!
                            // Column maxima (vectorised along the contiguous axis).
                            Parallel.forEachChunk(count: length, minimumChunk: 64) { range in
                                for c in range { sb[c] = -Double.infinity }
                                for i in 0..<n {
                                    let line = ub + i * length
                                    for c in range { sb[c] = line[c] > sb[c] ? line[c] : sb[c] }
                                }
                            }
                            Parallel.forEachChunk(count: n, minimumChunk: max(1, 2048 / length)) { range in
                                for i in range {
                                    let line = ub + i * length, scaled = eb + i * length
                                    for c in 0..<length {
                                        let m = sb[c]
                                        scaled[c] = m > -Double.infinity ? Foundation.exp(line[c] - m) : 0
                                    }
                                }
                            }
                            factor.withUnsafeBufferPointer { kp in
                                bandedProductFromLeft(n: n, length: length, factor: kp.baseAddress!, scaled: UnsafePointer(eb), into: pb)
                            }
                            // Entries to recompute are marked NaN here, then done per column.
                            recomputed = Parallel.sum(count: n, minimumChunk: max(1, 2048 / length)) { range in
                                var count = 0.0
                                for j in range {
                                    let products = pb + j * length, o = ob + j * length
                                    for c in 0..<length {
                                        let m = sb[c]
                                        if m == -Double.infinity {
                                            o[c] = m
                                        } else if products[c] > threshold {
                                            o[c] = m + Foundation.log(products[c])
                                        } else {
                                            o[c] = .nan
                                            count += 1
                                        }
                                    }
                                }
                                return count
                            }
                            if recomputed > 0 {
                                recomputeMarked(u: ub, out: ob, rows: n, length: length, maxima: UnsafePointer(sb))
                            }
                        }
                    }
                }
            }
        }
        return Int(recomputed)
    }

    /// The entries of `[n, length]` out marked NaN, by the exact log-sum-exp along the
    /// strided axis of u: each column holding one is copied contiguous once.
    func recomputeMarked(u: UnsafePointer<Double>, out: UnsafeMutablePointer<Double>, rows n: Int, length: Int,
                         maxima: UnsafePointer<Double>) {
        var columns = [Int]()
        var marked = [Bool](repeating: false, count: length)
        for j in 0..<n {
            let o = out + j * length
            for c in 0..<length where o[c].isNaN { marked[c] = true }
        }
        for c in 0..<length where marked[c] { columns.append(c) }
        columns.withUnsafeBufferPointer { cols in
            Parallel.forEachChunk(count: cols.count, minimumChunk: 1) { range in
                var line = [Double](repeating: 0, count: n)
                line.withUnsafeMutableBufferPointer { lp in
                    let l = lp.baseAddress!
                    for k in range {
                        let c = cols[k]
                        for i in 0..<n { l[i] = u[i * length + c] }
                        for j in 0..<n where out[j * length + c].isNaN {
                            out[j * length + c] = exactEntry(l, count: n, at: j, lineMaximum: maxima[c])
                        }
                    }
                }
            }
        }
    }

    /// Output columns per block of the banded products.
    var blockSize: Int { max(32, bandwidth) }

    /// P[r, j] = Σ_i E[r, i] K[i, j] for `[rows, n]` E and the n × n banded K: per block of
    /// output columns only the rows of K within the bandwidth (one dgemm when the band
    /// covers nearly all of K).
    func bandedProduct(rows: Int, n: Int, scaled e: UnsafePointer<Double>, factor k: UnsafePointer<Double>,
                       into p: UnsafeMutablePointer<Double>) {
        let w = bandwidth, block = blockSize
        if n <= block + 2 * w {
            BLAS.gemm(m: rows, n: n, k: n, a: e, b: k, c: p)
            return
        }
        for j0 in stride(from: 0, to: n, by: block) {
            let j1 = min(n, j0 + block), i0 = max(0, j0 - w), i1 = min(n, j1 + w)
            BLAS.gemm(m: rows, n: j1 - j0, k: i1 - i0, a: e + i0, lda: n, b: k + i0 * n + j0, ldb: n, c: p + j0, ldc: n)
        }
    }

    /// P[j, c] = Σ_i K[j, i] E[i, c] for the n × n banded K and `[n, length]` E, by blocks
    /// of output rows.
    func bandedProductFromLeft(n: Int, length: Int, factor k: UnsafePointer<Double>, scaled e: UnsafePointer<Double>,
                               into p: UnsafeMutablePointer<Double>) {
        let w = bandwidth, block = blockSize
        if n <= block + 2 * w {
            BLAS.gemm(m: n, n: length, k: n, a: k, b: e, c: p)
            return
        }
        for j0 in stride(from: 0, to: n, by: block) {
            let j1 = min(n, j0 + block), i0 = max(0, j0 - w), i1 = min(n, j1 + w)
            BLAS.gemm(m: j1 - j0, n: length, k: i1 - i0, a: k + j0 * n + i0, lda: n, b: e + i0 * length, ldb: length,
                      c: p + j0 * length, ldc: length)
        }
    }
}
