import Foundation
import NumericalCore

extension GaussianMixture {
    /// The CDF Σₖ wₖ Φ((x − mₖ)/σₖ) of a one-dimensional mixture.
    public func cumulativeProbability(_ x: Double) -> Double {
        precondition(dimension == 1, "cumulativeProbability(_:) needs a 1D mixture; this one has dimension \(dimension)")
        var p = 0.0
        for (w, c) in zip(weights, components) {
            p += w * SpecialFunctions.normalCDF((x - c.mean[0]) / c.covariance[0, 0].squareRoot())
        }
        return p
    }

    /// The quantile Q(u), u ∈ (0, 1), of a one-dimensional mixture: bracketed by the
    /// component quantiles, then bisection to |Δx| ≤ 1e-14·(1 + |x|) (at most ~100 halvings;
    /// the CDF is monotone, so the answer is unique).
    public func quantile(_ u: Double) -> Double {
        precondition(dimension == 1, "quantile(_:) needs a 1D mixture; this one has dimension \(dimension)")
        precondition(u > 0 && u < 1, "quantile(_:) needs u in (0, 1); got \(u)")
        let z = SpecialFunctions.normalQuantile(u)
        var lo = Double.infinity, hi = -Double.infinity
        for (w, c) in zip(weights, components) where w > 0 {
            let s = c.covariance[0, 0].squareRoot()
            // Each component's own u-quantile; the mixture's lies between the extremes.
            lo = min(lo, c.mean[0] + s * z)
            hi = max(hi, c.mean[0] + s * z)
        }
        lo -= 1e-12 * (1 + abs(lo)); hi += 1e-12 * (1 + abs(hi))
        while hi - lo > 1e-14 * (1 + abs(lo) + abs(hi)) {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if cumulativeProbability(mid) < u { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
