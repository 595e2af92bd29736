import Foundation
import NumericalCore

extension Gaussian {
    /// The random Ornstein–Uhlenbeck target of the neural-JKO benchmark (Mokrov et al.,
    /// *Large-Scale Wasserstein Gradient Flows*, NeurIPS 2021, `src/experiments/_ou.py`,
    /// `generate_target`; the same benchmark as S-JKO's Table 7 and Fan et al.'s VWGF):
    /// ν = N(b, Σ), b ~ N(0, I_d), and Σ = scikit-learn's `make_spd_matrix(d)`:
    ///
    ///   G_{ij} ~ U[0, 1) (d × d),  Q = the eigenvectors of GᵀG,  u_i ~ U[0, 1),
    ///   Σ = Q (11ᵀ + diag(u)) Qᵀ.
    ///
    /// scikit-learn writes `U @ (1.0 + np.diag(u)) @ Vt` with U, Vt from the SVD of GᵀG (U = V
    /// for a symmetric positive definite matrix); `1.0 + np.diag(u)` adds 1 to *every* entry,
    /// hence the all-ones matrix 11ᵀ, not I. So Σ has one eigenvalue above d (along Q1) and
    /// d − 1 eigenvalues interlacing the sorted u_i, inside [min u, max u] ⊂ (0, 1): the
    /// precision A = Σ⁻¹ has eigenvalues from below 1/d up to 1/λ_min(Σ) ≤ 1/min u, which
    /// grows with d (min u ≈ 1/(d + 1)). This spread is what makes the published benchmark
    /// harder in higher dimension, and what sets the exact JKO scheme's own bias (about −3.6
    /// at d = 2 to −2.1 at d = 32 in log₁₀ SymKL at t = 0.9, h = 0.05; `jko bench ou-floor`).
    ///
    /// The draws come from `RandomGenerator(seed: seed)` in this order: G row by row (d²
    /// uniforms), u (d uniforms), b (d normals); Q's column signs are GSL's. The numbers differ
    /// from the Python benchmark's (another generator, other signs), but with b and the start
    /// N(0, I) isotropic the benchmark's figures depend only on the spectrum of Σ, whose law
    /// is the published one. O(d³).
    public static func benchmarkTarget(dimension d: Int, seed: UInt64) throws -> Gaussian {
        guard d >= 1 else { throw ProbabilityError.empty("the random target needs a dimension of at least 1 (got \(d))") }
        var rng = RandomGenerator(seed: seed)
        let g = Matrix(rows: d, columns: d, elements: (0..<(d * d)).map { _ in rng.uniform() })
        let u = (0..<d).map { _ in rng.uniform() }
        let mean = rng.normals(d)
        let q = try (g.transposed * g).symmetrized.symmetricEigen().vectors
        var core = Matrix(rows: d, columns: d, repeating: 1)
        for i in 0..<d { core[i, i] += u[i] }
        return try Gaussian(mean: mean, covariance: (q * core * q.transposed).symmetrized)
    }
}
