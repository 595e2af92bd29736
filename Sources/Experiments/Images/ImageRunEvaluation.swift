import Foundation
import NeuralNetworks
import NumericalCore
import OptimalTransport
import Probability

/// `jko eval RUN` for an image run of Fashion-MNIST: at every step, `sampleCount` fresh
/// samples from the step's saved sampler weights are embedded by the classifier
/// (``FeatureSpace``) and compared with the test split's embedding:
///
/// - `fd`: FD-FMNIST, the Fréchet distance of the 128-d feature fits
///   (``FrechetDistance``; not Inception features, so not comparable to FID), printed with
///   its anchors: `fd_floor` (the same estimator between `sampleCount` training images and
///   the test images: what a perfect generator scores) and `fd_ceiling` (uniform noise
///   images in [−1, 1]);
/// - `coverage`: the fraction of the 10 classes that receive more than 2 % of the samples
///   (the classifier's histogram), and the histogram's largest share `top_class_share`;
/// - `precision`, `recall`: k-NN precision and recall (k = 3) against the test features,
///   on the first `precisionRecallCount` points of each.
///
/// The table goes to `metrics-eval.csv` beside `metrics.csv`; the sampling rate of each
/// step goes to standard error.
public struct ImageRunEvaluation {
    public var sampleCount = 10_000
    public var precisionRecallCount = 5000
    public var seed: UInt64 = 1

    public init(sampleCount: Int = 10_000) { self.sampleCount = sampleCount }

    public func evaluate(run url: URL, log: (String) -> Void = { _ in }) throws -> MetricsTable {
        let folder = try RunFolder.open(url)
        let config = try folder.config()
        guard config.images.dataset == "fashion-mnist", config.methods.contains("neural-sjko") else {
            throw ConfigError.outOfRange(key: "images.dataset", value: "\"\(config.images.dataset)\"",
                                         allowed: "FD-FMNIST needs a fashion-mnist neural-sjko run (the classifier is trained on Fashion-MNIST)")
        }
        let classifierRun = URL(fileURLWithPath: config.images.classifierRun, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let space = try FeatureSpace(run: classifierRun)
        log("classifier: \(config.images.classifierRun)/samplers/classifier/\(space.file.lastPathComponent)"
            + (space.testAccuracy.map { String(format: " (test accuracy %.4f)", $0) } ?? ""))
        let test = try config.imageDataset(split: .test)
        var dataConfig = config
        dataConfig.images.trainCount = 0
        let train = try dataConfig.imageDataset(split: .train)
        let n = min(sampleCount, test.count)
        let testFeatures = space.embed(test.rows(Array(0..<n))).features
        let floor = try FrechetDistance.between(space.embed(train.rows(Array(0..<min(n, train.count)))).features, testFeatures)
        var rng = RandomGenerator(seed: seed)
        let noise = Matrix(rows: n, columns: config.dimension, elements: (0..<(n * config.dimension)).map { _ in 2 * rng.uniform() - 1 })
        let ceiling = try FrechetDistance.between(space.embed(noise).features, testFeatures)
        log(String(format: "FD-FMNIST anchors (n = %d): floor (train vs test) %.3f, ceiling (uniform noise) %.3f", n, floor, ceiling))
        let recorded = try MetricsTable(csv: String(contentsOf: folder.metricsURL, encoding: .utf8))
        let method = try ImageJKOMethod(name: "neural-sjko", config: config, generator: RandomGenerator(seed: 0))
        var table = MetricsTable()
        let pr = min(precisionRecallCount, n)
        for (row, step) in (recorded.column("step") ?? []).enumerated() {
            let k = Int(step)
            let samplerURL = folder.samplerURL(step: k, method: "neural-sjko")
            guard FileManager.default.fileExists(atPath: samplerURL.path) else { continue }
            let started = Date()
            var generator = RandomGenerator(seed: seed + UInt64(k))
            let samples = try method.samples(fromSampler: SafeTensorsFile(contentsOf: samplerURL), count: n, using: &generator)
            let sampling = Date().timeIntervalSince(started)
            let (features, classes) = space.embed(samples)
            let fd = try FrechetDistance.between(features, testFeatures)
            var histogram = [Int](repeating: 0, count: 10)
            for c in classes { histogram[c] += 1 }
            let coverage = Double(histogram.filter { Double($0) > 0.02 * Double(n) }.count) / 10
            let (precision, recall) = NearestNeighborPrecisionRecall.evaluate(real: testFeatures.firstRows(pr), generated: features.firstRows(pr))
            table.append([("step", step), ("t", recorded.column("t")?[row] ?? step), ("fd", fd), ("fd_floor", floor), ("fd_ceiling", ceiling),
                          ("coverage", coverage), ("top_class_share", Double(histogram.max()!) / Double(n)),
                          ("precision", precision), ("recall", recall)])
            log(String(format: "step %d: FD-FMNIST %.3f (floor %.3f, ceiling %.3f), coverage %.1f, precision %.3f, recall %.3f, classes %@",
                       k, fd, floor, ceiling, coverage, precision, recall, histogram.description))
            // A wall-clock rate: standard error, so that the printed table stays reproducible.
            if folder.writes { FileHandle.standardError.write(Data(String(format: "step %d: sampled %d images at %.0f images/s\n", k, n, Double(n) / max(sampling, 1e-9)).utf8)) }
        }
        if folder.writes { try AtomicFile.write(table.csv, to: RunEvaluation.outputURL(folder)) }
        return table
    }
}
