import Foundation
import NumericalCore
import Probability

/// The exact JKO step for a Gaussian iterate and a quadratic potential (DESIGN.md §1.1).
///
/// For ν = N(b, A⁻¹), F(ρ) = KL(ρ‖ν) and the current iterate N(m, S) with S commuting
/// with A, the minimiser of W₂²(N(m, S), ρ)/(2h) + F(ρ) is Gaussian, reached by the affine
/// optimal map T(x) = m' + M(x − m) with
///
///   m' = (I + hA)⁻¹(m + hAb),
///   M  = [I + √(I + 4h(I + hA)S⁻¹)] (I + hA)⁻¹ / 2,     S' = M S M.
///
/// S' again commutes with A, so the step iterates; its fixed point is S = A⁻¹ and the
/// iterates differ from the analytic flow ρ_{kh} by O(h). Matrices that commute share an
/// eigenbasis, so every matrix function above is evaluated in that basis.
public struct GaussianJKO: Sendable {
    /// The target mean b.
    public let targetMean: [Double]
    /// The target precision A, `[d, d]`.
    public let targetPrecision: Matrix
    /// The time step h > 0.
    public let timeStep: Double
    /// Relative commutator ‖AS − SA‖_F/(‖A‖_F‖S‖_F) above which a covariance is rejected.
    public static let commutatorTolerance = 1e-9

    public init(target: Gaussian, timeStep: Double) throws {
        guard timeStep > 0, timeStep.isFinite else {
            throw GradientFlowError.invalidTimeStep(timeStep)
        }
        self.targetMean = target.mean
        self.targetPrecision = target.precision
        self.timeStep = timeStep
    }

    /// The affine map T(x) = m' + M(x − m) of one step from `current`.
    public func map(from current: Gaussian) throws -> (newMean: [Double], slope: Matrix) {
        let d = targetMean.count
        guard current.dimension == d else {
            throw GradientFlowError.dimensionMismatch("the iterate has dimension \(current.dimension) but the target \(d)")
        }
        let s = current.covariance
        let c = targetPrecision.commutator(with: s)
        guard c <= GaussianJKO.commutatorTolerance else {
            throw GradientFlowError.nonCommutingCovariance(commutator: c)
        }
        let h = timeStep
        let iPlusHA = Matrix.identity(d) + h * targetPrecision
        let newMean = try iPlusHA.solve(Matrix.column(Vector.add(current.mean, h * targetPrecision * targetMean))).elements
        let inner = (Matrix.identity(d) + 4 * h * (iPlusHA * current.precision)).symmetrized
        let root = try inner.symmetricSquareRoot()
        let slope = (0.5 * ((Matrix.identity(d) + root) * (try iPlusHA.inverse()))).symmetrized
        return (newMean, slope)
    }

    /// ρ_{k+1} from ρ_k = `current`.
    public func step(from current: Gaussian) throws -> Gaussian {
        let (m, slope) = try map(from: current)
        return try Gaussian(mean: m, covariance: (slope * current.covariance * slope).symmetrized)
    }

    /// [ρ₀, ρ₁, …, ρ_K]: `stepCount` iterated steps from `start`.
    public func iterates(from start: Gaussian, stepCount: Int) throws -> [Gaussian] {
        var out = [start]
        out.reserveCapacity(stepCount + 1)
        for _ in 0..<stepCount { out.append(try step(from: out[out.count - 1])) }
        return out
    }
}
