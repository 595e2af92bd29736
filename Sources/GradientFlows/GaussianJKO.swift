import Foundation
import NumericalCore
import Probability

/// The exact JKO step for a Gaussian iterate and a quadratic potential (DESIGN.md §1.1),
/// for any symmetric positive definite covariance: S need not commute with A.
///
/// For ν = N(b, A⁻¹), F(ρ) = KL(ρ‖ν) and the current iterate N(m, S), the minimiser of
/// W₂²(N(m, S), ρ)/(2h) + F(ρ) is the Gaussian N(m', S'), reached by the affine optimal map
/// T(x) = m' + M(x − m) (``GaussianJKOMap``). The optimality condition
/// (T(x) − x)/h = −∇(V + log ρ')(T(x)), with ∇V(y) = A(y − b) and ∇log ρ'(y) = −S'⁻¹(y − m'),
/// splits into a constant and a linear part:
///
///   m' = (I + hA)⁻¹(m + hAb),
///   B M − I = h S'⁻¹ M,   B = I + hA.
///
/// With S' = M S M (so S'⁻¹M = M⁻¹S⁻¹) the second is the symmetric quadratic matrix equation
/// M B M − M = h S⁻¹. Writing M = B^{−½} N B^{−½} turns it into N² − N = C with
/// C = h B^{½} S⁻¹ B^{½} (symmetric positive definite), whose only symmetric positive
/// definite root is
///
///   N = [I + √(I + 4C)] / 2,   M = B^{−½} N B^{−½},   S' = M S M.
///
/// When S commutes with A, all of B, C, N commute and M = [I + √(I + 4h B S⁻¹)] B⁻¹ / 2, the
/// commuting formula of DESIGN.md. The fixed point is S = A⁻¹: then C = hAB, with eigenvalues
/// c = ha(1 + ha), so √(1 + 4c) = 1 + 2ha, N = B and M = I. The iterates differ from the
/// analytic flow ρ_{kh} by O(h). Cost O(d³) per step: one symmetric eigen-decomposition for
/// √(I + 4C) (B^{±½} and B⁻¹ come from one decomposition of B per target).
public struct GaussianJKO: Sendable {
    /// The target mean b.
    public let targetMean: [Double]
    /// The target precision A, `[d, d]`.
    public let targetPrecision: Matrix
    /// The time step h > 0.
    public let timeStep: Double
    /// B^{½} = (I + hA)^{½}, B^{−½} and B⁻¹, `[d, d]`.
    let rootB: Matrix, inverseRootB: Matrix, inverseB: Matrix
    /// (I + hA)⁻¹(hAb): the target's share of the new mean.
    let meanShift: [Double]

    public init(target: Gaussian, timeStep: Double) throws {
        guard timeStep > 0, timeStep.isFinite else {
            throw GradientFlowError.invalidTimeStep(timeStep)
        }
        self.targetMean = target.mean
        self.targetPrecision = target.precision
        self.timeStep = timeStep
        let b = (Matrix.identity(target.dimension) + timeStep * target.precision).symmetrized
        let eigen = try b.symmetricEigen()
        rootB = eigen.apply { $0.squareRoot() }
        inverseRootB = eigen.apply { 1 / $0.squareRoot() }
        inverseB = eigen.apply { 1 / $0 }
        meanShift = inverseB * (timeStep * target.precision * target.mean)
    }

    /// The affine map T(x) = m' + M(x − m) of one step from `current` = N(m, S).
    public func map(from current: Gaussian) throws -> GaussianJKOMap {
        let d = targetMean.count
        guard current.dimension == d else {
            throw GradientFlowError.dimensionMismatch("the iterate has dimension \(current.dimension) but the target \(d)")
        }
        let newMean = Vector.add(inverseB * current.mean, meanShift)
        let c = (timeStep * (rootB * current.precision * rootB)).symmetrized
        // N = (I + √(I + 4C))/2; C is positive semi-definite, so round-off below −¼ cannot occur
        // for a valid covariance, and the clamp only guards the square root.
        let n = try c.symmetricFunction { 0.5 * (1 + max(1 + 4 * $0, 0).squareRoot()) }
        let slope = (inverseRootB * n * inverseRootB).symmetrized
        return GaussianJKOMap(sourceMean: current.mean, slope: slope, newMean: newMean)
    }

    /// ρ_{k+1} = T#ρ_k from ρ_k = `current`.
    public func step(from current: Gaussian) throws -> Gaussian {
        try map(from: current).pushForward(current)
    }

    /// [ρ₀, ρ₁, …, ρ_K]: `stepCount` iterated steps from `start`.
    public func iterates(from start: Gaussian, stepCount: Int) throws -> [Gaussian] {
        var out = [start]
        out.reserveCapacity(stepCount + 1)
        for _ in 0..<stepCount { out.append(try step(from: out[out.count - 1])) }
        return out
    }

    /// The maps T_1, …, T_K of `stepCount` iterated steps from `start` (T_k: ρ_{k−1} → ρ_k).
    public func maps(from start: Gaussian, stepCount: Int) throws -> [GaussianJKOMap] {
        var current = start
        var out = [GaussianJKOMap]()
        out.reserveCapacity(stepCount)
        for _ in 0..<stepCount {
            let t = try map(from: current)
            out.append(t)
            current = try t.pushForward(current)
        }
        return out
    }
}
