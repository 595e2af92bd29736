import Foundation
import NumericalCore

/// Maximum mean discrepancy with a Gaussian kernel k(x, y) = exp(−|x − y|²/(2σ²))
/// (Gretton et al., JMLR 2012):
///
///   MMD²(P, Q) = E k(X, X') + E k(Y, Y') − 2 E k(X, Y).
///
/// Estimators from clouds x `[n, d]`, y `[m, d]`:
/// - unbiased (U-statistic): off-diagonal means of k(xᵢ, xᵢ') and k(yⱼ, yⱼ'), minus twice the
///   mean of k(xᵢ, yⱼ); can be slightly negative;
/// - biased (V-statistic): the same with the diagonals included; always ≥ 0, and its square
///   root is the `distance`.
///
/// Bandwidth: given σ, or the median heuristic σ = median of the pairwise distances of the
/// pooled sample (the first 1000 points of each cloud, for an O(1) cost in n). Cost O((n + m)²·d),
/// rows in parallel.
public struct MaximumMeanDiscrepancy: Sendable {
    /// A fixed σ > 0, or nil for the median heuristic.
    public var bandwidth: Double?

    public init(bandwidth: Double? = nil) {
        self.bandwidth = bandwidth
    }

    /// The bandwidth that would be used for these clouds.
    public func resolvedBandwidth(_ x: Matrix, _ y: Matrix) -> Double {
        if let bandwidth { return bandwidth }
        let p = Array(0..<min(x.rows, 1000)).map(x.row) + Array(0..<min(y.rows, 1000)).map(y.row)
        var distances = [Double]()
        distances.reserveCapacity(p.count * (p.count - 1) / 2)
        for i in 0..<p.count { for j in (i + 1)..<max(i + 1, p.count) { distances.append(Vector.norm(Vector.subtract(p[i], p[j]))) } }
        guard !distances.isEmpty else { return 1 }
        distances.sort()
        let median = distances[distances.count / 2]
        return median > 0 ? median : 1
    }

    /// MMD² (unbiased when `unbiased`, else the biased V-statistic).
    public func squaredDistance(_ x: Matrix, _ y: Matrix, unbiased: Bool = true) throws -> Double {
        _ = try DiscreteMeasure.uniform(x)
        _ = try DiscreteMeasure.uniform(y)
        guard x.columns == y.columns else {
            throw TransportError.dimensionMismatch("the clouds have \(x.columns) and \(y.columns) columns; MMD needs points of the same dimension")
        }
        if let bandwidth, !(bandwidth > 0 && bandwidth.isFinite) {
            throw TransportError.invalidParameter("bandwidth is \(bandwidth); the kernel bandwidth must be a positive number")
        }
        if unbiased && (x.rows < 2 || y.rows < 2) {
            throw TransportError.invalidMeasure("the unbiased MMD needs at least 2 points per cloud")
        }
        let sigma = resolvedBandwidth(x, y)
        let scale = -0.5 / (sigma * sigma)
        let kxx = Self.kernelSum(x, x, scale: scale), kyy = Self.kernelSum(y, y, scale: scale), kxy = Self.kernelSum(x, y, scale: scale)
        let n = Double(x.rows), m = Double(y.rows)
        if unbiased {
            return (kxx - n) / (n * (n - 1)) + (kyy - m) / (m * (m - 1)) - 2 * kxy / (n * m)
        }
        return max(0, kxx / (n * n) + kyy / (m * m) - 2 * kxy / (n * m))
    }

    /// √(biased MMD²).
    public func distance(_ x: Matrix, _ y: Matrix) throws -> Double {
        try squaredDistance(x, y, unbiased: false).squareRoot()
    }

    /// Σᵢⱼ exp(scale·|xᵢ − yⱼ|²).
    static func kernelSum(_ x: Matrix, _ y: Matrix, scale: Double) -> Double {
        let n = x.rows, m = y.rows, d = x.columns
        return x.elements.withUnsafeBufferPointer { xb in
            y.elements.withUnsafeBufferPointer { yb in
                let xp = xb.baseAddress!, yp = yb.baseAddress!
                return Parallel.sum(count: n, minimumChunk: max(1, 4096 / max(m, 1))) { rows in
                    var total = 0.0
                    for i in rows {
                        for j in 0..<m {
                            var s = 0.0
                            for k in 0..<d { let t = xp[i * d + k] - yp[j * d + k]; s += t * t }
                            total += Foundation.exp(scale * s)
                        }
                    }
                    return total
                }
            }
        }
    }
}
