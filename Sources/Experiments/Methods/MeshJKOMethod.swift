import GradientFlows
import NumericalCore
import Probability

/// The 2D moving-simplex-mesh JKO scheme (DESIGN.md §1.2, ``MeshJKO``) as a run column:
/// the particle JKO of the plane.
///
/// The start mesh carries ρ₀'s mass on a box that leaves out at most 1e-6 of it
/// (`mesh.cells` cells per side, lines at the marginal quantiles or evenly spaced).
/// Samples are exact draws from the piecewise-constant mesh density; the saved grid density
/// holds the cell averages of the mesh density (exact clipping, mass-conserving; the mass
/// outside the grid box is the metric `grid_mass_outside`). Metrics per step: the discrete energy F, the mass,
/// Newton and CG iterations, the Euler–Lagrange residual, the transport cost of the step
/// (Σ mᵢ|Δxᵢ|², which bounds W₂²), the energy-inequality slack F(ρ_k) − F(ρ_{k+1}) −
/// cost/(2h) (≥ 0) of the scheme's energy, the mesh quality (minimum angle in degrees,
/// largest/smallest area), the moments. `energy` is KL(ρ_h‖ν) of the piecewise-constant
/// density (``MeshJKO/relativeEntropy(of:)``, ≥ 0); `scheme_energy` the energy the scheme
/// minimises (∫ρV lumped at the nodes), which the slack uses. Below `mesh.min_angle` the
/// step fails with the step and the angle named (the guard).
public final class MeshJKOMethod: FlowMethod {
    public let name = "mesh-jko"
    let jko: MeshJKO
    let grid: FiniteVolumeGrid
    let sampleCount: Int
    var generator: RandomGenerator
    var state: MeshJKOState

    public init(config: ExperimentConfig, generator: RandomGenerator) throws {
        jko = try MeshJKO(potential: config.potential(), timeStep: config.flow.timeStep, tolerance: config.mesh.tolerance,
                          minimumAngle: config.mesh.minAngle)
        state = try MeshJKOState.start(mixture: config.startDistribution(), cellsPerSide: config.mesh.cells,
                                       spacing: MeshJKOState.Spacing(rawValue: config.mesh.spacing) ?? .quantile)
        grid = try config.finiteVolumeGrid()
        sampleCount = config.output.sampleCount
        self.generator = generator
    }

    public func advance(to step: Int) throws -> MethodState {
        let before = jko.energy(of: state)
        var moved = 0.0
        if step > 0 {
            let next = try jko.step(from: state)
            moved = state.lumpedTransportCost(to: next)
            state = next
        }
        let energy = jko.energy(of: state)
        let report = state.report
        var metrics: [(String, Double)] = [
            ("energy", jko.relativeEntropy(of: state)),
            ("scheme_energy", energy),
            ("mass", state.triangleMasses.reduce(0, +)),
            ("newton_iterations", Double(report?.newtonIterations ?? 0)),
            ("cg_iterations", Double(report?.conjugateGradientIterations ?? 0)),
            ("residual", report?.residual ?? 0),
            ("w2sq_step", moved),
            ("energy_inequality_slack", step > 0 ? before - energy - moved / (2 * jko.timeStep) : 0),
            ("min_angle_degrees", state.minimumAngle),
            ("area_ratio", state.areaRatio),
        ]
        // Cell averages by exact triangle–cell clipping: the saved grid holds the mesh mass
        // minus what lies outside the box (reported), like the finite volumes' cell averages.
        let exported = state.cellAverages(on: grid)
        metrics.append(("grid_mass_outside", exported.massOutside))
        metrics += MethodState.momentMetrics(mean: state.mean, covariance: state.covariance)
        return MethodState(samples: state.sample(count: sampleCount, using: &generator),
                           metrics: metrics, density: exported.density)
    }

    /// `positions` `[nodes, 2]` of ρ_k's mesh and the random stream. The topology and
    /// the triangle masses never change along the flow, so the fresh method's start mesh
    /// (built from the same config) supplies them.
    public func checkpoint() -> MethodCheckpoint {
        var checkpoint = MethodCheckpoint()
        checkpoint.set("positions", state.positions, shape: [state.mesh.nodeCount, 2])
        checkpoint.set(generator: generator)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        state = try MeshJKOState(mesh: state.mesh, positions: checkpoint.values("positions", count: 2 * state.mesh.nodeCount),
                                 triangleMasses: state.triangleMasses, stepIndex: step, time: Double(step) * jko.timeStep,
                                 truncatedMass: state.truncatedMass)
        generator = try checkpoint.generator()
    }
}
