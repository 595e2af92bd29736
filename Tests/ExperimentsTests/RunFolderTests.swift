import Experiments
import Foundation
import NumericalCore
import XCTest
import _TestSupport

final class RunFolderTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// The `.npy` header, checked byte by byte by hand: magic, version 1.0, little-endian
    /// header length, a dict naming '<f8', C order and the shape, padding to 64 bytes.
    func testNPYHeaderByHand() throws {
        let m = Matrix([[1.5, -2], [3, 4], [5, 6.25]])
        let url = scratch.appendingPathComponent("a.npy")
        try NPYArray(m).write(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertEqual(Array(bytes[0..<8]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }"), header)
        XCTAssertTrue(header.hasSuffix("\n"))
        XCTAssertEqual(bytes.count, 10 + headerLength + 6 * 8)
        // First value 1.5 = 0x3FF8000000000000, little-endian.
        XCTAssertEqual(Array(bytes[(10 + headerLength)..<(18 + headerLength)]), [0, 0, 0, 0, 0, 0, 0xF8, 0x3F])
        XCTAssertEqual(try NPYArray(contentsOf: url).matrix(), m)
    }

    func testRunWritesFolderAndRefusesOverwrite() throws {
        let config = try ConfigLoader.resolve("ou-1d", overrides: ["flow.steps=3", "output.sample_count=50"])
        let url = scratch.appendingPathComponent("run")
        let folder = try RunFolder.create(at: url, force: false)
        let table = try ExperimentRunner(config: config, folder: folder).run(source: "ou-1d", command: "test")
        XCTAssertEqual(table.rows.count, 4)
        let csv = try String(contentsOf: folder.metricsURL, encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("step,t,"), csv)
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("samples/step-0003.npy")).shape, [50, 1])
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("samples/gaussian-jko/step-0003.npy")).shape, [50, 1])
        XCTAssertEqual(try folder.manifest().seed, config.seed)
        XCTAssertEqual(try folder.config(), config)
        XCTAssertThrowsError(try RunFolder.create(at: url, force: false)) { error in
            XCTAssertEqual("\(error)", "the run folder \(url.path) already exists; pass --force to overwrite it or --out to choose another folder")
        }
        // The analytic mean column is the closed form b + e^{−at}(m₀ − b).
        let a = 2.0, b = 1.0, m0 = -2.0
        for (t, mean) in zip(table.column("t")!, table.column("analytic_mean_1")!) {
            assertClose(mean, b + exp(-a * t) * (m0 - b), atol: 1e-12)
        }
    }

    func testSameSeedSameNumbers() throws {
        let config = try ConfigLoader.resolve("ou-mixture-2d", overrides: ["flow.steps=1", "output.sample_count=20"])
        let a = try ExperimentRunner(config: config, folder: RunFolder.create(at: scratch.appendingPathComponent("a"), force: false)).run(source: "", command: "")
        let b = try ExperimentRunner(config: config, folder: RunFolder.create(at: scratch.appendingPathComponent("b"), force: false)).run(source: "", command: "")
        XCTAssertEqual(a.csv, b.csv)
        XCTAssertEqual(try NPYArray(contentsOf: scratch.appendingPathComponent("a/samples/step-0001.npy")),
                       try NPYArray(contentsOf: scratch.appendingPathComponent("b/samples/step-0001.npy")))
    }

    /// A damaged metrics.csv and a failure at step 0 get messages that say what to do.
    func testDamagedMetricsAndStepZeroFailureMessages() {
        XCTAssertThrowsError(try MetricsTable(csv: "step,t,mean_1\n0,0,1.5\n1,0.1\n")) { error in
            XCTAssertEqual("\(error)", "line 3 is malformed (expected 3 numbers separated by commas); the file was cut short or edited")
        }
        struct Cause: Error, CustomStringConvertible { var description: String { "Newton stalled" } }
        let first = ExperimentRunner.StepFailure(step: 0, method: "mesh-jko", underlying: Cause())
        XCTAssertEqual(first.description, "step 0 of method 'mesh-jko' failed: Newton stalled; no step was saved, so fix the cause and run again")
        let later = ExperimentRunner.StepFailure(step: 3, method: "mesh-jko", underlying: Cause())
        XCTAssertTrue(later.description.hasSuffix("steps 0…2 are saved in the run folder, and --resume continues from there"))
    }
}
