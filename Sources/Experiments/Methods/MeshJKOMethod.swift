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
/// minimises (∫ρV lumped at the nodes), which the slack uses. Below `mesh.remesh_angle` (or
/// half the mesh's initial smallest angle, if less) the iterate is remapped conservatively onto a new square-cell mesh of its support
/// (``MeshJKO/remesh(_:)``: mass and mean kept) and the run goes on; the metrics then give
/// the remap's exact L¹ error `remap_l1`, its change of KL `remap_energy_change` (both 0 at
/// steps without a remap) and the running count `remaps`; energy, moments and density are
/// those of the remapped iterate, the slack and `w2sq_step` those of the step before it.
/// Below `mesh.min_angle` the step fails with the step and the angle named (the guard).
public final class MeshJKOMethod: FlowMethod {
    public let name = "mesh-jko"
    let jko: MeshJKO
    let grid: FiniteVolumeGrid
    let sampleCount: Int
    var generator: RandomGenerator
    var state: MeshJKOState

    public init(config: ExperimentConfig, generator: RandomGenerator) throws {
        jko = try MeshJKO(potential: config.potential(), timeStep: config.flow.timeStep, tolerance: config.mesh.tolerance,
                          maximumNewtonIterations: 200, minimumAngle: config.mesh.minAngle,
                          remeshAngle: config.mesh.remeshAngle, remeshCells: config.mesh.cells)
        state = try MeshJKOState.start(mixture: config.startDistribution(), cellsPerSide: config.mesh.cells,
                                       spacing: MeshJKOState.Spacing(rawValue: config.mesh.spacing) ?? .quantile)
        grid = try config.finiteVolumeGrid()
        sampleCount = config.output.sampleCount
        self.generator = generator
    }

    public func advance(to step: Int) throws -> MethodState {
        if step > 0 { state = try jko.step(from: state) }
        let report = state.report
        // The step's own energy inequality, on the mesh it moved (before any remap):
        // F(ρ_k) − F(ρ_{k+1}) − Σ mᵢ|Δxᵢ|²/(2h) ≥ 0.
        let slack = report.map { $0.previousEnergy - $0.energy - $0.lumpedTransportCost / (2 * jko.timeStep) } ?? 0
        var metrics: [(String, Double)] = [
            ("energy", jko.relativeEntropy(of: state)),
            ("scheme_energy", jko.energy(of: state)),
            ("mass", state.triangleMasses.reduce(0, +)),
            ("newton_iterations", Double(report?.newtonIterations ?? 0)),
            ("cg_iterations", Double(report?.conjugateGradientIterations ?? 0)),
            ("residual", report?.residual ?? 0),
            ("w2sq_step", report?.lumpedTransportCost ?? 0),
            ("energy_inequality_slack", slack),
            ("min_angle_degrees", state.minimumAngle),
            ("area_ratio", state.areaRatio),
            ("remap_l1", state.remap?.l1Error ?? 0),
            ("remap_energy_change", state.remap?.energyChange ?? 0),
            ("remaps", Double(state.remapCount)),
        ]
        // Cell averages by exact triangle–cell clipping: the saved grid holds the mesh mass
        // minus what lies outside the box (reported), like the finite volumes' cell averages.
        let exported = state.cellAverages(on: grid)
        metrics.append(("grid_mass_outside", exported.massOutside))
        metrics += MethodState.momentMetrics(mean: state.mean, covariance: state.covariance)
        return MethodState(samples: state.sample(count: sampleCount, using: &generator),
                           metrics: metrics, density: exported.density)
    }

    /// ρ_k's mesh: `positions` `[nodes, 2]`, `triangles` `[triangles, 3]` (node indices),
    /// `triangle_masses`, and `remaps` (count, truncated mass of the start, the mesh's
    /// initial smallest angle), and the
    /// random stream. Remeshing changes the topology and the masses, so all are saved.
    public func checkpoint() -> MethodCheckpoint {
        var checkpoint = MethodCheckpoint()
        checkpoint.set("positions", state.positions, shape: [state.mesh.nodeCount, 2])
        checkpoint.set("triangles", state.mesh.triangles.map(Double.init), shape: [state.mesh.triangleCount, 3])
        checkpoint.set("triangle_masses", state.triangleMasses)
        checkpoint.set("remaps", [Double(state.remapCount), state.truncatedMass, state.initialMinimumAngle])
        checkpoint.set(generator: generator)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        let triangles = try checkpoint.values("triangles").map { Int(exactly: $0) ?? -1 }
        let masses = try checkpoint.values("triangle_masses", count: triangles.count / 3)
        let counts = try checkpoint.values("remaps", count: 3)
        let nodeCount = (triangles.max() ?? -1) + 1
        let positions = try checkpoint.values("positions", count: 2 * nodeCount)
        let mesh: TriangleMesh
        do {
            mesh = try TriangleMesh(nodeCount: nodeCount, triangles: triangles, referencePositions: positions)
        } catch {
            throw MethodCheckpoint.Invalid(reason: "the checkpoint's mesh is not usable: \(error)")
        }
        state = try MeshJKOState(mesh: mesh, positions: positions, triangleMasses: masses, stepIndex: step,
                                 time: Double(step) * jko.timeStep, truncatedMass: counts[1], remapCount: Int(counts[0]),
                                 initialMinimumAngle: counts[2])
        generator = try checkpoint.generator()
    }
}
