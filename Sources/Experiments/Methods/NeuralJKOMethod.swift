import Autodiff
import Foundation
import MessagePassing
import NeuralJKO
import NeuralNetworks
import NumericalCore
import Probability

/// The neural JKO scheme via unbalanced OT as a run column: `neural-sjko` (T_k: μ₀ →
/// μ_{k+1}) or `neural-chain` (T_k: μ_k → μ_{k+1}), trained on samples of the target only
/// (DESIGN.md §1.3, ``NeuralJKOTrainer``).
///
/// Step 0 reports the prior μ₀; step k ≥ 1 trains JKO step k − 1 (warm-started) and
/// reports μ_k. Per step: `output.sample_count` samples (a fresh one-pass draw), the
/// settled losses (mean of the last tenth of the step's iterations), the iterations, the
/// rate and wall time, the moments of a large fresh sample, and a sampler, from which the
/// runner computes the verification columns against every exact method of the run
/// (``NeuralVerification``). The checkpoint holds both networks, both Adams' moments, the
/// EMA, T_old (or every map of the chain) and the random streams.
public final class NeuralJKOMethod: DataParallelMethod {
    public let name: String
    let config: ExperimentConfig
    var trainer: NeuralJKOTrainer<FlowMap<Float>, FlowPotential<Float>>
    /// The stream of the reported samples (independent of training's).
    var sampleGenerator: RandomGenerator
    /// Where iteration-level progress goes (set by the runner).
    public var progress: ProgressReporter?
    /// Records of the steps trained by this process (losses for figures).
    public private(set) var records: [JKOStepRecord] = []

    public init(name: String, config: ExperimentConfig, generator: RandomGenerator) throws {
        self.name = name
        self.config = config
        let settings = config.neuralSettings(method: name)
        let d = config.dimension
        let prior = try config.startDistribution()
        let target = try config.targetSampler()
        let problem = NeuralJKOProblem(dimension: d, prior: { n, g in prior.sample(count: n, using: &g) },
                                       target: { n, g in target.sample(count: n, using: &g) }, timeSteps: config.neuralTimeSteps)
        let ranks = Communicator.world.size
        guard settings.batchSize >= ranks else {
            throw ConfigError.outOfRange(key: "neural.batch_size", value: "\(settings.batchSize)",
                                         allowed: "at least the \(ranks) ranks of this mpirun job (each rank trains on its slice of every batch)")
        }
        var root = generator
        var streams = root.split(count: 3)
        let map = FlowMap<Float>(dimension: d, noiseSize: settings.noiseSize, width: settings.width,
                                 blockCount: settings.blockCount, residual: settings.residualMap, generator: &streams[0])
        let potential = FlowPotential<Float>(dimension: d, width: settings.width, blockCount: settings.blockCount,
                                             quadratic: settings.quadraticPotential, quadraticScale: settings.quadraticScale,
                                             network: settings.potentialNetwork, generator: &streams[0])
        trainer = NeuralJKOTrainer(problem: problem, settings: settings, map: map, potential: potential, generator: streams[1],
                                   communicator: Communicator.world)
        sampleGenerator = streams[2]
    }

