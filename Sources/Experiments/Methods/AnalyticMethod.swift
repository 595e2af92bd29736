import GradientFlows
import NumericalCore
import Probability

/// The closed-form Ornstein–Uhlenbeck solution ρ_{kh} (DESIGN.md §1.1): exact moments,
/// exact Gaussian when the start is a single Gaussian, fresh samples at every step.
public final class AnalyticMethod: FlowMethod {
    public let name = "analytic"
    public let flow: OrnsteinUhlenbeckFlow
    let timeStep: Double
    let sampleCount: Int
    let config: ExperimentConfig
    var generator: RandomGenerator

    public init(config: ExperimentConfig, generator: RandomGenerator) throws {
        self.config = config
        flow = try OrnsteinUhlenbeckFlow(start: config.startDistribution(), target: config.targetDistribution())
        timeStep = config.flow.timeStep
        sampleCount = config.output.sampleCount
        self.generator = generator
    }

    public func advance(to step: Int) throws -> MethodState {
        let t = Double(step) * timeStep
        let marginal = try flow.marginal(at: t)
        let samples = marginal.sample(count: sampleCount, using: &generator)
        return MethodState(samples: samples,
                           gaussian: marginal.components.count == 1 ? marginal.components[0] : nil,
                           metrics: MethodState.momentMetrics(mean: flow.mean(at: t), covariance: flow.covariance(at: t)),
                           density: ClosedFormDensity.onGrid(marginal, config: config),
                           quantiles: ClosedFormDensity.quantiles(marginal))
    }

    /// Only the random stream: ρ_{kh} itself is a closed form of t.
    public func checkpoint() -> MethodCheckpoint {
        var checkpoint = MethodCheckpoint()
        checkpoint.set(generator: generator)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        generator = try checkpoint.generator()
    }
}
