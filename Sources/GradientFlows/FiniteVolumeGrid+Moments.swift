import Foundation
import NumericalCore

extension FiniteVolumeGrid {
    /// Mean (length d) and covariance (`[d, d]`) of a cell density, with each cell's mass at
    /// its centre plus the uniform in-cell variance Δx²/12 on the diagonal (exact for the
    /// piecewise-constant density).
    public func moments(_ density: [Double]) -> (mean: [Double], covariance: Matrix) {
        let d = dimension, pts = points
        let total = density.reduce(0, +)
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<cellCount { for a in 0..<d { mean[a] += density[i] * pts[i * d + a] } }
        mean = mean.map { $0 / total }
        var cov = Matrix(rows: d, columns: d)
        for i in 0..<cellCount {
            for a in 0..<d { for b in 0..<d { cov[a, b] += density[i] * (pts[i * d + a] - mean[a]) * (pts[i * d + b] - mean[b]) } }
        }
        for a in 0..<d { for b in 0..<d { cov[a, b] /= total } }
        for a in 0..<d { cov[a, a] += spacing * spacing / 12 }
        return (mean, cov)
    }

    /// `count` exact draws `[count, d]` from the piecewise-constant density: a cell by its
    /// mass (inverse CDF, binary search), then a uniform point inside it.
    public func sample(_ density: [Double], count: Int, using generator: inout RandomGenerator) -> Matrix {
        let d = dimension, h = spacing
        var cumulative = [Double](repeating: 0, count: cellCount + 1)
        for i in 0..<cellCount { cumulative[i + 1] = cumulative[i] + max(density[i], 0) }
        let total = cumulative[cellCount]
        let n1 = d == 2 ? cellCounts[1] : 1
        var out = Matrix(rows: count, columns: d)
        for k in 0..<count {
            let u = generator.uniform() * total
            var lo = 0, hi = cellCount
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if cumulative[mid] <= u { lo = mid } else { hi = mid }
            }
            let i = lo / n1, j = lo % n1
            out[k, 0] = lower[0] + (Double(i) + generator.uniform()) * h
            if d == 2 { out[k, 1] = lower[1] + (Double(j) + generator.uniform()) * h }
        }
        return out
    }
}
