import NumericalCore
import Probability

/// The Fréchet distance between the Gaussian fits of two feature clouds (the FID recipe,
/// here in any feature space):
///
///   FD = |μ_A − μ_B|² + tr A + tr B − 2 tr (A^{½} B A^{½})^{½},
///
/// i.e. the squared Bures–Wasserstein distance of N(μ_A, A) and N(μ_B, B). Computed by the
/// symmetric eigen-decomposition route: A^{½} = Q diag(√λ⁺) Qᵀ from A's eigenpairs (negative
/// round-off eigenvalues clamped to 0), then the eigenvalues μ_i of the symmetric
/// A^{½} B A^{½}, and tr(…)^{½} = Σ √max(μ_i, 0). No complex square root (scipy's `sqrtm`
/// of the non-symmetric AB) is needed, and singular covariances are fine. O(d³).
public enum FrechetDistance {
    /// FD between N(μ_A, A) and N(μ_B, B) (covariances symmetric PSD, `[d, d]`).
    public static func between(meanA: [Double], covarianceA a: Matrix, meanB: [Double], covarianceB b: Matrix) throws -> Double {
        precondition(meanA.count == meanB.count && a.rows == meanA.count && b.rows == meanB.count, "Fréchet distance: dimensions differ")
        let meanTerm = zip(meanA, meanB).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let root = try a.symmetrized.symmetricEigen().apply { $0 > 0 ? $0.squareRoot() : 0 }
        let inner = try (root * b.symmetrized * root).symmetrized.symmetricEigen().values
        let crossTrace = inner.reduce(0) { $0 + ($1 > 0 ? $1.squareRoot() : 0) }
        return meanTerm + a.trace + b.trace - 2 * crossTrace
    }

    /// FD between the Gaussian fits (mean, unbiased covariance) of clouds `[n, d]`, `[m, d]`.
    public static func between(_ x: Matrix, _ y: Matrix) throws -> Double {
        let (mx, cx) = Moments.meanAndCovariance(x), (my, cy) = Moments.meanAndCovariance(y)
        return try between(meanA: mx, covarianceA: cx, meanB: my, covarianceB: cy)
    }
}
