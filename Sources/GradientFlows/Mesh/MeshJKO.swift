import Foundation
import NumericalCore
import Probability

/// The moving-simplex-mesh JKO scheme for F(ρ) = KL(ρ‖e^{−V}) in 2D (Carrillo, Düring,
/// Matthes & McCormick, J. Sci. Comput. 2018, arXiv 1702.01707; DESIGN.md §1.2).
///
/// The nodes of a triangulation are the particles and every triangle keeps its mass, so
/// ρ = mass_T/area_T on T. One step minimises over node positions x (`[n, 2]`)
///
///   Σᵢ mᵢ|xᵢ − xᵢⁿ|²/(2h) + Σ_T mass_T log(mass_T/area_T(x)) + Σᵢ mᵢ V(xᵢ),
///
/// with mᵢ the lumped node masses; the entropy keeps every orientation positive (a
/// barrier) and the line search rejects any step that flips a triangle.
///
/// **Optimiser: Levenberg–Marquardt Newton–CG with an orientation-keeping line search.**
/// The Hessian is sparse with the node adjacency of the mesh (≈ 7 blocks of 2×2 per
/// node), so a product costs O(n); each Newton system (H + μD) d = −∇Φ, D = diag(mᵢ/h)
/// the kinetic metric, is solved by conjugate gradients preconditioned with its 2×2
/// diagonal blocks (relative residual min(0.1, ‖g‖_P), superlinear inexact Newton). Block
/// Jacobi absorbs the mass scale (node masses span orders of magnitude between the bulk
/// and the tails), and the scaled Hessian ≈ I + (h/Δx²)·(graph Laplacian) needs
/// O(√h/Δx) CG iterations. The objective is not convex in 2D (see ``MeshObjective``):
/// the entropy's negative curvature per triangle is ≈ (√3/2)·mass_T/area_T against the
/// kinetic mᵢ/h, so a fine mesh with a large h is indefinite. The shift μ ≥ 0 handles it:
/// when CG meets a direction of non-positive curvature of H + μD, μ is raised (from
/// 10⁻³, ×4) and the system solved again, so every direction used is one of a positive
/// definite H + μD and a descent direction. The step length starts at min(1, α_max),
/// α_max the first step at which some area falls to κ = 1% of its current value (a
/// quadratic in α per triangle: orientation is kept, no triangle ever flips), and
/// backtracks (Armijo on Φ, c = 10⁻⁴, at most 8 halvings; a trial whose energy is not
/// finite is rejected). μ adapts like a trust region: a full step divides it by 4 (to 0,
/// the exact Newton step, below 10⁻³: quadratic convergence near the minimiser), a step
/// cut below ½ multiplies it by 4, and a failed line search raises it and solves again
/// (up to 30 times per iteration). Before, μ only reacted to negative curvature: on the
/// 48- and 64-cell meshes of the double well the Newton direction, far outside the
/// barrier's quadratic range, was cut by the 1 % rule to ever shorter steps and the solve
/// stalled at 50 iterations; with the adaptive μ the same first step converges in 29
/// (48 cells) and 41 (64 cells) iterations, later ones in 4–10.
/// **Remeshing** (``remeshAngle`` > 0): a step whose mesh passes the guard but has a
/// smallest angle below ``remeshThreshold(of:)`` = min(``remeshAngle``, half the mesh's
/// own initial smallest angle) is followed by a conservative remap onto a new structured
/// mesh of the support (``remesh(_:)``: mass and mean kept, L¹ error reported).
/// Stopping: the residual displacement r = h·(Σᵢ|∂Φ/∂xᵢ|²/mᵢ)^{1/2} ≤ `tolerance`, the
/// L²(ρ) norm of the Euler–Lagrange residual xᵢ − xᵢⁿ + h∇V(xᵢ) + h∇ᵢ(entropy)/mᵢ in
/// length units; where ∇²Φ ⪰ diag(mᵢ/h) it bounds (Σᵢ mᵢ|xᵢ − xᵢ*|²)^{1/2}, the L²(ρ)
/// distance to the minimiser x*, so it bounds the W₂ error of the solve.
public struct MeshJKO: Sendable {
    /// The potential V of the target e^{−V}, planar.
    public let potential: any Potential
    /// The time step h > 0.
    public let timeStep: Double
    /// Stop when the residual displacement (length units, L²(ρ)) is ≤ tolerance.
    public let tolerance: Double
    /// Newton iterations per step before the step fails.
    public let maximumNewtonIterations: Int
    /// Conjugate-gradient iterations per Newton iteration.
    public let maximumConjugateGradientIterations: Int
    /// The mesh-quality guard: a step whose new mesh has a smallest angle below this
    /// (degrees) fails with ``GradientFlowError/meshDegenerate(step:angle:limit:)``
    /// instead of returning a degenerate iterate; 0 turns the guard off.
    public let minimumAngle: Double
    /// Remeshing: after a step whose mesh has a smallest angle below this (degrees) but
    /// above the guard, the iterate is remapped conservatively onto a new well-shaped mesh
    /// (``remesh(_:)``) and the scheme goes on from it; 0 turns remeshing off.
    public let remeshAngle: Double
    /// Cells per axis of a remeshed iterate (quantile spacing; uniform: along the longer side).
    public let remeshCells: Int
    /// How the lines of a remeshed iterate's grid mesh are placed (default quantile).
    public let remeshSpacing: MeshJKOState.Spacing

