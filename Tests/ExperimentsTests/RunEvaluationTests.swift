import Experiments
import Foundation
import NumericalCore
import OptimalTransport
import XCTest
import _TestSupport

/// `jko eval`: metrics recomputed from a run's saved samples.
final class RunEvaluationTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-eval-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// A 3-step ou-1d run (analytic reference + gaussian-jko): one row per step, the file
    /// metrics-eval.csv written, metrics.csv untouched. In 1D the Bures distance between
    /// the fits is √((m₁ − m₂)² + (s₁ − s₂)²) (sample means, unbiased sds, computed here by
    /// hand) and the exact W₂ between equal-size clouds is the root mean square of the
    /// sorted differences.
    func testEvaluateRecomputesFromSamples() throws {
        let config = try ConfigLoader.resolve("ou-1d", overrides: ["flow.steps=3", "output.sample_count=60"])
        let url = scratch.appendingPathComponent("run")
        let folder = try RunFolder.create(at: url, force: false)
        _ = try ExperimentRunner(config: config, folder: folder).run(source: "ou-1d", command: "test")
        let before = try String(contentsOf: folder.metricsURL, encoding: .utf8)
        let table = try RunEvaluation(metrics: [.w2, .bures, .sliced]).evaluate(run: url)
        XCTAssertEqual(table.rows.count, 4)
        XCTAssertEqual(try String(contentsOf: folder.metricsURL, encoding: .utf8), before)
        XCTAssertTrue(FileManager.default.fileExists(atPath: RunEvaluation.outputURL(folder).path))
        let w2 = try XCTUnwrap(table.column("sample_w2_gaussian_jko"))
        let bures = try XCTUnwrap(table.column("sample_bures_gaussian_jko"))
        let sliced = try XCTUnwrap(table.column("sample_sliced_gaussian_jko"))
        let manifest = try folder.manifest()
        for step in 0...3 {
            let a = try folder.loadSamples(step: step, method: "gaussian-jko", reference: manifest.referenceMethod).elements
            let b = try folder.loadSamples(step: step, method: manifest.referenceMethod, reference: manifest.referenceMethod).elements
            func moments(_ v: [Double]) -> (Double, Double) {
                let m = v.reduce(0, +) / Double(v.count)
                return (m, (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot())
            }
            let (ma, sa) = moments(a), (mb, sb) = moments(b)
            assertClose(bures[step], ((ma - mb) * (ma - mb) + (sa - sb) * (sa - sb)).squareRoot(), rtol: 1e-9)
            let sortedA = a.sorted(), sortedB = b.sorted()
            let rms = (zip(sortedA, sortedB).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(a.count)).squareRoot()
            assertClose(w2[step], rms, rtol: 1e-12)
            assertClose(sliced[step], rms, rtol: 1e-12)   // 1D: every direction is ±1
        }
    }

    func testMissingFolderIsAnError() {
        XCTAssertThrowsError(try RunEvaluation().evaluate(run: scratch.appendingPathComponent("nowhere")))
    }
}
