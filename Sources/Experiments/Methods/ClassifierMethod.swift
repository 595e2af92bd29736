import Autodiff
import Foundation
import NeuralNetworks
import NumericalCore
import Probability

/// The `classifier` column of an image run: ``ImageClassifier`` trained with the engine's
/// Adam on the labelled training images, one "step" per epoch (`flow.steps` epochs), the
/// learning rate on a cosine decay over all epochs. Each step reports the mean training
/// loss and the accuracy and loss on the whole test split; the weights of every epoch
/// are kept as `samplers/classifier/step-KKKK.safetensors`, which is where `jko eval`
/// finds them (``FeatureSpace``). Checkpoints hold the network, Adam's moments and the
/// shuffling stream, so `--resume` continues bit for bit.
public final class ClassifierMethod: FlowMethod {
    public let name = "classifier"
    let config: ExperimentConfig
    var network: ImageClassifier<Float>
    var optimizer: Adam<Float>
    var generator: RandomGenerator
    let train: ImageDataset
    let test: ImageDataset
    public var progress: ProgressReporter?

    public init(config: ExperimentConfig, generator: RandomGenerator) throws {
        self.config = config
        train = try config.imageDataset(split: .train)
        test = try config.imageDataset(split: .test)
        guard train.labels != nil, test.labels != nil else {
            throw ConfigError.outOfRange(key: "images.dataset", value: "\"\(config.images.dataset)\"", allowed: "the classifier needs labelled images (fashion-mnist or cifar10)")
        }
        var root = generator
        var streams = root.split(count: 2)
        network = ImageClassifier(imageShape: config.imageShape, channels: config.classifier.channels, generator: &streams[0])
        optimizer = Adam(learningRate: config.classifier.learningRate)
        self.generator = streams[1]
    }

    var batchesPerEpoch: Int { (train.count + config.classifier.batchSize - 1) / config.classifier.batchSize }

    public func advance(to step: Int) throws -> MethodState {
        var metrics = [(String, Double)]()
        var line = "classifier epoch \(step)"
        if step > 0 {
            let started = Date()
            let schedule = CosineLearningRate(baseRate: config.classifier.learningRate, totalSteps: batchesPerEpoch * config.flow.steps)
            var order = Array(0..<train.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
            var lossSum = 0.0
            let batch = config.classifier.batchSize
            for b in 0..<batchesPerEpoch {
                let indices = Array(order[(b * batch)..<min((b + 1) * batch, order.count)])
                let x = Self.tensor(train.rows(indices))
                let labels = indices.map { train.labels![$0] }
                optimizer.learningRate = schedule.learningRate(atStep: (step - 1) * batchesPerEpoch + b)
                let net = network
                let (loss, gradients) = DataParallel.valueWithGradient(at: net.parameters, batchSize: indices.count) { rows, p in
                    ImageClassifier.crossEntropy(logits: net.replacingParameters(p)(x.rowSlice(rows)), labels: Array(labels[rows]))
                }
                guard loss.scalar.isFinite else {
                    throw NeuralJKOError.diverged(method: name, step: step, iteration: b + 1, loss: "cross-entropy", value: loss.scalar)
                }
                optimizer.step(&network, gradients: gradients)
                lossSum += Double(loss.scalar)
                if b % 10 == 0 {
                    let rate = Double((b + 1) * batch) / max(Date().timeIntervalSince(started), 1e-9)
                    progress?.update(done: step, detail: String(format: "classifier epoch %d/%d batch %d/%d loss %.4f %.0f images/s", step, config.flow.steps,
                                                                b + 1, batchesPerEpoch, loss.scalar, rate))
                }
            }
            let seconds = Date().timeIntervalSince(started)
            metrics.append(("train_loss", lossSum / Double(batchesPerEpoch)))
            line += String(format: ": %.1f s, %.0f training images/s", seconds, Double(train.count) / seconds)
        } else {
            metrics.append(("train_loss", 0))
        }
        let (accuracy, loss) = evaluate(on: test)
        metrics += [("test_accuracy", accuracy), ("test_loss", loss)]
        var state = MethodState(samples: test.rows(Array(0..<min(64, test.count))), metrics: metrics)
        state.logLine = line + String(format: ", test accuracy %.4f", accuracy)
        var weights = Checkpoint(metadata: ["kind": "image-classifier", "channels": "\(config.classifier.channels)"])
        weights.add(network, as: "classifier")
        state.samplerFile = weights.file
        return state
    }

    /// Accuracy and mean cross-entropy on a labelled set (batches of 500).
    func evaluate(on data: ImageDataset) -> (accuracy: Double, loss: Double) {
        var correct = 0, lossSum = 0.0
        let net = network
        for start in stride(from: 0, to: data.count, by: 500) {
            let indices = Array(start..<min(start + 500, data.count))
            let x = Self.tensor(data.rows(indices))
            let logits = DataParallel.mapRows(indices.count) { rows in net(x.rowSlice(rows)) }
            let labels = indices.map { data.labels![$0] }
            lossSum += Double(ImageClassifier.crossEntropy(logits: logits, labels: labels).scalar) * Double(indices.count)
            let k = logits.shape[1]
            logits.withUnsafeBufferPointer { p in
                for (r, label) in labels.enumerated() {
                    var best = 0
                    for c in 1..<k where p[r * k + c] > p[r * k + best] { best = c }
                    if best == label { correct += 1 }
                }
            }
        }
        return (Double(correct) / Double(data.count), lossSum / Double(data.count))
    }

    public func checkpoint() -> MethodCheckpoint {
        var weights = Checkpoint()
        weights.add(network, as: "classifier")
        weights.add(optimizer, of: network, as: "optimizer.classifier")
        var checkpoint = MethodCheckpoint(network: weights.file)
        checkpoint.set(generator: generator)
        return checkpoint
    }

    public func restore(step: Int, from checkpoint: MethodCheckpoint) throws {
        guard let file = checkpoint.network else { throw MethodCheckpoint.Invalid(reason: "the checkpoint holds no network state") }
        let weights = Checkpoint(file: file)
        var net = network, adam = optimizer
        try weights.load(into: &net, from: "classifier")
        try weights.load(into: &adam, of: net, from: "optimizer.classifier")
        generator = try checkpoint.generator()
        network = net
        optimizer = adam
    }

    static func tensor(_ m: Matrix) -> Tensor<Float> { Tensor(shape: [m.rows, m.columns], scalars: m.elements.map { Float($0) }) }
}
