import NumericalCore

/// Exact optimal transport: picks the right exact solver for a problem.
///
/// - one-dimensional points with a squared Euclidean cost → ``QuantileTransport``;
/// - equal sizes and uniform weights → ``AssignmentSolver`` (LAPJV, sparse then certified);
/// - anything else (unequal sizes, weights) → ``NetworkSimplexTransportSolver``
///   (``ShortestPathTransportSolver`` stays as an independent reference for tests).
///
/// All three return an ``ExactTransportSolution`` with an optimal plan, its cost and
/// optimal dual potentials. For the squared Euclidean cost, `cost` is W₂² and `distance` W₂.
public enum ExactTransport {
    /// The exact solution of a balanced problem (weights must have equal total mass).
    public static func solve(_ problem: TransportProblem) throws -> ExactTransportSolution {
        let n = problem.source.count, m = problem.target.count
        if n == m && problem.source.isUniform && problem.target.isUniform {
            return try AssignmentSolver().solve(problem)
        }
        return try NetworkSimplexTransportSolver().solve(problem)
    }

    /// W₂ between two uniform clouds `[n, d]` and `[m, d]` (any sizes).
    ///
    /// One-dimensional clouds use sorting; d ≥ 2 builds the squared Euclidean cost matrix
    /// and solves exactly (LAPJV for n = m, network simplex otherwise).
    public static func wassersteinDistance(_ source: Matrix, _ target: Matrix) throws -> Double {
        let a = try DiscreteMeasure.uniform(source), b = try DiscreteMeasure.uniform(target)
        guard a.dimension == b.dimension else {
            throw TransportError.dimensionMismatch(
                "the clouds have \(a.dimension) and \(b.dimension) columns; W₂ needs points of the same dimension")
        }
        if a.dimension == 1 { return try QuantileTransport.solve(source: a, target: b).distance }
        return try solve(TransportProblem(source: a, target: b)).distance
    }
}
