import Foundation
import NumericalCore

/// A Gaussian kernel density estimate of samples `[n, d]` with a diagonal bandwidth from
/// Scott's rule, hᵢ = σᵢ · n^{−1/(d+4)}:  ρ̂(x) = (1/n) Σₖ Πᵢ φ((xᵢ − x_{k,i})/hᵢ)/hᵢ.
///
/// Used for the densities of methods that only leave samples (particles, neural maps).
/// Cost O(n) per evaluation; at most `maximumPoints` samples are used (an even subsample).
public struct KernelDensity {
    public let points: Matrix
    public let bandwidths: [Double]

    public init(points all: Matrix, maximumPoints: Int = 1500) {
        let stride = max(1, (all.rows + maximumPoints - 1) / maximumPoints)
        let kept = Swift.stride(from: 0, to: all.rows, by: stride).flatMap { all.row($0) }
        let points = Matrix(rows: kept.count / all.columns, columns: all.columns, elements: kept)
        let n = Double(points.rows)
        let d = Double(points.columns)
        bandwidths = (0..<points.columns).map { j in
            let column = points.column(j)
            let mean = column.reduce(0, +) / n
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(1, n - 1)).squareRoot()
            return max(sd, 1e-6) * pow(n, -1 / (d + 4))
        }
        self.points = points
    }

    /// ρ̂(x) at a point of length d.
    public func evaluate(_ x: [Double]) -> Double {
        let d = points.columns
        var normaliser = Double(points.rows)
        for h in bandwidths { normaliser *= h * (2 * Double.pi).squareRoot() }
        var total = 0.0
        points.elements.withUnsafeBufferPointer { p in
            for k in 0..<points.rows {
                var exponent = 0.0
                for i in 0..<d {
                    let u = (x[i] - p[k * d + i]) / bandwidths[i]
                    exponent += u * u
                }
                if exponent < 60 { total += exp(-0.5 * exponent) }
            }
        }
        return total / normaliser
    }
}
