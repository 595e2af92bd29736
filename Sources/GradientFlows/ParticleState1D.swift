import Foundation
import NumericalCore
import Probability

/// A one-dimensional probability measure in mass coordinates: ordered particles
/// x₀ < x₁ < … < x_{N−1} with masses mᵢ > 0, Σ mᵢ = 1 (DESIGN.md §1.2).
///
/// Two readings of the same state, used together by ``LagrangianJKO1D``:
/// - as weighted Diracs Σ mᵢ δ_{xᵢ}: W₂² to a state with the same masses is Σ mᵢ|xᵢ − x′ᵢ|²
///   (the monotone rearrangement is optimal in 1D), and ∫V dρ ≈ Σ mᵢ V(xᵢ);
/// - as a piecewise-constant density: gap j = [x_j, x_{j+1}] carries the mass
///   δ_j = (m_j + m_{j+1})/2, density ρ_j = δ_j/(x_{j+1} − x_j), entropy Σ δ_j log ρ_j.
///   The half masses of the two outer particles lie outside the gaps (an O(1/N) end effect).
public struct ParticleState1D: Sendable, Equatable {
    /// xᵢ, strictly increasing, length N ≥ 2.
    public var positions: [Double]
    /// mᵢ > 0, summing to 1, length N.
    public let masses: [Double]

    /// Validates ordering, positivity of the masses and their sum (to 1e-12).
    public init(positions: [Double], masses: [Double]) throws {
        guard positions.count >= 2, masses.count == positions.count else {
            throw GradientFlowError.dimensionMismatch(
                "a particle state needs at least 2 particles and one mass per particle; got \(positions.count) positions and \(masses.count) masses")
        }
        let total = ParticleState1D.compensatedSum(masses)
        guard masses.allSatisfy({ $0 > 0 && $0.isFinite }), abs(total - 1) <= 1e-12 else {
            throw GradientFlowError.invalidParticles("particle masses must be positive and sum to 1 (sum \(total)); normalise them")
        }
        guard positions.allSatisfy(\.isFinite), zip(positions, positions.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw GradientFlowError.invalidParticles("particle positions must be finite and strictly increasing; sort them and merge duplicates")
        }
        self.positions = positions
        self.masses = masses
    }

    /// N particles of mass 1/N at the mid-mass quantiles xᵢ = Q((i + ½)/N) of a start law.
    ///
    /// - Parameters:
    ///   - particleCount: N ≥ 2.
    ///   - quantile: Q, the start distribution's quantile function on (0, 1).
    public init(particleCount: Int, quantile: (Double) -> Double) throws {
        guard particleCount >= 2 else {
            throw GradientFlowError.invalidParticles("the particle JKO scheme needs particleCount ≥ 2; got \(particleCount)")
        }
        let n = Double(particleCount)
        try self.init(positions: (0..<particleCount).map { quantile((Double($0) + 0.5) / n) },
                      masses: [Double](repeating: 1 / n, count: particleCount))
    }

    /// N equal-mass particles at the mid-mass quantiles of a 1D Gaussian mixture.
    public init(particleCount: Int, start: GaussianMixture) throws {
        guard start.dimension == 1 else {
            throw GradientFlowError.dimensionMismatch("the 1D particle scheme needs a 1D start; this one has dimension \(start.dimension)")
        }
        try self.init(particleCount: particleCount, quantile: start.quantile)
    }

    public var count: Int { positions.count }

    /// The mid-mass levels ūᵢ = m₀ + … + m_{i−1} + mᵢ/2.
    public var massLevels: [Double] {
        var c = 0.0
        return masses.map { m in defer { c += m }; return c + 0.5 * m }
    }

    /// Σ mᵢ xᵢ.
    public var mean: Double { zip(masses, positions).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Σ mᵢ (xᵢ − mean)².
    public var variance: Double {
        let mu = mean
        return zip(masses, positions).reduce(0) { $0 + $1.0 * ($1.1 - mu) * ($1.1 - mu) }
    }

    /// Σ mᵢ by compensated summation — 1 to about 1e-16 (the mass column of a run).
    public var totalMass: Double { ParticleState1D.compensatedSum(masses) }

    /// Kahan–Babuška (Neumaier) summation: error O(ε) independent of the count.
    static func compensatedSum(_ values: [Double]) -> Double {
        var sum = 0.0, compensation = 0.0
        for v in values {
            let t = sum + v
            compensation += abs(sum) >= abs(v) ? (sum - t) + v : (v - t) + sum
            sum = t
        }
        return sum + compensation
    }

    /// The discrete entropy Σⱼ δⱼ log(δⱼ/(x_{j+1} − x_j)), δⱼ = (mⱼ + m_{j+1})/2.
    public var entropy: Double {
        var s = 0.0
        for j in 0..<(count - 1) {
            let delta = 0.5 * (masses[j] + masses[j + 1])
            s += delta * Foundation.log(delta / (positions[j + 1] - positions[j]))
        }
        return s
    }

    /// Σ mᵢ V(xᵢ).
    public func potentialEnergy(_ potential: any Potential) -> Double {
        var values = [Double](repeating: 0, count: count)
        positions.withUnsafeBufferPointer { p in
            values.withUnsafeMutableBufferPointer { v in
                potential.evaluate(count: count, points: p.baseAddress!, values: v.baseAddress!, gradients: nil, hessians: nil)
            }
        }
        return zip(masses, values).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// F(ρ) = entropy + Σ mᵢV(xᵢ) + log Z: the discrete KL(ρ‖e^{−V}/Z) when Z is known in
    /// closed form, otherwise the free energy without its constant (`logPartitionFunction`
    /// then counts as 0; differences between states are unaffected).
    public func energy(_ potential: any Potential) -> Double {
        entropy + potentialEnergy(potential) + (potential.logPartitionFunction ?? 0)
    }

    /// W₂²(self, other) = Σ mᵢ|xᵢ − x′ᵢ|² between states with the same masses.
    public func squaredDistance(to other: ParticleState1D) -> Double {
        precondition(other.masses == masses, "squaredDistance(to:) compares states with the same masses")
        var s = 0.0
        for i in 0..<count { let d = positions[i] - other.positions[i]; s += masses[i] * d * d }
        return s
    }

    /// The piecewise-constant density on `[lower, upper]` averaged over `cellCount` equal
    /// cells (zero outside [x₀, x_{N−1}]); its integral is Σ δⱼ = 1 − (m₀ + m_{N−1})/2.
    public func density(lower: Double, upper: Double, cellCount: Int) -> [Double] {
        var out = [Double](repeating: 0, count: cellCount)
        let h = (upper - lower) / Double(cellCount)
        for j in 0..<(count - 1) {
            let a = positions[j], b = positions[j + 1]
            let rho = 0.5 * (masses[j] + masses[j + 1]) / (b - a)
            let first = max(0, Int(((a - lower) / h).rounded(.down)))
            let last = min(cellCount - 1, Int(((b - lower) / h).rounded(.down)))
            guard first <= last else { continue }
            for c in first...last {
                let lo = max(a, lower + Double(c) * h), hi = min(b, lower + Double(c + 1) * h)
                if hi > lo { out[c] += rho * (hi - lo) / h }
            }
        }
        return out
    }
}
