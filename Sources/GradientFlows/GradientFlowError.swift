/// Errors of the gradient-flow solvers: each names the problem and what to do.
public enum GradientFlowError: Error, CustomStringConvertible, Equatable {
    case invalidTimeStep(Double)
    case dimensionMismatch(String)
    case nonCommutingCovariance(commutator: Double)
    /// A mesh that cannot be used (shape, indices, orientation of the reference mesh, box).
    case invalidMesh(String)
    /// Before JKO step `step` (1-based), triangle `triangle` has signed area `area` ≤ 0.
    case meshTangled(step: Int, triangle: Int, area: Double)
    /// The Newton solve of JKO step `step` stopped after `iterations` iterations with the
    /// residual displacement `residual` above the tolerance; `reason` says why.
    case meshSolveFailed(step: Int, iterations: Int, residual: Double, reason: String)

    public var description: String {
        switch self {
        case let .invalidTimeStep(h):
            return "the time step h = \(h) is not allowed; use a finite h > 0"
        case let .dimensionMismatch(s):
            return s
        case let .nonCommutingCovariance(c):
            return "the exact Gaussian JKO step needs a covariance that commutes with the target precision (relative commutator \(c)); use a start covariance that shares the target's eigenvectors, e.g. a multiple of the identity or a diagonal one for a diagonal target"
        case let .invalidMesh(s):
            return s
        case let .meshTangled(step, t, a):
            return "the mesh is tangled at JKO step \(step): triangle \(t) has signed area \(a) ≤ 0 (orientation lost); start from a positively oriented mesh (every triangle counter-clockwise)"
        case let .meshSolveFailed(step, iterations, residual, reason):
            return "the Newton solve of mesh JKO step \(step) did not converge after \(iterations) iterations (residual displacement \(residual)): \(reason); try a smaller time step, a finer mesh, a looser tolerance or more iterations"
        }
    }
}