    public func advance(to step: Int) throws -> MethodState {
        var metrics = [(String, Double)]()
        var record: JKOStepRecord?
        if step > 0 {
            let iterations = trainer.settings.iterations(ofStep: step - 1)
            let label = "step \(step)/\(config.flow.steps)"
            let progress = self.progress
            let started = Date()
            let trained = trainer.trainStep(step - 1, progressEvery: 25) { iteration, lv, lt in
                let rate = Double(iteration) / max(Date().timeIntervalSince(started), 1e-9)
                progress?.update(done: Double(step - 1) + Double(iteration) / Double(max(iterations, 1)),
                                 detail: String(format: "%@ %@ it %d/%d L_v %.4f L_T %.4f %.0f it/s", self.name, label,
                                                            iteration, iterations, lv, lt, rate))
            }
            if case let .diverged(k, iteration, loss, value) = trained.status {
                throw NeuralJKOError.diverged(method: name, step: k + 1, iteration: iteration, loss: loss, value: value)
            }
            records.append(trained)
            record = trained
            metrics += [("potential_loss", Double(trained.finalPotentialLoss)), ("map_loss", Double(trained.finalMapLoss)),
                        ("iterations", Double(trained.iterations)), ("optimality_residual", trained.optimalityResidual ?? .nan)]
        } else {
            metrics += [("potential_loss", 0), ("map_loss", 0), ("iterations", 0), ("optimality_residual", 0)]
        }
        let samples = trainer.sample(count: config.output.sampleCount, using: &sampleGenerator)
        guard samples.elements.allSatisfy(\.isFinite) else {
            throw NeuralJKOError.nonFiniteSamples(method: name, step: step)
        }
        let snapshot = trainer
        let moments = Moments.meanAndCovariance(samples)
        metrics += MethodState.momentMetrics(mean: moments.mean, covariance: moments.covariance)
        var state = MethodState(samples: samples, metrics: metrics)
        state.sampler = { count, generator in snapshot.sample(count: count, using: &generator) }
        state.samplerFile = trainer.samplerCheckpoint().file
        if let record {
            state.lossHistory = Matrix(rows: record.potentialLosses.count, columns: 2,
                                       elements: zip(record.potentialLosses, record.mapLosses).flatMap { [Double($0), Double($1)] })
            state.logLine = String(format: "%@ step %d: %d iterations in %.1f s (%.1f it/s), L_v %.5f, L_T %.5f, resident memory %.1f MiB",
                                   name, step, record.iterations, record.seconds, record.rate, record.finalPotentialLoss,
                                   record.finalMapLoss, Double(ResidentMemory.bytes ?? 0) / 1_048_576)
        }
        return state
    }

    /// Bytes each rank all-reduces per training iteration under `mpirun` (both networks'
    /// Float gradients and losses).
    public var allReduceBytesPerIteration: Int { trainer.pair.allReduceBytesPerIteration }

    public func checkpoint() -> MethodCheckpoint {
        var checkpoint = MethodCheckpoint(network: trainer.checkpoint().file)
        checkpoint.set("training_generator", trainer.generator.snapshot)
        checkpoint.set(generator: sampleGenerator)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        guard let network = checkpoint.network else { throw MethodCheckpoint.Invalid(reason: "the checkpoint holds no network state") }
        var restored = trainer
        try restored.restore(from: Checkpoint(file: network))
        guard restored.completedSteps == step else {
            throw MethodCheckpoint.Invalid(reason: "the checkpoint holds \(restored.completedSteps) trained steps where step \(step) needs \(step)")
        }
        guard let training = RandomGenerator(snapshot: try checkpoint.values("training_generator")) else {
            throw MethodCheckpoint.Invalid(reason: "the checkpoint's array 'training_generator' is not a random-generator snapshot")
        }
        restored.generator = training
        sampleGenerator = try checkpoint.generator()
        trainer = restored
    }

    /// `count` fresh samples of step `step` from its saved sampler weights (`jko sample`).
    public func samples(fromSampler file: SafeTensorsFile, count: Int, using generator: inout RandomGenerator) throws -> Matrix {
        var sampler = trainer
        try sampler.restoreSampler(from: Checkpoint(file: file))
        return sampler.sample(count: count, using: &generator)
    }

    /// The trained networks (figures: the learned map and potential).
    public var flow: NeuralJKOTrainer<FlowMap<Float>, FlowPotential<Float>> { trainer }
}

/// A neural run that left its domain of validity.
public enum NeuralJKOError: Error, CustomStringConvertible {
    case diverged(method: String, step: Int, iteration: Int, loss: String, value: Float)
    case nonFiniteSamples(method: String, step: Int)

    public var description: String {
        switch self {
        case let .diverged(method, step, iteration, loss, value):
            return "\(method) diverged at JKO step \(step), iteration \(iteration): the \(loss) loss is \(value); lower neural.map_learning_rate / neural.potential_learning_rate or raise the batch size; the last good step's checkpoint is kept"
        case let .nonFiniteSamples(method, step):
            return "\(method) produced non-finite samples at step \(step): the network diverged; lower the learning rates; the last good step's checkpoint is kept"
        }
    }
}
