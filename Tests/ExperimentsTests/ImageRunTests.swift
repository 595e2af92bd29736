import Experiments
import Foundation
import NumericalCore
import Plotting
import Probability
import XCTest

/// Image runs: the Fashion-MNIST S-JKO run and its resume, the paper-shaped presets'
/// two-iteration smoke runs on synthetic data, the PNG folder reader.
final class ImageRunTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-image-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func run(_ preset: String, _ overrides: [String], into name: String) throws -> (MetricsTable, URL) {
        let url = scratch.appendingPathComponent(name)
        let (config, folder) = try RunLauncher.prepare(source: preset, overrides: overrides, seed: nil, out: url.path, force: false)
        return (try ExperimentRunner(config: config, folder: folder).run(source: preset, command: "test"), url)
    }

    static let tinyFashion = ["flow.steps=2", "neural.first_step_iterations=4", "neural.later_step_iterations=3", "neural.batch_size=8",
                              "images.train_count=500", "images.grid_count=16", "output.sample_count=16"]

    func contents(of folder: URL) throws -> [String: Data] {
        var out = [String: Data]()
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let file as URL in enumerator where !file.hasDirectoryPath {
            let relative = String(file.path.dropFirst(folder.path.count + 1))
            if relative != "log.txt" && relative != "run.json" { out[relative] = try Data(contentsOf: file) }
        }
        return out
    }

    /// A tiny Fashion-MNIST run writes per step the samples `[16, 784]` in [−1, 1]-ish
    /// range, the grid PNG (8 × 2 tiles of 56 px with 2 px gaps: 466 × 118 px) and the
    /// sampler; killed after step 1 and resumed, it gives the same files byte for byte.
    func testFashionMNISTRunWritesGridsAndResumesBitForBit() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ImageDataset.fashionMNISTFolder), "dataset-fashion-mnist is not installed")
        let (table, a) = try run("fashion-mnist-quick", Self.tinyFashion, into: "A")
        XCTAssertEqual(table.rows.count, 3)
        let folder = RunFolder(url: a)
        let samples = try folder.loadSamples(step: 2, method: "neural-sjko", reference: "neural-sjko")
        XCTAssertEqual(samples.shape, [16, 784])
        let grid = try RGBAImage(pngFile: folder.sampleGridURL(step: 2))
        XCTAssertEqual([grid.width, grid.height], [2 + 8 * 58, 2 + 2 * 58])
        XCTAssertGreaterThan(grid.luminanceVariance, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.samplerURL(step: 2, method: "neural-sjko").path))

        // jko sample on an image run: step 0 is the prior N(0, I) itself (6 × 784 values:
        // mean within 4 standard errors of 0, standard deviation within 3 %), the same seed
        // gives the same draws, and a later step maps those same draws elsewhere.
        let prior = try SampleExport.samples(of: folder, step: 0, count: 6, seed: 5)
        let values = prior.elements, count = Double(values.count)
        let mean = values.reduce(0, +) / count
        XCTAssertEqual(mean, 0, accuracy: 4 / count.squareRoot())
        XCTAssertEqual((values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / count).squareRoot(), 1, accuracy: 0.03)
        XCTAssertEqual(try SampleExport.samples(of: folder, step: 0, count: 6, seed: 5).elements, values)
        XCTAssertNotEqual(try SampleExport.samples(of: folder, step: 2, count: 6, seed: 5).elements, values)
        // The noise-to-samples strip: one column per step (0, 1, 2), six tracked draws each.
        let strip = try XCTUnwrap(RunFigures.figure(.noiseToSamples, of: RunFigureData(folder: folder)))
        XCTAssertEqual(strip.panels.count, 3)
        XCTAssertEqual(strip.panels.map(\.title), ["noise, k = 0", "k = 1", "k = 2"])

        let b = scratch.appendingPathComponent("B")
        let (config, bFolder) = try RunLauncher.prepare(source: "fashion-mnist-quick", overrides: Self.tinyFashion, seed: nil, out: b.path, force: false)
        // A directory where step 2's samples file goes makes that write fail after step 1.
        try FileManager.default.createDirectory(at: bFolder.samplesURL(step: 2, method: "neural-sjko", reference: "neural-sjko"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try ExperimentRunner(config: config, folder: bFolder).run(source: "fashion-mnist-quick", command: "test"))
        let (resumeConfig, resumeFolder) = try RunLauncher.prepareResume(source: "fashion-mnist-quick", overrides: Self.tinyFashion, seed: nil, out: b.path)
        let resumption = try ExperimentRunner(config: resumeConfig, folder: resumeFolder).resume(command: "test --resume")
        XCTAssertEqual(resumption.lastCompleteStep, 1)
        let reference = try contents(of: a), resumed = try contents(of: b)
        XCTAssertEqual(reference.keys.sorted(), resumed.keys.sorted())
        for (path, data) in reference where resumed[path] != data { XCTFail("\(path) differs after resume") }
    }

    /// The paper-shaped presets build their networks and train two iterations per step on
    /// synthetic images (their --quick form) without a data folder; the config shows the
    /// parameter counts. (cifar10: about 5 s of CPU.)
    func testCIFAR10PresetRunsTwoIterationsOnSyntheticData() throws { try smokeRun("cifar10") }

    /// The same for celebahq-256 (about 15 s of CPU at 256×256: set JKO_SLOW_TESTS=1).
    func testCelebAHQ256PresetRunsTwoIterationsOnSyntheticData() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["JKO_SLOW_TESTS"] == "1", "set JKO_SLOW_TESTS=1 for the 256×256 smoke run")
        try smokeRun("celebahq-256")
    }

    func smokeRun(_ preset: String) throws {
        do {
            let overrides = try XCTUnwrap(Presets.quickOverrides(preset)) + ["flow.steps=1", "neural.batch_size=1", "output.sample_count=1", "images.grid_count=1"]
            let (table, _) = try run(preset, overrides, into: preset)
            XCTAssertEqual(table.column("neural_sjko_iterations"), [0, 2])
            XCTAssertTrue(table.column("neural_sjko_map_loss")!.allSatisfy(\.isFinite))
            let shown = ConfigLoader.render(try XCTUnwrap(Presets.named(preset)))
            XCTAssertTrue(shown.contains("# Networks: map T(x, z) "), preset)
        }
    }

    /// Without --data the paper presets and a folder run say which folder they need.
    func testMissingDataFolderIsNamed() throws {
        XCTAssertThrowsError(try run("cifar10", ["flow.steps=1"], into: "nodata")) { error in
            XCTAssertTrue("\(error)".contains("cifar-10-batches-bin"), "\(error)")
        }
        XCTAssertThrowsError(try run("fashion-mnist-quick", ["images.data=\"\(scratch.appendingPathComponent("none").path)\""], into: "nofolder")) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
    }

    /// PNG folder: an 8×6 image (centre-cropped to 6×6, averaged down to 3×3, each output
    /// pixel the mean of a 2×2 block); a folder without PNGs and a corrupt PNG are named.
    func testImageFolderCropsResizesAndNamesBadFiles() throws {
        var bytes = [UInt8]()
        for y in 0..<6 { for x in 0..<8 { bytes += [UInt8(10 * x), UInt8(20 * y), 100, 255] } }
        try RGBAImage(width: 8, height: 6, bytes: bytes).pngData().write(to: scratch.appendingPathComponent("00000.png"))
        let data = try ImageFolder.load(folder: scratch.path, size: 3, channels: 3)
        XCTAssertEqual([data.count, data.channels, data.height, data.width], [1, 3, 3, 3])
        // Output (0, 0) covers source x ∈ {1, 2}, y ∈ {0, 1}: red 15, green 10, blue 100.
        XCTAssertEqual([data.pixels[0], data.pixels[9], data.pixels[18]], [15, 10, 100])
        // Output (2, 1) (row 1, column 2): x ∈ {5, 6}, y ∈ {2, 3}: red 55, green 50.
        XCTAssertEqual([data.pixels[5], data.pixels[9 + 5]], [55, 50])

        let empty = scratch.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: empty.appendingPathComponent("notes.txt"))
        XCTAssertThrowsError(try ImageFolder.load(folder: empty.path, size: 4)) { XCTAssertTrue("\($0)".contains("holds no usable image"), "\($0)") }
        try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).write(to: scratch.appendingPathComponent("00001.png"))
        XCTAssertThrowsError(try ImageFolder.load(folder: scratch.path, size: 3)) { XCTAssertTrue("\($0)".contains("00001.png"), "\($0)") }
    }
}
