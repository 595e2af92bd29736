import Autodiff
import Foundation
import MessagePassing
import NeuralJKO
import NeuralNetworks
import NumericalCore
import Probability

/// The S-JKO column of an image run (`target.kind = "images"`, method `neural-sjko`): the
/// same ``NeuralJKOTrainer`` as ``NeuralJKOMethod``, with the convolutional ``ImageMap``
/// T(x, z) and ``ImagePotential`` v(y) (config `images.*`) seen through flat rows, the
/// prior μ₀ = N(0, I) on images, and the data set of `images.dataset` as ν (samples in
/// [−1, 1]).
///
/// Step 0 reports μ₀; step k ≥ 1 trains JKO step k − 1 and reports μ_k: `output.sample_count`
/// samples (`samples/step-KKKK.npy`, EMA weights), the grid `samples/grid-KKKK.png` of the
/// first `images.grid_count`, the settled losses, and the sampler weights
/// (`samplers/neural-sjko/step-KKKK.safetensors`, which `jko eval` and `jko sample` use).
/// Progress shows images per second (training: 2 × batch per iteration, data and moved
/// prior) and the time left; when the whole run would take more than two hours at the
/// measured rate, the log and standard error say so with the estimate (the paper-sized
/// presets need a larger machine).
public final class ImageJKOMethod: DataParallelMethod {
    public let name: String
    let config: ExperimentConfig
    var trainer: NeuralJKOTrainer<FlatImageMap<ImageMap<Float>>, FlatImagePotential<ImagePotential<Float>>>
    var sampleGenerator: RandomGenerator
    public var progress: ProgressReporter?
    public private(set) var records: [JKOStepRecord] = []
    var warned = false

    public init(name: String, config: ExperimentConfig, generator: RandomGenerator) throws {
        self.name = name
        self.config = config
        var settings = config.neuralSettings(method: name)
        settings.noiseSize = config.images.latentSize
        settings.optimalityCheckCount = 0
        let data = try config.imageDataset(split: .train)
        let d = config.dimension
        let problem = NeuralJKOProblem(dimension: d, prior: { n, g in Matrix(rows: n, columns: d, elements: g.normals(n * d)) },
                                       target: { n, g in data.sample(count: n, using: &g) }, timeSteps: config.neuralTimeSteps)
        let ranks = Communicator.world.size
        guard settings.batchSize >= ranks else {
            throw ConfigError.outOfRange(key: "neural.batch_size", value: "\(settings.batchSize)",
                                         allowed: "at least the \(ranks) ranks of this mpirun job (each rank trains on its slice of every batch)")
        }
        var root = generator
        var streams = root.split(count: 3)
        let (map, potential) = config.imageNetworks(generator: &streams[0])
        trainer = NeuralJKOTrainer(problem: problem, settings: settings, map: map, potential: potential, generator: streams[1],
                                   communicator: Communicator.world)
        sampleGenerator = streams[2]
    }

    /// Iterations of the whole run (every step), for the time estimate.
    var totalIterations: Int { trainer.settings.totalIterations(steps: config.flow.steps) }

