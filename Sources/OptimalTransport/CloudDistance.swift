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
/// | `sinkhorn` | debiased Sinkhorn divergence S_ε (squared Euclidean cost, entropy relative to a⊗b), converged to an L1 marginal error ≤ 1e-9 | O(n² · iterations) |
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

    /// The L1 marginal error below which `sinkhorn` counts as converged.
    public static let sinkhornTolerance = 1e-9
    /// The iteration budget of `sinkhorn` (Sinkhorn iterations and Newton steps, per term).
    public static let sinkhornIterations = 20_000

    /// The distance between two clouds. `epsilon` is used by `sinkhorn` only (in units of
    /// the squared Euclidean cost); `seed` by `sliced` only. A `sinkhorn` value whose
    /// solver did not meet ``sinkhornTolerance`` throws ``TransportError/notConverged(_:value:)``
    /// (use ``measure(_:_:epsilon:seed:)`` to get the value with its status).
    public func evaluate(_ source: Matrix, _ target: Matrix, epsilon: Double = 0.01, seed: UInt64 = 0,
                         maximumIterations: Int = sinkhornIterations) throws -> Double {
        let result = try measure(source, target, epsilon: epsilon, seed: seed, maximumIterations: maximumIterations)
        if !result.converged {
            throw TransportError.notConverged(result.note ?? "\(rawValue) did not converge", value: result.value)
        }
        return result.value
    }

    /// The distance with how it was obtained: `converged` is false only for an iterative
    /// metric (`sinkhorn`) that stopped on its budget, and `note` then says by how much.
    /// `maximumIterations` is the `sinkhorn` budget per term.
    public func measure(_ source: Matrix, _ target: Matrix, epsilon: Double = 0.01, seed: UInt64 = 0,
                        maximumIterations: Int = sinkhornIterations) throws -> CloudDistanceValue {
        if self == .sinkhorn {
            let divergence = SinkhornDivergence(solver: SinkhornSolver(
                epsilon: epsilon, tolerance: Self.sinkhornTolerance, maximumIterations: maximumIterations))
            let r = try divergence.evaluate(.uniform(source), .uniform(target))
            let note = r.converged ? nil : String(
                format: "the Sinkhorn divergence at ε = %g did not converge: status %@, L1 marginal error %.3g after %d iterations (tolerance %.0e), so its value %.6g is not the divergence",
                epsilon, r.status.rawValue, r.marginalError, r.iterations, r.tolerance, r.value)
            return CloudDistanceValue(value: r.value, converged: r.converged, marginalError: r.marginalError, note: note)
        }
        return CloudDistanceValue(value: try exactValue(source, target, seed: seed), converged: true, marginalError: nil, note: nil)
    }

    func exactValue(_ source: Matrix, _ target: Matrix, seed: UInt64) throws -> Double {
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
            preconditionFailure("sinkhorn is measured in measure(_:_:epsilon:seed:)")
        }
    }
}

/// One distance value and whether the method that produced it met its own stopping rule.
public struct CloudDistanceValue: Sendable {
    public let value: Double
    /// False when an iterative metric stopped on its budget (the value is then not the metric).
    public let converged: Bool
    /// The L1 marginal error of an entropic metric's plans (nil for the others).
    public let marginalError: Double?
    /// A sentence on a value that did not converge.
    public let note: String?
}
