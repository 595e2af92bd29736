import NumericalCore
import Probability

/// The 2-Wasserstein distance between Gaussians (the Bures–Wasserstein metric):
///
///   W₂²(N(m₁, S₁), N(m₂, S₂)) = |m₁ − m₂|² + tr S₁ + tr S₂ − 2 tr (S₁^{½} S₂ S₁^{½})^{½}.
///
/// Exact for any symmetric positive (semi-)definite covariances, commuting or not;
/// O(d³) through two symmetric eigen-decompositions. For point clouds, the distance
/// between their Gaussian fits is a cheap moment-matching proxy for W₂ (a lower bound
/// on the true W₂ between the clouds' laws by Gelbrich's inequality).
public enum BuresWasserstein {
    /// W₂² between two Gaussians.
    public static func squaredDistance(_ p: Gaussian, _ q: Gaussian) throws -> Double {
        precondition(p.dimension == q.dimension, "Bures–Wasserstein: dimensions \(p.dimension) and \(q.dimension) differ")
        let meanTerm = Vector.squaredNorm(Vector.subtract(p.mean, q.mean))
        let root = try p.covariance.symmetricSquareRoot()
        let cross = try (root * q.covariance * root).symmetrized.symmetricSquareRoot()
        // The covariance term is a difference of O(tr S₁ + tr S₂) numbers, each carried with a
        // relative error of a few d·ε by the two eigen-decompositions: below that it is
        // rounding (for S₁ = S₂ it would otherwise read ~1e-15, i.e. W₂ ≈ 3e-8), so it is 0.
        let traces = p.covariance.trace + q.covariance.trace
        let covarianceTerm = traces - 2 * cross.trace
        let rounding = 16 * Double(p.dimension) * Double.ulpOfOne * traces
        return meanTerm + (covarianceTerm > rounding ? covarianceTerm : 0)
    }

    /// W₂ between two Gaussians.
    public static func distance(_ p: Gaussian, _ q: Gaussian) throws -> Double {
        try squaredDistance(p, q).squareRoot()
    }

    /// W₂ between the Gaussian fits (empirical mean, unbiased covariance) of two clouds `[n, d]`.
    public static func distanceBetweenFits(_ a: Matrix, _ b: Matrix) throws -> Double {
        try distance(Gaussian.fit(a), Gaussian.fit(b))
    }
}
