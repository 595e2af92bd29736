import Autodiff
import Foundation
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
    public func embed(_ images: Matrix) -> (features: Matrix, classes: [Int]) {
        var features = [Double](), classes = [Int]()
        let net = classifier
        for start in stride(from: 0, to: images.rows, by: 500) {
            let rows = start..<min(start + 500, images.rows)
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
        return (Matrix(rows: images.rows, columns: features.count / max(images.rows, 1), elements: features), classes)
    }
}
