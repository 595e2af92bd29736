import Foundation
import NumericalCore
import Probability

/// Exact W₂ in one dimension through quantile functions: W₂²(μ, ν) = ∫₀¹ |Q_μ(u) − Q_ν(u)|² du.
///
/// Every discrete state of the exact schemes has a piecewise-linear quantile function:
/// a Dirac of mass m at x is a flat piece of length m, a cell of mass m with constant density
/// on [a, b] a linear piece from a to b. Merging the two lists of pieces and integrating the
/// squared difference of two linear functions on each merged piece is exact; O(n₁ + n₂).
/// Against a Gaussian mixture, the integral over each Dirac's mass interval uses the
/// mixture's partial moments in closed form (also exact).
public struct Wasserstein1D: Sendable {
    /// Piece k covers mass levels [u_k, u_{k+1}] and runs linearly from `starts[k]` to `ends[k]`.
    public let levels: [Double]
    public let starts: [Double]
    public let ends: [Double]

    /// The quantile function of Σ mᵢ δ_{xᵢ} (x sorted).
    public init(particles state: ParticleState1D) {
        var levels = [0.0]
        for m in state.masses { levels.append(levels[levels.count - 1] + m) }
        levels[levels.count - 1] = max(levels[levels.count - 1], 1)
        self.levels = levels
        self.starts = state.positions
        self.ends = state.positions
    }

    /// The quantile function of a piecewise-constant density on `cellCount` equal cells of
    /// [lower, upper] (values ≥ 0, normalised here; empty cells are skipped).
    public init(cellDensity density: [Double], lower: Double, upper: Double) {
        let h = (upper - lower) / Double(density.count)
        let total = density.reduce(0) { $0 + max($1, 0) } * h
        var levels = [0.0], starts = [Double](), ends = [Double]()
        for (c, value) in density.enumerated() where value > 0 {
            levels.append(levels[levels.count - 1] + value * h / total)
            starts.append(lower + Double(c) * h)
            ends.append(lower + Double(c + 1) * h)
        }
        levels[levels.count - 1] = 1
        self.levels = levels
        self.starts = starts
        self.ends = ends
    }

    /// Q(u) on piece k.
    @inline(__always)
    func value(_ u: Double, piece k: Int) -> Double {
        let width = levels[k + 1] - levels[k]
        guard width > 0 else { return starts[k] }
        return starts[k] + (ends[k] - starts[k]) * (u - levels[k]) / width
    }

    /// W₂²(self, other).
    public func squaredDistance(to other: Wasserstein1D) -> Double {
        var i = 0, j = 0, u = 0.0, total = 0.0
        while i < starts.count && j < other.starts.count {
            let next = min(levels[i + 1], other.levels[j + 1])
            if next > u {
                // Difference linear on [u, next]: ∫(a + (b − a)s)² ds · L = L(a² + ab + b²)/3.
                let a = value(u, piece: i) - other.value(u, piece: j)
                let b = value(next, piece: i) - other.value(next, piece: j)
                total += (next - u) * (a * a + a * b + b * b) / 3
                u = next
            }
            if levels[i + 1] <= u { i += 1 }
            if j < other.starts.count && other.levels[j + 1] <= u { j += 1 }
        }
        return total
    }

    /// W₂² between Σ mᵢ δ_{xᵢ} and a 1D Gaussian mixture ν, exact:
    /// Σᵢ [mᵢxᵢ² − 2xᵢ∫_{Iᵢ} x dν + ∫_{Iᵢ} x² dν] with Iᵢ = [Q_ν(cᵢ), Q_ν(cᵢ₊₁)], cᵢ = m₀ + … + m_{i−1}.
    public static func squaredDistance(particles state: ParticleState1D, mixture: GaussianMixture) -> Double {
        precondition(mixture.dimension == 1, "squaredDistance(particles:mixture:) needs a 1D mixture")
        var cumulative = 0.0
        var lowerMoments = (0.0, 0.0)
        var total = 0.0
        for (i, x) in state.positions.enumerated() {
            cumulative += state.masses[i]
            let upperEnd = i == state.count - 1 || cumulative >= 1 ? Double.infinity : mixture.quantile(cumulative)
            let upperMoments = partialMoments(mixture, below: upperEnd)
            let m1 = upperMoments.0 - lowerMoments.0, m2 = upperMoments.1 - lowerMoments.1
            total += state.masses[i] * x * x - 2 * x * m1 + m2
            lowerMoments = upperMoments
        }
        return max(total, 0)
    }

    /// (∫_{−∞}^{b} x dν, ∫_{−∞}^{b} x² dν) for a 1D mixture: per component N(μ, σ²) with
    /// β = (b − μ)/σ, ∫x = μΦ(β) − σφ(β) and ∫x² = (μ² + σ²)Φ(β) − σ(μ + b)φ(β).
    static func partialMoments(_ mixture: GaussianMixture, below b: Double) -> (Double, Double) {
        var first = 0.0, second = 0.0
        for (w, c) in zip(mixture.weights, mixture.components) {
            let mu = c.mean[0], sigma = c.covariance[0, 0].squareRoot()
            if b == .infinity { first += w * mu; second += w * (mu * mu + sigma * sigma); continue }
            let beta = (b - mu) / sigma
            let cdf = SpecialFunctions.normalCDF(beta)
            let pdf = Foundation.exp(-0.5 * beta * beta) / (2 * Double.pi).squareRoot()
            first += w * (mu * cdf - sigma * pdf)
            second += w * ((mu * mu + sigma * sigma) * cdf - sigma * (mu + b) * pdf)
        }
        return (first, second)
    }
}

extension Wasserstein1D {
    /// Q(u) for u ∈ [0, 1] (binary search over the pieces): a sample of the law when u is uniform.
    public func quantile(_ u: Double) -> Double {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if levels[mid + 1] < u { lo = mid + 1 } else { hi = mid }
        }
        return value(min(max(u, levels[lo]), levels[lo + 1]), piece: lo)
    }
}

extension Wasserstein1D {
    /// The quantile function of the empirical measure (1/n) Σ δ_{xᵢ} of a sample (any order,
    /// ties allowed).
    public init(empirical values: [Double]) {
        let sorted = values.sorted()
        let n = Double(sorted.count)
        var levels = (0...sorted.count).map { Double($0) / n }
        levels[levels.count - 1] = 1
        self.levels = levels
        self.starts = sorted
        self.ends = sorted
    }
}
