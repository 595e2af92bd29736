import GradientFlows
import NumericalCore
import Probability

/// The 1D Lagrangian particle JKO scheme (DESIGN.md §1.2) as a run column.
///
/// Samples are the particle positions themselves (`[N, 1]`); metrics per step: the
/// discrete energy F, the mass, the Newton iterations and final decrement, the moments,
/// W₂²(ρ_k, ρ_{k+1}) and the slack of the discrete energy inequality
/// F(ρ_k) − F(ρ_{k+1}) − W₂²/(2h) (≥ 0 up to rounding).
public final class ParticleJKOMethod: FlowMethod {
    public let name = "particle-jko"
    let jko: LagrangianJKO1D
    let potential: any Potential
    let grid: FiniteVolumeGrid
    var state: ParticleState1D

    public init(config: ExperimentConfig, generator: RandomGenerator) throws {
        potential = try config.potential()
        jko = try LagrangianJKO1D(potential: potential, timeStep: config.flow.timeStep,
                                  tolerance: config.particles.tolerance, maximumIterations: config.particles.maxIterations)
        state = try ParticleState1D(particleCount: config.particles.count, start: config.startDistribution())
        grid = try config.finiteVolumeGrid()
    }

    public func advance(to step: Int) throws -> MethodState {
        var metrics = [(String, Double)]()
        let before = state.energy(potential)
        var iterations = 0, decrement = 0.0, moved = 0.0
        if step > 0 {
            let result = jko.step(from: state)
            guard result.converged else {
                throw GradientFlowError.newtonFailed(step: step, iterations: result.iterations,
                                                     decrement: result.decrement, reason: result.status)
            }
            moved = state.squaredDistance(to: result.state)
            state = result.state
            iterations = result.iterations
            decrement = result.decrement
        }
        let energy = state.energy(potential)
        metrics.append(("energy", energy))
        metrics.append(("mass", state.totalMass))
        metrics.append(("newton_iterations", Double(iterations)))
        metrics.append(("newton_decrement", decrement))
        metrics.append(("w2sq_step", moved))
        metrics.append(("energy_inequality_slack", step > 0 ? before - energy - moved / (2 * jko.timeStep) : 0))
        metrics += MethodState.momentMetrics(mean: [state.mean], covariance: Matrix([[state.variance]]))
        return MethodState(samples: Matrix(rows: state.count, columns: 1, elements: state.positions),
                           metrics: metrics,
                           density: state.density(lower: grid.lower[0], upper: grid.upper[0], cellCount: grid.cellCounts[0]),
                           quantiles: Wasserstein1D(particles: state))
    }

    /// `positions` `[N]` and `masses` `[N]` of ρ_k. No random stream: the scheme and its
    /// samples (the particles) are deterministic.
    public func checkpoint() -> MethodCheckpoint {
        var checkpoint = MethodCheckpoint()
        checkpoint.set("positions", state.positions)
        checkpoint.set("masses", state.masses)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        state = try ParticleState1D(positions: checkpoint.values("positions", count: state.count),
                                    masses: checkpoint.values("masses", count: state.count))
    }

    /// The current particle state (for exact W₂ against a closed form).
    public var particles: ParticleState1D { state }
}
