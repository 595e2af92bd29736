import NumericalCore
import Probability

/// Divergences between the Gaussian fits of two clouds (moment matching).
///
/// The symmetric KL between N(m₁, S₁) and N(m₂, S₂) fitted to two clouds (empirical mean,
/// unbiased covariance),
///
///   SymKL = KL(p‖q) + KL(q‖p) = ½ tr(S₂⁻¹S₁ + S₁⁻¹S₂) − d + ½ (m₁ − m₂)ᵀ(S₁⁻¹ + S₂⁻¹)(m₁ − m₂),
///
/// is the metric of the Ornstein–Uhlenbeck benchmarks of Fan, Taghvaei & Chen (*Variational
/// Wasserstein gradient flow*, ICML 2022) and of the S-JKO paper: exact when both laws are
/// Gaussian, a moment-matching proxy otherwise. It needs n > d points per cloud (the fit
/// must be positive definite).
public enum GaussianFitDivergence {
    /// SymKL between the Gaussian fits of two clouds `[n, d]` and `[m, d]`.
    public static func symmetricKL(_ source: Matrix, _ target: Matrix) throws -> Double {
        try validate(source, target)
        return try Gaussian.fit(source).symmetricKL(Gaussian.fit(target))
    }

    /// SymKL between the Gaussian fit of a cloud and a given Gaussian.
    public static func symmetricKL(_ cloud: Matrix, _ reference: Gaussian) throws -> Double {
        _ = try DiscreteMeasure.uniform(cloud)
        guard cloud.columns == reference.dimension else {
            throw TransportError.dimensionMismatch(
                "the cloud has \(cloud.columns) columns but the Gaussian is \(reference.dimension)-dimensional")
        }
        return try Gaussian.fit(cloud).symmetricKL(reference)
    }

    static func validate(_ source: Matrix, _ target: Matrix) throws {
        _ = try DiscreteMeasure.uniform(source)
        _ = try DiscreteMeasure.uniform(target)
        guard source.columns == target.columns else {
            throw TransportError.dimensionMismatch(
                "the clouds have \(source.columns) and \(target.columns) columns; give points of the same dimension")
        }
        guard source.rows > source.columns, target.rows > target.columns else {
            throw TransportError.invalidMeasure(
                "a Gaussian fit in dimension \(source.columns) needs more than \(source.columns) points per cloud (got \(source.rows) and \(target.rows))")
        }
    }
}
