/// Errors in describing a transport problem, each one sentence naming the problem and the fix.
///
/// Solvers never crash on bad input: shapes, weights and points are validated when a
/// ``DiscreteMeasure`` or ``TransportProblem`` is built, and solver settings when a solver
/// runs. Non-convergence is not an error: it is reported in a solution's `status`.
public enum TransportError: Error, CustomStringConvertible, Equatable {
    /// Points or weights of a measure are unusable (empty, NaN, negative, not normalised).
    case invalidMeasure(String)
    /// Two measures (or a measure and a cost matrix) do not fit together.
    case dimensionMismatch(String)
    /// A solver setting is out of range (non-positive ε, negative penalty, …).
    case invalidParameter(String)
    /// The chosen solver cannot handle this problem (e.g. an assignment solver given weights).
    case unsupportedProblem(String)
    /// A value requested by name (``CloudDistance/evaluate(_:_:epsilon:seed:)``) whose solver
    /// stopped on its budget; solvers themselves report this in their solution's `status`.
    case notConverged(String, value: Double)

    public var description: String {
        switch self {
        case let .invalidMeasure(s), let .dimensionMismatch(s), let .invalidParameter(s), let .unsupportedProblem(s):
            return s
        case let .notConverged(s, _):
            return s
        }
    }
}

/// How an iterative solver ended.
public enum SolverStatus: String, Sendable, Equatable, CustomStringConvertible {
    /// The stopping criterion was met within the iteration budget.
    case converged
    /// The iteration budget ran out before the stopping criterion was met (for the
    /// entropic solvers: the marginal error is still above the tolerance; see the
    /// solution's `marginalError`).
    case notConverged
    /// A NaN or infinity appeared; the returned numbers are not to be trusted.
    case diverged

    public var description: String { rawValue }

    /// The former name of ``notConverged``.
    @available(*, deprecated, renamed: "notConverged")
    public static var maximumIterationsReached: SolverStatus { .notConverged }
}
