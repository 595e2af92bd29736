import Autodiff
import Foundation
import MessagePassing
import NeuralNetworks
import NumericalCore
import Probability

/// The feature space of FD-FMNIST: a trained ``ImageClassifier`` (the `fashion-mnist-classifier`
/// preset) read from its run folder, mapping images `[n, 784]` in [−1, 1] to 128-d
/// penultimate features and to class predictions.
public struct FeatureSpace {
    public let classifier: ImageClassifier<Float>
    /// The weights file used (the last epoch of the classifier run).
    public let file: URL
    /// The classifier run's test accuracy at that epoch (from its metrics.csv).
    public let testAccuracy: Double?

    /// Loads the last epoch's weights `samplers/classifier/step-KKKK.safetensors` of the
    /// classifier run at `run`; a missing run says how to make it.
    public init(run: URL) throws {
        let folder = run.appendingPathComponent("samplers").appendingPathComponent("classifier")
        let steps = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .compactMap { name -> Int? in name.hasPrefix("step-") && name.hasSuffix(".safetensors") ? Int(name.dropFirst(5).dropLast(12)) : nil }
        guard let last = steps.max(), last > 0 else {
            throw ImageDataError.missing(file: folder.path,
                                         expected: "the trained classifier of FD-FMNIST (run 'jko run fashion-mnist-classifier' first, or set images.classifier_run)")
        }
        let config = try RunFolder(url: run).config()
        var rng = RandomGenerator(seed: 0)
        var net = ImageClassifier<Float>(imageShape: config.imageShape, channels: config.classifier.channels, generator: &rng)
        file = folder.appendingPathComponent(String(format: "step-%04d.safetensors", last))
        try Checkpoint(contentsOf: file).load(into: &net, from: "classifier")
        classifier = net
        let metrics = try? MetricsTable(csv: String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8))
        testAccuracy = metrics?.column("classifier_test_accuracy")?.last
    }

    /// Features `[n, 128]` and predicted classes of images `[n, d]` (blocks of 500).
    ///
    /// Across the ranks of `communicator` (`mpirun`) each rank embeds its contiguous slice
    /// of the rows and the results are gathered on every rank in row order: the same
    /// features as one process (the network is applied row by row).
    public func embed(_ images: Matrix, communicator: Communicator = .world) -> (features: Matrix, classes: [Int]) {
        guard images.rows > 0 else { return (Matrix(rows: 0, columns: 0, elements: []), []) }
        var features = [Double](), classes = [Int]()
        let net = classifier
        let mine = communicator.slice(of: images.rows)
        for start in stride(from: mine.lowerBound, to: mine.upperBound, by: 500) {
            let rows = start..<min(start + 500, mine.upperBound)
            let x = Tensor<Float>(shape: [rows.count, images.columns],
                                  scalars: images.elements[(rows.lowerBound * images.columns)..<(rows.upperBound * images.columns)].map { Float($0) })
            let f = DataParallel.mapRows(rows.count) { r in net.features(x.rowSlice(r)) }
            let logits = net.head(f)
            f.withUnsafeBufferPointer { features += $0.map(Double.init) }
            let k = logits.shape[1]
            logits.withUnsafeBufferPointer { p in
                for r in 0..<rows.count { classes.append((0..<k).max { p[r * k + $0] < p[r * k + $1] }!) }
            }
        }
        guard communicator.size > 1 else {
            return (Matrix(rows: images.rows, columns: features.count / images.rows, elements: features), classes)
        }
        // One gather of [features…, class] per row, in rank (= row) order.
        let width = classes.isEmpty ? 0 : features.count / classes.count
        var packed = [Double]()
        packed.reserveCapacity(features.count + classes.count)
        for (r, c) in classes.enumerated() {
            packed += features[(r * width)..<((r + 1) * width)]
            packed.append(Double(c))
        }
        let all = communicator.allGather(packed)
        let columns = all.count / images.rows - 1
        var outFeatures = [Double](), outClasses = [Int]()
        outFeatures.reserveCapacity(images.rows * columns)
        for r in 0..<images.rows {
            outFeatures += all[(r * (columns + 1))..<(r * (columns + 1) + columns)]
            outClasses.append(Int(all[r * (columns + 1) + columns]))
        }
        return (Matrix(rows: images.rows, columns: columns, elements: outFeatures), outClasses)
    }
}