    public func advance(to step: Int) throws -> MethodState {
        var metrics = [(String, Double)]()
        var logLine: String?
        var lossHistory: Matrix?
        if step > 0 {
            let iterations = trainer.settings.iterations(ofStep: step - 1)
            let batch = trainer.settings.batchSize
            let done = trainer.settings.totalIterations(steps: step - 1) * (step > 1 ? 1 : 0)
            let total = totalIterations
            let progress = self.progress
            let started = Date()
            let trained = trainer.trainStep(step - 1, progressEvery: 5) { iteration, lv, lt in
                let seconds = max(Date().timeIntervalSince(started), 1e-9)
                let perIteration = seconds / Double(iteration)
                let left = perIteration * Double(total - done - iteration)
                if !self.warned && iteration >= 5 { self.warnIfLong(secondsPerIteration: perIteration, totalIterations: total) }
                progress?.update(done: Double(step - 1) + Double(iteration) / Double(max(iterations, 1)),
                                 detail: String(format: "%@ step %d/%d it %d/%d L_v %.4f L_T %.4f %.1f images/s, run %@ left", self.name, step,
                                                            self.config.flow.steps, iteration, iterations, lv, lt, Double(2 * batch * iteration) / seconds,
                                                            ProgressReporter.duration(left)))
            }
            if case let .diverged(k, iteration, loss, value) = trained.status {
                throw NeuralJKOError.diverged(method: name, step: k + 1, iteration: iteration, loss: loss, value: value)
            }
            records.append(trained)
            metrics += [("potential_loss", Double(trained.finalPotentialLoss)), ("map_loss", Double(trained.finalMapLoss)),
                        ("iterations", Double(trained.iterations))]
            lossHistory = Matrix(rows: trained.potentialLosses.count, columns: 2,
                                 elements: zip(trained.potentialLosses, trained.mapLosses).flatMap { [Double($0), Double($1)] })
            logLine = String(format: "%@ step %d: %d iterations in %.1f s (%.2f it/s, %.1f training images/s), L_v %.5f, L_T %.5f, resident memory %.1f MiB",
                             name, step, trained.iterations, trained.seconds, trained.rate, trained.rate * Double(2 * batch),
                             trained.finalPotentialLoss, trained.finalMapLoss, Double(ResidentMemory.bytes ?? 0) / 1_048_576)
        } else {
            metrics += [("potential_loss", 0), ("map_loss", 0), ("iterations", 0)]
        }
        let count = max(config.output.sampleCount, config.images.gridCount)
        let sampling = Date()
        let samples = samples(count: count, trainer: trainer, using: &sampleGenerator)
        let samplingRate = Double(count) / max(Date().timeIntervalSince(sampling), 1e-9)
        guard samples.elements.allSatisfy(\.isFinite) else { throw NeuralJKOError.nonFiniteSamples(method: name, step: step) }
        let pixels = samples.elements
        metrics += [("pixel_mean", pixels.reduce(0, +) / Double(max(pixels.count, 1))),
                    ("pixel_std", (pixels.reduce(0) { $0 + $1 * $1 } / Double(max(pixels.count, 1)) - pow(pixels.reduce(0, +) / Double(max(pixels.count, 1)), 2)).squareRoot())]
        var state = MethodState(samples: samples.firstRows(config.output.sampleCount), metrics: metrics)
        state.lossHistory = lossHistory
        state.logLine = (logLine.map { $0 + ", " } ?? "\(name) step 0: ") + String(format: "sampling %.0f images/s", samplingRate)
        if let note = pendingNote { state.logLine! += "; " + note; pendingNote = nil }
        state.samplerFile = trainer.samplerCheckpoint().file
        let grid = SampleGrid(channels: config.images.channels, height: config.images.size, width: config.images.size,
                              zoom: config.images.size <= 32 ? 2 : 1)
        state.sampleGrid = try grid.image(samples.firstRows(config.images.gridCount)).pngData()
        return state
    }

    /// `count` samples in blocks of 256 images (bounded memory at any image size).
    func samples(count: Int, trainer: NeuralJKOTrainer<FlatImageMap<ImageMap<Float>>, FlatImagePotential<ImagePotential<Float>>>,
                 using generator: inout RandomGenerator) -> Matrix {
        var elements = [Double]()
        elements.reserveCapacity(count * config.dimension)
        var done = 0
        while done < count {
            let n = min(256, count - done)
            elements += trainer.sample(count: n, using: &generator).elements
            done += n
        }
        return Matrix(rows: count, columns: config.dimension, elements: elements)
    }

    /// Says once (stderr and log) when the run needs a larger machine than this one.
    /// (Called from inside the training loop: it must not touch `trainer`.)
    func warnIfLong(secondsPerIteration: Double, totalIterations: Int) {
        warned = true
        let hours = secondsPerIteration * Double(totalIterations) / 3600
        guard hours > 2 else { return }
        guard Communicator.world.isRoot else { return }
        let text = String(format: "note: %@ is sized for a GPU-class machine: at %.2f s per iteration here, its %d iterations take about %.0f hours (%.1f days); stop it with Ctrl-C (--resume continues), or use fewer steps and iterations with --set",
                          config.name, secondsPerIteration, totalIterations, hours, hours / 24)
        FileHandle.standardError.write(Data(("\n" + text + "\n").utf8))
        pendingNote = text
    }

    var pendingNote: String?

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

    /// `count` fresh samples of a step from its saved sampler weights (`jko eval`, `jko sample`).
    public func samples(fromSampler file: SafeTensorsFile, count: Int, using generator: inout RandomGenerator) throws -> Matrix {
        var sampler = trainer
        try sampler.restoreSampler(from: Checkpoint(file: file))
        return samples(count: count, trainer: sampler, using: &generator)
    }
}