    /// - Throws: ``GradientFlowError/invalidTimeStep(_:)`` for h ≤ 0, a dimension mismatch
    ///   for a potential that is not planar, ``GradientFlowError/potentialNotConfining(_:)``
    ///   when e^{−V} is not normalisable.
    public init(potential: any Potential, timeStep: Double, tolerance: Double = 1e-9,
                maximumNewtonIterations: Int = 50, maximumConjugateGradientIterations: Int = 2000,
                minimumAngle: Double = 0, remeshAngle: Double = 0, remeshCells: Int = 32,
                remeshSpacing: MeshJKOState.Spacing = .quantile) throws {
        guard timeStep > 0, timeStep.isFinite else { throw GradientFlowError.invalidTimeStep(timeStep) }
        guard potential.dimension == 2 else {
            throw GradientFlowError.dimensionMismatch("the mesh scheme is planar, but the potential has dimension \(potential.dimension); give a 2D potential")
        }
        guard tolerance > 0, maximumNewtonIterations >= 1, maximumConjugateGradientIterations >= 1 else {
            throw GradientFlowError.invalidMesh("the Newton tolerance must be > 0 and the iteration limits ≥ 1; got tolerance \(tolerance), \(maximumNewtonIterations) Newton and \(maximumConjugateGradientIterations) CG iterations")
        }
        guard minimumAngle >= 0, minimumAngle < 60 else {
            throw GradientFlowError.invalidMesh("the mesh guard's minimum angle must lie in [0, 60) degrees; got \(minimumAngle)")
        }
        guard remeshAngle >= 0, remeshAngle < 60, remeshAngle == 0 || remeshAngle > minimumAngle, remeshCells >= 2 else {
            throw GradientFlowError.invalidMesh("the remeshing angle must lie in [0, 60) degrees and, when not 0, above the guard's \(minimumAngle)° (else the guard stops the run first), with at least 2 cells; got \(remeshAngle)° and \(remeshCells) cells")
        }
        do { try potential.checkConfinement() } catch { throw GradientFlowError.potentialNotConfining("\(error)") }
        self.potential = potential
        self.timeStep = timeStep
        self.tolerance = tolerance
        self.maximumNewtonIterations = maximumNewtonIterations
        self.maximumConjugateGradientIterations = maximumConjugateGradientIterations
        self.minimumAngle = minimumAngle
        self.remeshAngle = remeshAngle
        self.remeshCells = remeshCells
        self.remeshSpacing = remeshSpacing
    }

    /// The discrete free energy F(ρ) = Σ_T mass_T log(mass_T/area_T) + Σᵢ mᵢV(xᵢ) + log Z of
    /// an iterate: KL(ρ‖e^{−V}/Z) up to the lumping of ∫ρV (log Z from the potential when it
    /// knows it, else 0, the same convention as the finite volumes); +∞ for a tangled mesh.
    public func energy(of state: MeshJKOState) -> Double {
        MeshObjective(state: state, timeStep: timeStep, potential: potential).freeEnergy(state.positions)
            + (potential.logPartitionFunction ?? 0)
    }

    /// ρ_{k+1} from ρ_k = `state`.
    ///
    /// - Throws: ``GradientFlowError/meshTangled(step:reason:)`` when `state` has a
    ///   triangle of area ≤ 0, ``GradientFlowError/meshSolveFailed(step:iterations:residual:reason:)``
    ///   when Newton does not reach the tolerance, ``GradientFlowError/meshDegenerate(step:angle:limit:)``
    ///   when the new mesh fails the quality guard, ``GradientFlowError/meshRemapFailed(step:reason:)``
    ///   when it needs a remap that cannot be made; all name the step k + 1. The returned
    ///   iterate is remeshed (``MeshJKOState/remap`` set) when its smallest angle is below
    ///   ``remeshAngle``; its ``MeshJKOState/report`` describes the step before the remap.
    ///   With remeshing on, a step that fails the guard or whose Newton solve fails is
    ///   retried once from ρ_k remapped onto a fresh mesh (unless ρ_k's mesh is fresh);
    ///   that remap is then reported on ρ_{k+1} (``MeshJKOState/remap``, its L¹ errors and
    ///   energy changes added to those of a remap after the step, if any).
    public func step(from state: MeshJKOState) throws -> MeshJKOState {
        do {
            return try stepOnce(from: state)
        } catch let error as GradientFlowError {
            switch error {
            case .meshDegenerate, .meshSolveFailed:
                // Not from a mesh that was just made (start or remap: its angle is still the
                // initial one, a fact the checkpoints keep, so a resumed run retries alike).
                guard remeshAngle > 0, state.minimumAngle != state.initialMinimumAngle else { throw error }
                let fresh = try remesh(state)
                let next = try stepOnce(from: fresh)
                return next.addingRemap(fresh.remap!)
            default:
                throw error
            }
        }
    }

