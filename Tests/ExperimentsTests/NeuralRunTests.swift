import Experiments
import Foundation
import NumericalCore
import XCTest

/// The neural columns inside runs: verification against the exact columns, resume after
/// a failure, the divergence guard, and the bad-input sentences.
final class NeuralRunTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-neural-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func run(_ preset: String, _ overrides: [String], into name: String) throws -> (MetricsTable, URL) {
        let url = scratch.appendingPathComponent(name)
        let (config, folder) = try RunLauncher.prepare(source: preset, overrides: overrides, seed: nil, out: url.path, force: false)
        return (try ExperimentRunner(config: config, folder: folder).run(source: preset, command: "test"), url)
    }

    /// `neural-ou-1d --quick` (the demo's run): at every step the exact W₂ from 1000 neural
    /// samples to the particle-JKO iterate is within 4× its noise floor (the same estimator
    /// with a 1000-sample of the particle measure in place of the neural one, mean of 3
    /// draws; measured ratio ≤ 3.1 on this seed, the floor itself varying 0.05–0.27 from
    /// step to step because a 1000-sample's split between the two modes fluctuates), and
    /// within 0.3 absolutely (measured ≤ 0.28 at step 1, ≤ 0.17 from step 3 on).
    func testNeuralOU1DQuickTracksTheParticleJKOIterates() throws {
        let overrides = try XCTUnwrap(Presets.quickOverrides("neural-ou-1d"))
        let (table, _) = try run("neural-ou-1d", overrides, into: "quick")
        let w2 = try XCTUnwrap(table.column("neural_sjko_w2_vs_particle_jko"))
        let floor = try XCTUnwrap(table.column("neural_sjko_w2floor_vs_particle_jko"))
        XCTAssertEqual(w2.count, 21)
        for (k, (gap, noise)) in zip(w2, floor).enumerated() {
            XCTAssertLessThanOrEqual(gap, 4 * noise, "step \(k): W₂ \(gap) against floor \(noise)")
            XCTAssertLessThanOrEqual(gap, 0.3, "step \(k)")
        }
        for column in ["neural_sjko_symkl_vs_analytic", "neural_sjko_symklfloor_vs_analytic", "neural_sjko_w2_vs_finite_volume",
                       "neural_sjko_potential_loss", "neural_sjko_map_loss"] {
            XCTAssertNotNil(table.column(column), column)
        }
    }
}

extension NeuralRunTests {
    static let tiny = ["flow.steps=4", "neural.first_step_iterations=40", "neural.later_step_iterations=20", "neural.batch_size=100",
                       "neural.fit_sample_count=1000", "neural.w2_sample_count=100", "particles.count=200", "grid.cells=100",
                       "output.sample_count=200", "neural.width=16", "neural.blocks=1"]

