import Foundation
import GradientFlows
import NumericalCore
import Probability

/// Grid views of a closed-form ρ_k (a Gaussian mixture) for the run's density files and
/// its exact-W₂ columns.
enum ClosedFormDensity {
    /// ρ at the cell centres of the config's grid (not renormalised), or nil beyond 2D.
    static func onGrid(_ mixture: GaussianMixture, config: ExperimentConfig) -> [Double]? {
        guard mixture.dimension <= 2, let grid = try? config.finiteVolumeGrid() else { return nil }
        let d = grid.dimension, pts = grid.points
        return (0..<grid.cellCount).map { mixture.density(Array(pts[($0 * d)..<(($0 + 1) * d)])) }
    }

    /// In 1D, a quantile function of ρ from its cell averages on 20 000 cells spanning
    /// ±10 standard deviations around its mean: W₂ error O(Δx²) ≈ 1e-7 relative.
    static func quantiles(_ mixture: GaussianMixture) -> Wasserstein1D? {
        guard mixture.dimension == 1 else { return nil }
        let sd = mixture.covariance[0, 0].squareRoot(), m = mixture.mean[0]
        let lower = m - 10 * sd, upper = m + 10 * sd, cells = 20_000
        let h = (upper - lower) / Double(cells)
        var values = [Double](repeating: 0, count: cells)
        var previous = mixture.cumulativeProbability(lower)
        for c in 0..<cells {
            let next = mixture.cumulativeProbability(lower + Double(c + 1) * h)
            values[c] = max(next - previous, 0) / h
            previous = next
        }
        return Wasserstein1D(cellDensity: values, lower: lower, upper: upper)
    }
}
