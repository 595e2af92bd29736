import GradientFlows
import NumericalCore
import Probability

/// The exact JKO iterates of a Gaussian start (any covariance, DESIGN.md §1.1 and `GaussianJKO`).
public final class GaussianJKOMethod: FlowMethod {
    public let name = "gaussian-jko"
    let jko: GaussianJKO
    let sampleCount: Int
    var generator: RandomGenerator
    var current: Gaussian
    let config: ExperimentConfig

    public init(config: ExperimentConfig, generator: RandomGenerator) throws {
        self.config = config
        jko = try GaussianJKO(target: config.targetDistribution(), timeStep: config.flow.timeStep)
        current = try config.startDistribution().components[0]
        sampleCount = config.output.sampleCount
        self.generator = generator
    }

    public func advance(to step: Int) throws -> MethodState {
        if step > 0 { current = try jko.step(from: current) }
        let law = GaussianMixture(current)
        return MethodState(samples: current.sample(count: sampleCount, using: &generator), gaussian: current,
                           metrics: MethodState.momentMetrics(mean: current.mean, covariance: current.covariance),
                           density: ClosedFormDensity.onGrid(law, config: config),
                           quantiles: ClosedFormDensity.quantiles(law))
    }

    /// `mean` `[d]`, `covariance` `[d, d]` of ρ_k and the random stream.
    public func checkpoint() -> MethodCheckpoint {
        var checkpoint = MethodCheckpoint()
        checkpoint.set("mean", current.mean)
        checkpoint.set("covariance", current.covariance.elements, shape: current.covariance.shape)
        checkpoint.set(generator: generator)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        let d = current.dimension
        current = try Gaussian(mean: checkpoint.values("mean", count: d),
                               covariance: Matrix(rows: d, columns: d, elements: checkpoint.values("covariance", count: d * d)))
        generator = try checkpoint.generator()
    }
}