    /// One step from `state`, remeshed after it when its angle is below the threshold.
    func stepOnce(from state: MeshJKOState) throws -> MeshJKOState {
        let stepNumber = state.stepIndex + 1
        if let t = state.mesh.firstNonPositiveTriangle(in: state.positions) {
            throw GradientFlowError.meshTangled(
                step: stepNumber,
                reason: "triangle \(t) has signed area \(state.mesh.area(of: t, in: state.positions)) ≤ 0, orientation lost; a mesh state must list every triangle counter-clockwise")
        }
        let clock = ContinuousClock.now
        let objective = MeshObjective(state: state, timeStep: timeStep, potential: potential)
        let previousEnergy = objective.freeEnergy(state.positions)
        let result = try minimise(objective, stepNumber: stepNumber)
        let elapsed = ContinuousClock.now - clock
        let moved = state.moved(to: result.positions, stepIndex: stepNumber, time: Double(stepNumber) * timeStep, report: nil)
        let report = MeshJKOStepReport(
            step: stepNumber, newtonIterations: result.iterations, conjugateGradientIterations: result.conjugateGradientIterations,
            negativeCurvatureCount: result.negativeCurvatureCount, decrement: result.decrement, residual: result.residual,
            energy: objective.freeEnergy(result.positions), previousEnergy: previousEnergy,
            affineTransportCost: state.affineTransportCost(to: moved), lumpedTransportCost: state.lumpedTransportCost(to: moved),
            minimumAngle: moved.minimumAngle, areaRatio: moved.areaRatio,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        let next = state.moved(to: result.positions, stepIndex: stepNumber, time: Double(stepNumber) * timeStep, report: report)
        try checkQuality(next)
        if remeshAngle > 0, next.minimumAngle < remeshThreshold(of: next) { return try remesh(next) }
        return next
    }

    /// The angle below which `state` is remeshed: min(``remeshAngle``, ½ θ₀), θ₀ the
    /// smallest angle its mesh had when it was made (``MeshJKOState/initialMinimumAngle``):
    /// a mesh that starts with thin cells (a quantile mesh of a narrow density) is remeshed
    /// when it has lost half its quality, not at once.
    public func remeshThreshold(of state: MeshJKOState) -> Double {
        min(remeshAngle, 0.5 * state.initialMinimumAngle)
    }

    /// [ρ₀, ρ₁, …, ρ_K]: `stepCount` steps from `start`.
    public func iterates(from start: MeshJKOState, stepCount: Int) throws -> [MeshJKOState] {
        var out = [start]
        out.reserveCapacity(stepCount + 1)
        for _ in 0..<stepCount { out.append(try step(from: out[out.count - 1])) }
        return out
    }
}

/// How one mesh JKO step went: solver effort, energies, transport cost and mesh quality.
public struct MeshJKOStepReport: Sendable, Equatable {
    /// The step k (the report belongs to ρ_k).
    public let step: Int
    /// Newton iterations taken.
    public let newtonIterations: Int
    /// Conjugate-gradient iterations summed over the Newton iterations.
    public let conjugateGradientIterations: Int
    /// Newton iterations whose CG met negative curvature on the exact Hessian (the
    /// non-convex part of Φ; the shift μ was raised until it saw none).
    public let negativeCurvatureCount: Int
    /// The Newton decrement ½λ² = −½∇Φᵀd of the last Newton direction d (the predicted
    /// energy decrease of that step; ∞ when no step was needed).
    public let decrement: Double
    /// The final residual displacement (≤ the solver's tolerance), see ``MeshJKO``.
    public let residual: Double
    /// F(ρ_k), the discrete free energy (``MeshJKO/energy(of:)``).
    public let energy: Double
    /// F(ρ_{k−1}).
    public let previousEnergy: Double
    /// ∫|Φ(x) − x|²dρ_{k−1} of the piecewise-affine mesh map, an upper bound on W₂²(ρ_{k−1}, ρ_k).
    public let affineTransportCost: Double
    /// Σᵢ mᵢ|xᵢᵏ − xᵢᵏ⁻¹|², the lumped cost in the objective (≥ the affine cost).
    public let lumpedTransportCost: Double
    /// The smallest angle of the new mesh, degrees.
    public let minimumAngle: Double
    /// max area / min area of the new mesh.
    public let areaRatio: Double
    /// Wall-clock seconds of the Newton solve.
    public let seconds: Double
}
