import Foundation
import NumericalCore
import Probability

/// The analytic Fokker–Planck flow for a quadratic potential (Ornstein–Uhlenbeck).
///
/// Target ν = N(b, A⁻¹), V(x) = ½(x−b)ᵀA(x−b), A symmetric positive definite. The law of
/// dX = −A(X−b)dt + √2 dW is X_t = b + e^{−At}(X₀−b) + ξ_t with
/// ξ_t ~ N(0, A⁻¹(I − e^{−2At})) independent of X₀ (DESIGN.md §1.1). A Gaussian-mixture
/// start therefore stays a mixture: component N(mᵢ, Sᵢ) with weight wᵢ becomes
///
///   N(b + e^{−At}(mᵢ−b), e^{−At}Sᵢe^{−At} + A⁻¹(I − e^{−2At})), same weight.
///
/// Every quantity (density, samples, mean, covariance) is closed-form in any dimension;
/// matrix functions of A go through one symmetric eigen-decomposition, O(d³) per time.
public struct OrnsteinUhlenbeckFlow: Sendable {
    /// The start distribution ρ₀.
    public let start: GaussianMixture
    /// The target mean b.
    public let targetMean: [Double]
    /// The target precision A (so the target covariance is A⁻¹), `[d, d]`.
    public let targetPrecision: Matrix
    let precisionEigen: SymmetricEigen

    /// - Parameters:
    ///   - start: ρ₀, a Gaussian mixture in ℝᵈ.
    ///   - target: ν = N(b, Σ); its precision A = Σ⁻¹ drives the flow.
    public init(start: GaussianMixture, target: Gaussian) throws {
        guard start.dimension == target.dimension else {
            throw ProbabilityError.dimensionMismatch(
                "the start lives in \(start.dimension) dimensions but the target in \(target.dimension); both must match")
        }
        self.start = start
        self.targetMean = target.mean
        self.targetPrecision = target.precision
        self.precisionEigen = try target.precision.symmetricEigen()
    }

    public var dimension: Int { targetMean.count }

    /// The target ν = N(b, A⁻¹), the flow's equilibrium.
    public var target: Gaussian {
        // A⁻¹ is SPD because A is; the force-try cannot fail for a validated flow.
        try! Gaussian(mean: targetMean, covariance: precisionEigen.apply { 1 / $0 })
    }

    /// e^{−At}.
    public func decay(at time: Double) -> Matrix { precisionEigen.apply { Foundation.exp(-time * $0) } }

    /// A⁻¹(I − e^{−2At}): the covariance of the noise accumulated by time t (uses expm1
    /// so that small t keeps full relative precision).
    public func noiseCovariance(at time: Double) -> Matrix {
        precisionEigen.apply { -Foundation.expm1(-2 * time * $0) / $0 }
    }

    /// Maps one Gaussian component through the flow for time t.
    public func evolve(_ component: Gaussian, for time: Double) throws -> Gaussian {
        let e = decay(at: time)
        let shifted = e * Vector.subtract(component.mean, targetMean)
        let mean = Vector.add(targetMean, shifted)
        let covariance = (e * component.covariance * e + noiseCovariance(at: time)).symmetrized
        return try Gaussian(mean: mean, covariance: covariance)
    }

    /// ρ_t as a Gaussian mixture (same weights as ρ₀).
    public func marginal(at time: Double) throws -> GaussianMixture {
        precondition(time >= 0, "the flow runs forward in time; got t = \(time)")
        // At t = 0 the start itself, not b + I(m₀ − b), which differs from m₀ by rounding.
        guard time > 0 else { return start }
        return try GaussianMixture(weights: start.weights, components: start.components.map { try evolve($0, for: time) })
    }

    /// E[X_t] = b + e^{−At}(E[X₀] − b).
    public func mean(at time: Double) -> [Double] {
        Vector.add(targetMean, decay(at: time) * Vector.subtract(start.mean, targetMean))
    }

    /// Cov[X_t] = e^{−At} Cov[X₀] e^{−At} + A⁻¹(I − e^{−2At}).
    public func covariance(at time: Double) -> Matrix {
        let e = decay(at: time)
        return (e * start.covariance * e + noiseCovariance(at: time)).symmetrized
    }

    /// log ρ_t(x).
    public func logDensity(_ point: [Double], at time: Double) throws -> Double {
        try marginal(at: time).logDensity(point)
    }

    /// `count` samples of ρ_t, `[count, d]`.
    public func sample(count: Int, at time: Double, using generator: inout RandomGenerator) throws -> Matrix {
        try marginal(at: time).sample(count: count, using: &generator)
    }
}
