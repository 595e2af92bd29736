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
                                let sum = sumOfExponentials(z, count: m, shift: largest)
                                o[i] = -epsilon * (largest + Foundation.log(sum))
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Σⱼ exp(zⱼ − shift) for zⱼ ≤ shift, four lanes at a time with ``exp4(_:)``.
    @inline(__always)
    static func sumOfExponentials(_ z: UnsafeMutablePointer<Double>, count m: Int, shift: Double) -> Double {
        var accumulator = SIMD4<Double>(repeating: 0)
        let s4 = SIMD4<Double>(repeating: shift)
        var j = 0
        while j + 4 <= m {
            let v = SIMD4<Double>(z[j], z[j + 1], z[j + 2], z[j + 3])
            accumulator += exp4(v - s4)
            j += 4
        }
        var sum = accumulator.sum()
        while j < m { sum += Foundation.exp(z[j] - shift); j += 1 }
        return sum
    }

    /// exp(x) on four lanes for x ≤ 0 (arguments below −700 give ≈ 1e-304 instead of
    /// smaller values, which is harmless in sums whose largest term is 1; NaN stays NaN).
    /// x = k ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in a high and a low part), exp(r)
    /// by its Taylor polynomial of degree 12 (truncation ≤ 2e-16 relative), 2ᵏ written
    /// into the exponent bits. Relative error a few ulps, about 10× faster than `exp`.
    @inline(__always)
    static func exp4(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let t = x.replacing(with: -700, where: x .< -700)
        let k = (t * 1.4426950408889634).rounded(.toNearestOrEven)
        let r = t - k * 0.6931471803691238 - k * 1.9082149292705877e-10
        var p = SIMD4<Double>(repeating: 1.0 / 479_001_600)
        p = p * r + 1.0 / 39_916_800
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320
        p = p * r + 1.0 / 5_040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let shifted = k + 6_755_399_441_055_744.0   // 1.5·2⁵²: k lands in the low mantissa bits
        let bits = unsafeBitCast(shifted, to: SIMD4<UInt64>.self)
        let scale = unsafeBitCast((bits &+ 1023) &<< 52, to: SIMD4<Double>.self)
        return p * scale
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
