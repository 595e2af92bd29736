/// Errors of the gradient-flow solvers: each names the problem and what to do.
public enum GradientFlowError: Error, CustomStringConvertible, Equatable {
    case invalidTimeStep(Double)
    case dimensionMismatch(String)
    case nonCommutingCovariance(commutator: Double)

    public var description: String {
        switch self {
        case let .invalidTimeStep(h):
            return "the time step h = \(h) is not allowed; use a finite h > 0"
        case let .dimensionMismatch(s):
            return s
        case let .nonCommutingCovariance(c):
            return "the exact Gaussian JKO step needs a covariance that commutes with the target precision (relative commutator \(c)); use a start covariance that shares the target's eigenvectors, e.g. a multiple of the identity or a diagonal one for a diagonal target"
        }
    }
}
