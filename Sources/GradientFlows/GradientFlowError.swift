/// Errors of the gradient-flow solvers: each names the problem and what to do.
public enum GradientFlowError: Error, CustomStringConvertible, Equatable {
    case invalidTimeStep(Double)
    case dimensionMismatch(String)
    /// The potential V makes e^{−V} non-normalisable; the reason from `Potential.checkConfinement()`.
    case potentialNotConfining(String)
    /// Particle positions or masses that do not describe a probability measure.
    case invalidParticles(String)
    /// A grid (box, cell count) that cannot carry the flow.
    case invalidGrid(String)
    /// The Newton solve of JKO step `step` (1-based) did not reach its tolerance.
    case newtonFailed(step: Int, iterations: Int, decrement: Double, reason: String)
    /// A linear solve of time step `step` (1-based) did not converge.
    case linearSolveFailed(step: Int, reason: String)
    /// A moving mesh lost positive orientation at JKO step `step` (1-based).
    case meshTangled(step: Int, reason: String)
    /// A mesh that cannot be used (shape, indices, orientation of the reference mesh, box).
    case invalidMesh(String)
    /// The Newton solve of mesh JKO step `step` (1-based) stopped after `iterations`
    /// iterations with the residual displacement `residual` above the tolerance.
    case meshSolveFailed(step: Int, iterations: Int, residual: Double, reason: String)
    /// The mesh after JKO step `step` has a smallest angle `angle` (degrees) below the
    /// guard's `limit`: its discrete energy is no longer trustworthy.
    case meshDegenerate(step: Int, angle: Double, limit: Double)
    /// The conservative remap of the mesh after JKO step `step` could not be made.
    case meshRemapFailed(step: Int, reason: String)
    /// The entropic JKO step `step` reached its iteration limit with the marginal error
    /// above the tolerance.
    case entropicStepNotConverged(step: Int, iterations: Int, marginalError: Double, tolerance: Double)

    public var description: String {
        switch self {
        case let .invalidTimeStep(h):
            return "the time step h = \(h) is not allowed; use a finite h > 0"
        case let .dimensionMismatch(s), let .invalidParticles(s), let .invalidGrid(s):
            return s
        case let .potentialNotConfining(s):
            return "the potential is not confining: \(s)"
        case let .newtonFailed(step, iterations, decrement, reason):
            return "JKO step \(step): Newton's method stopped after \(iterations) iterations with Newton decrement \(decrement) (\(reason)); try a smaller time step, a higher iteration limit, or more particles spread over the start's support"
        case let .linearSolveFailed(step, reason):
            return "time step \(step): the linear solve failed (\(reason)); try a smaller time step or a finer grid"
        case let .meshTangled(step, reason):
            return "JKO step \(step): the mesh tangled (\(reason)); try a smaller time step or a finer mesh"
        case let .invalidMesh(s):
            return s
        case let .meshSolveFailed(step, iterations, residual, reason):
            return "JKO step \(step): the mesh Newton solve did not converge after \(iterations) iterations (residual displacement \(residual)): \(reason); try a smaller time step, a finer mesh, a looser tolerance or more iterations"
        case let .meshDegenerate(step, angle, limit):
            return "JKO step \(step): the moving mesh degenerated, its smallest angle is \(String(format: "%.3g", angle))° (below the guard's \(limit)°), so its energy and density can no longer be trusted; the run stops here with the earlier steps kept: remesh before it (mesh.remesh_angle above the guard), use a smaller time step, shorten the run, or lower mesh.min_angle (0 turns the guard off)"
        case let .meshRemapFailed(step, reason):
            return "JKO step \(step): the mesh could not be remapped onto a new triangulation (\(reason)); the run stops here with the earlier steps kept: use a finer mesh (mesh.cells) or turn remeshing off (mesh.remesh_angle = 0)"
        case let .entropicStepNotConverged(step, iterations, error, tolerance):
            return "JKO step \(step): the entropic grid JKO did not converge, its marginal error is \(error) after \(iterations) iterations (tolerance \(tolerance)); raise grid_jko.max_iterations, loosen grid_jko.tolerance, or use a larger grid_jko.epsilon"
        }
    }
}
