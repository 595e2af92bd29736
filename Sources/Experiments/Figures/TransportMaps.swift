import Foundation
import GradientFlows
import NumericalCore
import Probability

/// Transport maps the figures draw, computed from what a run holds.
///
/// - 1D: the optimal map between two laws is the monotone rearrangement T = F_ν⁻¹ ∘ F_μ. With
///   closed-form mixtures the CDFs are exact (Φ via erfc, inversion by bisection); with samples
///   both are the empirical CDF/quantile functions, linearly interpolated between order
///   statistics placed at probabilities (i + ½)/n.
/// - 2D: the exact discrete OT matching between two equal-size sample clouds (squared
///   Euclidean cost, Hungarian algorithm, O(n³)), and a kernel-smoothed version of it to move
///   the nodes of a regular grid.
public enum TransportMaps {
    // MARK: 1D

    /// F(x) of a one-dimensional Gaussian mixture.
    public static func cdf(_ mixture: GaussianMixture, _ x: Double) -> Double {
        zip(mixture.weights, mixture.components).reduce(0) { total, pair in
            let (w, g) = pair
            let z = (x - g.mean[0]) / g.covariance[0, 0].squareRoot()
            return total + w * 0.5 * erfc(-z / 2.0.squareRoot())
        }
    }

    /// F⁻¹(u) of a one-dimensional Gaussian mixture, by bisection to 1e-10.
    public static func quantile(_ mixture: GaussianMixture, _ u: Double) -> Double {
        var lower = mixture.components.map { $0.mean[0] - 12 * $0.covariance[0, 0].squareRoot() }.min()!
        var upper = mixture.components.map { $0.mean[0] + 12 * $0.covariance[0, 0].squareRoot() }.max()!
        for _ in 0..<80 where upper - lower > 1e-10 {
            let middle = 0.5 * (lower + upper)
            if cdf(mixture, middle) < u { lower = middle } else { upper = middle }
        }
        return 0.5 * (lower + upper)
    }

    /// T(x) = F_target⁻¹(F_source(x)) for closed-form 1D mixtures.
    public static func monotoneMap(from source: GaussianMixture, to target: GaussianMixture, at xs: [Double]) -> [Double] {
        xs.map { x in
            let u = min(max(cdf(source, x), 1e-15), 1 - 1e-15)
            return quantile(target, u)
        }
    }

    /// T(x) = Q_target(F_source(x)) for 1D samples (empirical, interpolated).
    public static func monotoneMap(fromSamples source: [Double], toSamples target: [Double], at xs: [Double]) -> [Double] {
        let a = source.sorted(), b = target.sorted()
        return xs.map { x in empiricalQuantile(b, empiricalCDF(a, x)) }
    }

