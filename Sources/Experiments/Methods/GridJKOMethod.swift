import GradientFlows
import NumericalCore
import Probability

/// Peyré's entropic JKO on the config's grid (``EntropicGridJKO``) as a run column: a
/// JKO-consistent reference (with an entropic blur ε) in 1D and 2D for any V.
///
/// The start is the finite volumes' (ρ₀ at the cell centres, normalised); samples are exact
/// draws from the piecewise-constant density, and the saved density is the cell averages.
/// Metrics per step: the energy F (the finite volumes' discrete KL), the mass, the
/// iterations, the L¹ marginal error (stopping when ≤ `grid_jko.tolerance`), ε, the
/// entropic cost W_ε of the step and the energy-inequality slack F(ρ_k) − F(ρ_{k+1}) −
/// W_ε/(2h) (≥ 0 at the minimiser), the moments (the seconds of the solve go to log.txt). A step that
/// reaches `grid_jko.max_iterations` first stops the run with a sentence naming it.
public final class GridJKOMethod: FlowMethod {
    public let name = "grid-jko"
    let solver: EntropicGridJKO
    let sampleCount: Int
    var generator: RandomGenerator
    var state: EntropicGridJKOState

    public init(config: ExperimentConfig, generator: RandomGenerator) throws {
        let grid = try config.finiteVolumeGrid()
        solver = try EntropicGridJKO(grid: grid, potential: config.potential(), timeStep: config.flow.timeStep,
                                     epsilon: config.gridJKO.epsilon > 0 ? config.gridJKO.epsilon : nil,
                                     tolerance: config.gridJKO.tolerance, maximumIterations: config.gridJKO.maxIterations)
        let start = try config.startDistribution()
        state = solver.start(logDensity: start.logDensity)
        sampleCount = config.output.sampleCount
        self.generator = generator
    }

    public func advance(to step: Int) throws -> MethodState {
        if step > 0 {
            let next = solver.step(from: state)
            let r = next.report!
            guard r.converged else {
                throw GradientFlowError.entropicStepNotConverged(step: step, iterations: r.iterations,
                                                                 marginalError: r.marginalError, tolerance: solver.tolerance)
            }
            state = next
        }
        let grid = solver.grid
        let density = state.masses.map { $0 / grid.cellVolume }
        let r = state.report
        let energy = solver.energy(ofMasses: state.masses)
        let (mean, covariance) = grid.moments(density)
        var metrics: [(String, Double)] = [
            ("energy", energy),
            ("mass", state.masses.reduce(0, +)),
            ("iterations", Double(r?.iterations ?? 0)),
            ("marginal_error", r?.marginalError ?? 0),
            ("epsilon", solver.epsilon),
            ("entropic_cost", r?.entropicCost ?? 0),
            ("energy_inequality_slack", r.map { $0.previousEnergy - $0.energy - $0.entropicCost / (2 * solver.timeStep) } ?? 0),
        ]
        metrics += MethodState.momentMetrics(mean: mean, covariance: covariance)
        var out = MethodState(samples: grid.sample(density, count: sampleCount, using: &generator),
                              metrics: metrics, density: density,
                              quantiles: grid.dimension == 1
                                  ? Wasserstein1D(cellDensity: density, lower: grid.lower[0], upper: grid.upper[0]) : nil)
        // Wall time goes to log.txt: metrics.csv must be reproducible bit for bit on resume.
        if let r {
            out.logLine = String(format: "grid-jko step %d: %d iterations in %.2f s (over-relaxation %.3f, %.2g of kernel entries by exact log-sum-exp)",
                                 step, r.iterations, r.seconds, r.relaxation, r.exactKernelFraction)
        }
        return out
    }

    /// `masses` `[cells]`, the warm-start potentials `f`, `g` `[cells]` (absent at step 0)
    /// and the random stream.
    public func checkpoint() -> MethodCheckpoint {
        var checkpoint = MethodCheckpoint()
        checkpoint.set("masses", state.masses)
        if let f = state.sourcePotential, let g = state.targetPotential {
            checkpoint.set("f", f)
            checkpoint.set("g", g)
        }
        checkpoint.set(generator: generator)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        let cells = solver.grid.cellCount
        let hasPotentials = checkpoint.arrays["f"] != nil
        state = EntropicGridJKOState(masses: try checkpoint.values("masses", count: cells),
                                     sourcePotential: hasPotentials ? try checkpoint.values("f", count: cells) : nil,
                                     targetPotential: hasPotentials ? try checkpoint.values("g", count: cells) : nil,
                                     stepIndex: step, report: state.report)
        generator = try checkpoint.generator()
    }
}
