import Foundation

/// An unnormalised density on a uniform grid x_j = a + jΔ, j = 0…M, interpolated linearly,
/// with its cumulative masses for inverse-CDF sampling.
///
/// Cell j carries the exact mass Δ(u_j + u_{j+1})/2 of the interpolant; inside a cell the
/// CDF is quadratic and is inverted in closed form, so a draw is exact for the interpolant.
/// Sampling costs O(log M) (binary search).
struct PiecewiseLinearDensity: Sendable {
    let lower: Double
    let spacing: Double
    /// Node values u_j ≥ 0, length M + 1.
    let nodeValues: [Double]
    /// Cumulative cell masses, length M + 1, starting at 0; the last entry is the total.
    let cumulative: [Double]

    init(lower: Double, spacing: Double, nodeValues: [Double]) {
        self.lower = lower
        self.spacing = spacing
        self.nodeValues = nodeValues
        var c = [Double](repeating: 0, count: nodeValues.count)
        for j in 1..<nodeValues.count { c[j] = c[j - 1] + 0.5 * spacing * (nodeValues[j - 1] + nodeValues[j]) }
        self.cumulative = c
    }

    var total: Double { cumulative[cumulative.count - 1] }

    /// The point whose interpolant CDF is `u · total`, u ∈ [0, 1).
    func quantile(_ u: Double) -> Double {
        let target = u * total
        var lo = 0, hi = cumulative.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if cumulative[mid] <= target { lo = mid } else { hi = mid }
        }
        let a = nodeValues[lo], b = nodeValues[lo + 1]
        let cellMass = cumulative[lo + 1] - cumulative[lo]
        guard cellMass > 0 else { return lower + Double(lo) * spacing }
        // Solve a s + (b − a)s²/(2Δ) = w for s ∈ [0, Δ] (w the mass needed inside the cell),
        // written as s = 2w / (a + √(a² + 2(b − a)w/Δ)) to stay accurate when b ≈ a.
        let w = min(max(target - cumulative[lo], 0), cellMass)
        let disc = max(a * a + 2 * (b - a) * w / spacing, 0)
        let denominator = a + disc.squareRoot()
        let s = denominator > 0 ? min(2 * w / denominator, spacing) : 0
        return lower + Double(lo) * spacing + s
    }

    /// ∫ x ρ and ∫ x² ρ of the interpolant (unnormalised), exact for piecewise-linear ρ.
    var firstMoments: (m1: Double, m2: Double) {
        var m1 = 0.0, m2 = 0.0
        for j in 0..<(nodeValues.count - 1) {
            let x0 = lower + Double(j) * spacing, h = spacing
            let a = nodeValues[j], b = nodeValues[j + 1]
            // ρ(x0 + s) = a + (b − a)s/h on [0, h].
            m1 += h * (a * (x0 + h / 2) + (b - a) * (x0 / 2 + h / 3))
            m2 += h * (a * (x0 * x0 + x0 * h + h * h / 3) + (b - a) * (x0 * x0 / 2 + 2 * x0 * h / 3 + h * h / 4))
        }
        return (m1, m2)
    }
}