    /// Every file but log.txt and run.json (timestamps, rates), by relative path.
    func contents(of url: URL) throws -> [String: Data] {
        var out = [String: Data]()
        let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let file as URL in walker where try file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let relative = String(file.path.dropFirst(url.path.count + 1))
            if relative != "log.txt" && relative != "run.json" { out[relative] = try Data(contentsOf: file) }
        }
        return out
    }

    /// A neural run stopped by a real write failure after step 2 and resumed gives the
    /// uninterrupted run's files byte for byte (metrics, samples, losses, checkpoints with
    /// both networks, both Adams and the random streams): same machine, same core count.
    func testNeuralRunResumedAfterAFailureMatchesTheUninterruptedRun() throws {
        let (_, a) = try run("neural-ou-1d", Self.tiny, into: "A")
        let b = scratch.appendingPathComponent("B")
        let (config, folder) = try RunLauncher.prepare(source: "neural-ou-1d", overrides: Self.tiny, seed: nil, out: b.path, force: false)
        try FileManager.default.createDirectory(at: folder.samplesURL(step: 3, method: config.methods[0], reference: config.methods[0]),
                                                withIntermediateDirectories: true)
        XCTAssertThrowsError(try ExperimentRunner(config: config, folder: folder).run(source: "neural-ou-1d", command: "test"))
        let (resumeConfig, resumeFolder) = try RunLauncher.prepareResume(source: "neural-ou-1d", overrides: Self.tiny, seed: nil, out: b.path)
        let resumption = try ExperimentRunner(config: resumeConfig, folder: resumeFolder).resume(command: "test --resume")
        XCTAssertEqual(resumption.lastCompleteStep, 2)
        let reference = try contents(of: a), resumed = try contents(of: b)
        XCTAssertEqual(reference.keys.sorted(), resumed.keys.sorted())
        XCTAssertNotNil(reference["checkpoints/neural-sjko/step-0004.safetensors"])
        XCTAssertNotNil(reference["training/neural-sjko/step-0004.npy"])
        for (path, data) in reference where resumed[path] != data { XCTFail("\(path) differs after resume") }
    }

    /// Learning rates far too large make the KL game overflow: the run stops with a
    /// sentence naming the method, the JKO step, the iteration and the loss, and keeps the
    /// last good step's checkpoint.
    func testDivergenceStopsWithTheStepAndKeepsTheLastCheckpoint() throws {
        let overrides = Self.tiny + ["neural.map_learning_rate=1e6", "neural.potential_learning_rate=1e6"]
        let url = scratch.appendingPathComponent("nan")
        let (config, folder) = try RunLauncher.prepare(source: "neural-ou-1d", overrides: overrides, seed: nil, out: url.path, force: false)
        XCTAssertThrowsError(try ExperimentRunner(config: config, folder: folder).run(source: "neural-ou-1d", command: "test")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("neural-sjko diverged at JKO step"), text)
            XCTAssertTrue(text.contains("iteration"), text)
            XCTAssertTrue(text.contains("loss is"), text)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.checkpointURL(step: 0, method: "neural-sjko").path))
    }

    /// Bad neural settings are refused before any work, each with one sentence naming the key.
    func testBadNeuralInputsAreRefusedWithTheirKey() {
        let cases: [([String], String, String)] = [
            (["methods=[\"analytic\", \"neural-chain\"]", "neural.noise_size=2", "neural.noise_coupling=\"shared\""], "neural.noise_coupling", "no noise to share"),
            (["neural.batch_size=0"], "neural.batch_size", "between 1 and"),
            (["neural.target_batch_size=1500"], "neural.target_batch_size", "multiple of neural.batch_size (1000)"),
            (["neural.conjugate=\"hellinger\""], "neural.conjugate", "\"kl\""),
            (["neural.potential_objective=\"hinge\""], "neural.potential_objective", "\"semi-dual\""),
            (["neural.conjugate=\"chi2\"", "neural.potential_objective=\"logistic\""], "neural.potential_objective", "KL divergence only"),
            (["neural.map_learning_rate=-1e-3"], "neural.map_learning_rate", "> 0"),
            (["neural.potential_learning_rate=0"], "neural.potential_learning_rate", "> 0"),
            (["neural.cost=\"per-dimension\""], "neural.cost", "exact columns"),
            (["start.means=[[0.0, 1.0], [2.0, 1.0]]"], "start.means", "length 1"),
        ]
        for (overrides, key, phrase) in cases {
            XCTAssertThrowsError(try RunLauncher.prepare(source: "neural-ou-1d", overrides: overrides, seed: nil,
                                                         out: scratch.appendingPathComponent("bad").path, force: false), key) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(key), "\(overrides): \(text)")
                XCTAssertTrue(text.contains(phrase), "\(overrides): \(text)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("bad").path), "nothing written for \(overrides)")
        }
    }
}

/// `neural.potential_objective = "auto"` (the verification presets): the logistic loss exactly
/// where χ²(μ₀‖ν) is infinite for a Gaussian start and target.
final class PotentialObjectiveChoiceTests: XCTestCase {
    func testAutoChoosesTheLogisticLossWhereTheStartIsTwiceAsWide() throws {
        // neural-ou-2d: start diag(0.2, 0.6) against ν = diag(0.5, 2): ratio 0.4 (by hand).
        let ou2d = try XCTUnwrap(Presets.named("neural-ou-2d"))
        XCTAssertEqual(try XCTUnwrap(ou2d.startToTargetVarianceRatio), 0.4, accuracy: 1e-12)
        XCTAssertEqual(ou2d.resolvedPotentialObjective, .semiDual)
        // neural-ou-nd: start N(0, I), so the ratio is 1/λ_min(Σ) of the random target.
        for d in [1, 2, 4, 6, 8, 10, 12] {
            var config = try XCTUnwrap(Presets.named("neural-ou-nd"))
            config.target.dimension = d
            let smallest = try XCTUnwrap(try config.targetDistribution().covariance.symmetricEigen().values.min())
            let ratio = try XCTUnwrap(config.startToTargetVarianceRatio)
            XCTAssertEqual(ratio, 1 / smallest, accuracy: 1e-9 / smallest, "d = \(d)")
            XCTAssertEqual(config.resolvedPotentialObjective, ratio >= 2 ? .logistic : .semiDual, "d = \(d)")
        }
        // Mixture starts, sample-only targets and other divergences keep the semi-dual.
        XCTAssertEqual(try XCTUnwrap(Presets.named("neural-ou-1d")).resolvedPotentialObjective, .semiDual)
        XCTAssertEqual(try XCTUnwrap(Presets.named("neural-double-well-2d")).resolvedPotentialObjective, .semiDual)
        var chi2 = try XCTUnwrap(Presets.named("neural-ou-nd"))
        chi2.target.dimension = 4
        chi2.neural.conjugate = "chi2"
        XCTAssertEqual(chi2.resolvedPotentialObjective, .semiDual)
        // An explicit choice is kept.
        var explicit = try XCTUnwrap(Presets.named("neural-ou-nd"))
        explicit.neural.potentialObjective = "semi-dual"
        XCTAssertEqual(explicit.resolvedPotentialObjective, .semiDual)
    }
}
