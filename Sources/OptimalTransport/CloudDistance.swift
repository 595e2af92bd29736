import NumericalCore

/// The distances between two point clouds that the toolkit reports, by name, so a command
/// line or a metrics table can choose one with a word.
///
/// | metric     | value                                                   | cost                |
/// |------------|---------------------------------------------------------|---------------------|
/// | `w2`       | exact W₂ (uniform weights; sorting in 1D, LAPJV / shortest paths otherwise) | O(n²) memory; ≈ n² time on spread clouds (candidate graph + certification), ≈ n^2.5 dense |
/// | `sliced`   | sliced W₂, 128 seeded directions                        | O(L n log n)        |
/// | `bures`    | W₂ between the Gaussian fits (Bures–Wasserstein)        | O(n d² + d³)        |
/// | `symkl`    | symmetric KL between the Gaussian fits (Fan et al. 2022) | O(n d² + d³)       |
/// | `mmd`      | √(biased MMD²), Gaussian kernel, median-heuristic σ     | O(n² d)             |
/// | `sinkhorn` | debiased Sinkhorn divergence S_ε (squared Euclidean cost, entropy relative to a⊗b) | O(n² · iterations) |
///
/// All take clouds `[n, d]` and `[m, d]` with the same d; only `w2` and `sinkhorn` need
/// the n×m cost matrix in memory.
public enum CloudDistance: String, CaseIterable, Sendable {
    case w2, sliced, bures, symkl, mmd, sinkhorn

    /// A one-line description, for help texts.
    public var summary: String {
        switch self {
        case .w2: return "exact 2-Wasserstein distance"
        case .sliced: return "sliced 2-Wasserstein distance (128 seeded directions)"
        case .bures: return "W₂ between the Gaussian fits (Bures–Wasserstein)"
        case .symkl: return "symmetric KL between the Gaussian fits"
        case .mmd: return "maximum mean discrepancy, Gaussian kernel, median-heuristic bandwidth"
        case .sinkhorn: return "debiased Sinkhorn divergence S_ε (squared Euclidean cost)"
        }
    }

    /// The distance between two clouds. `epsilon` is used by `sinkhorn` only (in units of
    /// the squared Euclidean cost); `seed` by `sliced` only.
    public func evaluate(_ source: Matrix, _ target: Matrix, epsilon: Double = 0.01, seed: UInt64 = 0) throws -> Double {
        switch self {
        case .w2:
            return try ExactTransport.wassersteinDistance(source, target)
        case .sliced:
            return try SlicedWasserstein(directionCount: 128, seed: seed).distance(source, target)
        case .bures:
            try GaussianFitDivergence.validate(source, target)
            return try BuresWasserstein.distanceBetweenFits(source, target)
        case .symkl:
            return try GaussianFitDivergence.symmetricKL(source, target)
        case .mmd:
            return try MaximumMeanDiscrepancy().distance(source, target)
        case .sinkhorn:
            let divergence = SinkhornDivergence(solver: SinkhornSolver(epsilon: epsilon, tolerance: 1e-6, maximumIterations: 5000))
            return try divergence.evaluate(.uniform(source), .uniform(target)).value
        }
    }
}
