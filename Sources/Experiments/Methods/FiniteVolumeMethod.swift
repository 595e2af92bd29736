import GradientFlows
import NumericalCore
import Probability

/// Finite-volume Fokker–Planck (DESIGN.md §1.2) on the config's grid as a run column.
///
/// `grid.substeps` time steps of Δt = h/substeps per JKO step, with `grid.scheme`.
/// Samples are exact draws from the piecewise-constant density; metrics per step: the
/// discrete energy F, the mass, the conjugate-gradient iterations (2D), the smallest cell
/// value, the mass moved by clipping, the moments.
public final class FiniteVolumeMethod: FlowMethod {
    public let name = "finite-volume"
    let solver: FiniteVolumeFokkerPlanck
    let potential: any Potential
    let substeps: Int
    let sampleCount: Int
    var generator: RandomGenerator
    var state: FiniteVolumeState

    public init(config: ExperimentConfig, generator: RandomGenerator) throws {
        potential = try config.potential()
        let grid = try config.finiteVolumeGrid()
        substeps = config.grid.substeps
        solver = try FiniteVolumeFokkerPlanck(potential: potential, grid: grid,
                                              timeStep: config.flow.timeStep / Double(config.grid.substeps),
                                              scheme: FiniteVolumeFokkerPlanck.TimeScheme(rawValue: config.grid.scheme) ?? .bdf2)
        let start = try config.startDistribution()
        state = try solver.start(grid.project(logDensity: start.logDensity))
        sampleCount = config.output.sampleCount
        self.generator = generator
    }

    public func advance(to step: Int) throws -> MethodState {
        let grid = solver.grid
        var iterations = 0, clipped = 0.0
        if step > 0 {
            for _ in 0..<substeps {
                do { state = try solver.step(state) } catch let GradientFlowError.linearSolveFailed(_, reason) {
                    throw GradientFlowError.linearSolveFailed(step: step, reason: reason)
                }
                iterations += state.iterations
                clipped += state.clippedMass
            }
        }
        let (mean, covariance) = grid.moments(state.density)
        var metrics: [(String, Double)] = [
            ("energy", grid.energy(state.density, potential: potential)),
            ("mass", grid.mass(state.density)),
            ("cg_iterations", Double(iterations)),
            ("min_density", state.density.min() ?? 0),
            ("clipped_mass", clipped),
        ]
        metrics += MethodState.momentMetrics(mean: mean, covariance: covariance)
        return MethodState(samples: grid.sample(state.density, count: sampleCount, using: &generator),
                           metrics: metrics, density: state.density,
                           quantiles: grid.dimension == 1
                               ? Wasserstein1D(cellDensity: state.density, lower: grid.lower[0], upper: grid.upper[0]) : nil)
    }

    /// `density` `[cells]` (flat, row-major in 2D), for BDF2 after the first time step
    /// `previous` `[cells]` (one time step earlier), `time_steps` `[1]` (time steps taken,
    /// K·substeps; the time is that times h/substeps) and the random stream.
    public func checkpoint() -> MethodCheckpoint {
        var checkpoint = MethodCheckpoint()
        checkpoint.set("density", state.density)
        if let previous = state.previous { checkpoint.set("previous", previous) }
        checkpoint.set("time_steps", [Double(state.step)])
        checkpoint.set(generator: generator)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        let cells = solver.grid.cellCount
        let timeSteps = try checkpoint.values("time_steps", count: 1)[0]
        guard timeSteps == Double(step * substeps) else {
            throw MethodCheckpoint.Invalid(reason: "the checkpoint of step \(step) records \(timeSteps) time steps, not \(step * substeps)")
        }
        state = try solver.resume(density: checkpoint.values("density", count: cells),
                                  previous: checkpoint.arrays["previous"] == nil ? nil : checkpoint.values("previous", count: cells),
                                  step: step * substeps)
        generator = try checkpoint.generator()
    }
}
