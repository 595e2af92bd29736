import Foundation
import NumericalCore

/// Log-domain kernels shared by the Sinkhorn solvers.
///
/// The soft minimum of a cost row against a potential h and log-weights ℓ,
///
///   softminᵢ = −ε log Σⱼ exp(ℓⱼ + (hⱼ − Cᵢⱼ)/ε),
///
/// is evaluated with the max-shift (log-sum-exp) trick, so nothing overflows or underflows
/// to a NaN however small ε is. Rows run in parallel on all cores; each row is two
/// passes over m entries (m exponentials).
enum LogDomain {
    /// softmin for every row of `cost` (`[n, m]`, row-major), potential and log-weights of
    /// length m. To act on columns, pass the transposed cost.
    static func softMinimum(_ cost: Matrix, potential: [Double], logWeights: [Double], epsilon: Double) -> [Double] {
        let n = cost.rows, m = cost.columns
        let inverse = 1 / epsilon
        let shifted = (0..<m).map { logWeights[$0] + potential[$0] * inverse }
        var out = [Double](repeating: 0, count: n)
        cost.elements.withUnsafeBufferPointer { cb in
            shifted.withUnsafeBufferPointer { hb in
                out.withUnsafeMutableBufferPointer { ob in
                    let c = cb.baseAddress!, h = hb.baseAddress!, o = ob.baseAddress!
                    Parallel.forEachChunk(count: n, minimumChunk: max(1, 8192 / max(m, 1))) { rows in
                        var scratch = [Double](repeating: 0, count: m)
                        scratch.withUnsafeMutableBufferPointer { sb in
                            let z = sb.baseAddress!
                            for i in rows {
                                let row = c + i * m
                                var largest = -Double.infinity
                                for j in 0..<m {
                                    let t = h[j] - row[j] * inverse
                                    z[j] = t
                                    if t > largest { largest = t }
                                }
                                var sum = 0.0
                                for j in 0..<m { sum += Foundation.exp(z[j] - largest) }
                                o[i] = -epsilon * (largest + Foundation.log(sum))
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// log Σᵢ exp(vᵢ), stable.
    static func logSumExp(_ values: [Double]) -> Double {
        let largest = values.max() ?? -.infinity
        guard largest.isFinite else { return largest }
        return largest + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - largest) })
    }

    /// The plan πᵢⱼ = aᵢ bⱼ exp((fᵢ + gⱼ − Cᵢⱼ)/ε), `[n, m]`.
    static func plan(_ cost: Matrix, logSource: [Double], logTarget: [Double], f: [Double], g: [Double], epsilon: Double) -> Matrix {
        let n = cost.rows, m = cost.columns
        var out = Matrix(rows: n, columns: m)
        let inverse = 1 / epsilon
        let column = (0..<m).map { logTarget[$0] + g[$0] * inverse }
        cost.elements.withUnsafeBufferPointer { cb in
            out.elements.withUnsafeMutableBufferPointer { ob in
                let c = cb.baseAddress!, o = ob.baseAddress!
                Parallel.forEachChunk(count: n, minimumChunk: max(1, 8192 / max(m, 1))) { rows in
                    for i in rows {
                        let rowShift = logSource[i] + f[i] * inverse
                        for j in 0..<m { o[i * m + j] = Foundation.exp(rowShift + column[j] - c[i * m + j] * inverse) }
                    }
                }
            }
        }
        return out
    }

    /// Generalised KL(p‖q) = Σ pᵢ log(pᵢ/qᵢ) − pᵢ + qᵢ, with 0 log 0 = 0.
    static func generalizedKL(_ p: [Double], _ q: [Double]) -> Double {
        var s = 0.0
        for i in p.indices {
            if p[i] > 0 { s += p[i] * Foundation.log(p[i] / q[i]) }
            s += q[i] - p[i]
        }
        return s
    }
}