    /// Interpolated empirical CDF: the i-th order statistic (0-based) sits at (i + ½)/n.
    static func empiricalCDF(_ sorted: [Double], _ x: Double) -> Double {
        let n = sorted.count
        guard n > 1 else { return 0.5 }
        if x <= sorted[0] { return 0.5 / Double(n) }
        if x >= sorted[n - 1] { return (Double(n) - 0.5) / Double(n) }
        var low = 0, high = n - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if sorted[middle] <= x { low = middle } else { high = middle }
        }
        let span = sorted[high] - sorted[low]
        let fraction = span > 0 ? (x - sorted[low]) / span : 0.5
        return (Double(low) + fraction + 0.5) / Double(n)
    }

    /// Interpolated empirical quantile, the inverse of `empiricalCDF`.
    static func empiricalQuantile(_ sorted: [Double], _ u: Double) -> Double {
        let n = sorted.count
        let position = min(max(u * Double(n) - 0.5, 0), Double(n - 1))
        let i = min(Int(position), n - 2)
        guard n > 1 else { return sorted[0] }
        return sorted[i] + (position - Double(i)) * (sorted[i + 1] - sorted[i])
    }

    // MARK: Affine Gaussian JKO maps

    /// An affine map T(x) = image + slope·(x − origin).
    public struct AffineMap: Equatable {
        public let origin: [Double]
        public let image: [Double]
        public let slope: Matrix

        /// T(x) for a point of length d.
        public func callAsFunction(_ x: [Double]) -> [Double] {
            let shift = Vector.subtract(x, origin)
            return (0..<image.count).map { i in image[i] + (0..<shift.count).reduce(0) { $0 + slope[i, $1] * shift[$1] } }
        }

        /// self ∘ first: x ↦ self(first(x)), again affine.
        public func after(_ first: AffineMap) -> AffineMap {
            AffineMap(origin: first.origin, image: callAsFunction(first.image), slope: slope * first.slope)
        }
    }

    /// The exact JKO maps of a Gaussian run (DESIGN.md §1.1): element k − 1 is the one-step
    /// map T_k: ρ_{k−1} → ρ_k, T_k(x) = m_k + M_k(x − m_{k−1}) from `GaussianJKO.map(from:)`;
    /// their compositions T_k ∘ … ∘ T_1 (the map from ρ₀, as S-JKO learns it) are
    /// `composed(_:)`. Exact for any SPD covariances.
    public static func gaussianJKOSteps(_ jko: GaussianJKO, from start: Gaussian, stepCount: Int) throws -> [AffineMap] {
        var current = start
        var maps: [AffineMap] = []
        for _ in 0..<stepCount {
            let map = try jko.map(from: current)
            maps.append(AffineMap(origin: map.sourceMean, image: map.newMean, slope: map.slope))
            current = try jko.step(from: current)
        }
        return maps
    }

    /// [T_1, T_2 ∘ T_1, …]: the maps from ρ₀ of a sequence of one-step maps.
    public static func composed(_ steps: [AffineMap]) -> [AffineMap] {
        var out: [AffineMap] = []
        for map in steps { out.append(out.last.map { map.after($0) } ?? map) }
        return out
    }

    // MARK: 2D

    /// The permutation σ minimising Σᵢ |xᵢ − y_σ(i)|² between two clouds of n points `[n, d]`
    /// (Hungarian algorithm with potentials, O(n³)).
    public static func optimalMatching(_ x: Matrix, _ y: Matrix) -> [Int] {
        precondition(x.rows == y.rows && x.columns == y.columns, "matching needs two clouds of one shape")
        let n = x.rows, d = x.columns
        func cost(_ i: Int, _ j: Int) -> Double {
            var s = 0.0
            for k in 0..<d { let diff = x[i, k] - y[j, k]; s += diff * diff }
            return s
        }
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: n + 1)
        var p = [Int](repeating: 0, count: n + 1), way = [Int](repeating: 0, count: n + 1)
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minimum = [Double](repeating: .infinity, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1...n where !used[j] {
                    let reduced = cost(i0 - 1, j - 1) - u[i0] - v[j]
                    if reduced < minimum[j] { minimum[j] = reduced; way[j] = j0 }
                    if minimum[j] < delta { delta = minimum[j]; j1 = j }
                }
                for j in 0...n {
                    if used[j] { u[p[j]] += delta; v[j] -= delta } else { minimum[j] -= delta }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var sigma = [Int](repeating: 0, count: n)
        for j in 1...n { sigma[p[j] - 1] = j - 1 }
        return sigma
    }

    /// The matched displacements yᵢ − xᵢ carried to an arbitrary point by Nadaraya–Watson
    /// kernel regression with a Gaussian kernel of width `bandwidth`:
    /// T(z) = z + Σᵢ wᵢ(z)(yᵢ − xᵢ)/Σᵢ wᵢ(z),  wᵢ(z) = exp(−|z − xᵢ|²/(2b²)).
    public static func smoothedMap(sources x: Matrix, targets y: Matrix, bandwidth: Double) -> ([Double]) -> [Double] {
        return { z in
            var weightSum = 0.0
            var shift = [Double](repeating: 0, count: x.columns)
            for i in 0..<x.rows {
                var r2 = 0.0
                for k in 0..<x.columns { let diff = z[k] - x[i, k]; r2 += diff * diff }
                let w = exp(-r2 / (2 * bandwidth * bandwidth))
                weightSum += w
                for k in 0..<x.columns { shift[k] += w * (y[i, k] - x[i, k]) }
            }
            guard weightSum > 1e-300 else { return z }
            return zip(z, shift).map { $0 + $1 / weightSum }
        }
    }
}
