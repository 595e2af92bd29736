import Experiments
import Foundation
import NumericalCore
import XCTest

/// `jko eval`, `jko plot` and `jko run --resume` on damaged run folders (issue 11): a
/// sentence naming the first bad file and a non-zero exit, or a repair that says so.
final class BadRunFolderTests: XCTestCase {
    var cli: JKOSandbox!
    var scratch: URL { cli.scratch }
    var base: URL!

    override func setUpWithError() throws {
        cli = try JKOSandbox()
        base = try cli.makeRun("base")
    }

    override func tearDownWithError() throws { cli.remove() }

    /// A copy of the finished base run.
    func copy(_ name: String) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try FileManager.default.copyItem(at: base, to: url)
        try? FileManager.default.removeItem(at: url.appendingPathComponent(RunLock.fileName))
        return url
    }

    func resume(_ name: String) -> [String] { ["run", "ou-1d"] + JKOSandbox.small + ["--out", name, "--resume"] }

    func testEvalNamesTheBadInput() throws {
        let samples = "samples/gaussian-jko/step-0001.npy"
        let good = try Data(contentsOf: base.appendingPathComponent(samples))
        let e1 = try copy("e1")
        try FileManager.default.removeItem(at: e1.appendingPathComponent(samples))
        try cli.assertFails(["eval", "e1"], "cannot use the samples file \(e1.path)/\(samples): it is missing")
        let e2 = try copy("e2")
        try good.prefix(good.count - 8).write(to: e2.appendingPathComponent(samples))
        try cli.assertFails(["eval", "e2"], "\(samples): data truncated")
        let e3 = try copy("e3")
        try NPYArray(shape: [3, 2], values: [0, 1, 2, 3, 4, 5]).write(to: e3.appendingPathComponent(samples))
        try cli.assertFails(["eval", "e3"], "it holds a [3, 2] array, but the run's samples are [n, 1]")
        let e4 = try copy("e4")
        var bigEndian = good
        let descr = bigEndian.range(of: Data("<f8".utf8))!
        bigEndian.replaceSubrange(descr, with: Data(">f8".utf8))
        try bigEndian.write(to: e4.appendingPathComponent(samples))
        try cli.assertFails(["eval", "e4"], "the values are big-endian (>f8)")
        let e5 = try copy("e5")
        var nan = good
        withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { nan.replaceSubrange((nan.count - 8)..<nan.count, with: $0) }
        try nan.write(to: e5.appendingPathComponent(samples))
        try cli.assertFails(["eval", "e5"], "row 19 holds nan, not a finite number")
        let e6 = try copy("e6")
        try FileManager.default.removeItem(at: e6.appendingPathComponent("metrics.csv"))
        try cli.assertFails(["eval", "e6"], "cannot use \(e6.path)/metrics.csv: it is missing")
        let e7 = try copy("e7")
        try FileManager.default.removeItem(at: e7.appendingPathComponent("run.json"))
        try cli.assertFails(["eval", "e7"], "cannot use \(e7.path)/run.json: it is missing")
        let e8 = try copy("e8")
        try Data("{garbage".utf8).write(to: e8.appendingPathComponent("run.json"))
        try cli.assertFails(["eval", "e8"], "run.json: it is not the JSON 'jko run' writes")
        XCTAssertFalse(FileManager.default.fileExists(atPath: e1.appendingPathComponent("metrics-eval.csv").path))
    }

    /// A folder that cannot take metrics-eval.csv still prints the table, then says where.
    func testEvalPrintsTheTableBeforeAFailedWrite() throws {
        let e = try copy("e")
        try FileManager.default.createDirectory(at: e.appendingPathComponent("metrics-eval.csv"), withIntermediateDirectories: true)
        let result = try cli.jko(["eval", "e", "--metrics", "w2", "bures"])
        XCTAssertNotEqual(result.status, 0)
        let table = try XCTUnwrap(result.output.range(of: "sample_w2_gaussian_jko"))
        let error = try XCTUnwrap(result.output.range(of: "the table above could not be saved: cannot write \(e.path)/metrics-eval.csv: it is a folder, not a file"))
        XCTAssertLessThan(table.lowerBound, error.lowerBound, result.output)
    }

    func testPlotRefusesMissingOrGarbageMetrics() throws {
        let p1 = try copy("p1")
        try FileManager.default.removeItem(at: p1.appendingPathComponent("metrics.csv"))
        try cli.assertFails(["plot", "p1"], "cannot use \(p1.path)/metrics.csv: it is missing")
        let p2 = try copy("p2")
        try Data("step,t\n0,zz\n".utf8).write(to: p2.appendingPathComponent("metrics.csv"))
        try cli.assertFails(["plot", "p2"], "metrics.csv: line 2 is malformed (expected 2 numbers separated by commas)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: p2.appendingPathComponent("figures/metrics.png").path))
    }

    func testResumeChecksEveryFinishedStep() throws {
        let r1 = try copy("r1")
        try FileManager.default.removeItem(at: r1.appendingPathComponent("samples/step-0001.npy"))
        try cli.assertFails(resume("r1"), "cannot resume: \(r1.path)/samples/step-0001.npy (step 1): it is missing, and no checkpoint before step 1 is left")
        let r2 = try copy("r2")
        try Data("\u{93}NUMPY".utf8).write(to: r2.appendingPathComponent("samples/particle-jko/step-0000.npy"))
        try cli.assertFails(resume("r2"), "samples/particle-jko/step-0000.npy (step 0):")
        let r3 = try copy("r3")
        try FileManager.default.removeItem(at: r3.appendingPathComponent("density/finite-volume/step-0001.npy"))
        try cli.assertFails(resume("r3"), "density/finite-volume/step-0001.npy (step 1): it is missing")
        // The latest step's samples can be recomputed from the checkpoint before it.
        let r4 = try copy("r4")
        try FileManager.default.removeItem(at: r4.appendingPathComponent("samples/step-0002.npy"))
        let repaired = try cli.jko(resume("r4"))
        XCTAssertEqual(repaired.status, 0, repaired.output)
        XCTAssertTrue(repaired.output.contains("samples/step-0002.npy: it is missing; recomputing from step 1"), repaired.output)
        XCTAssertEqual(try Data(contentsOf: r4.appendingPathComponent("samples/step-0002.npy")),
                       try Data(contentsOf: base.appendingPathComponent("samples/step-0002.npy")))
    }

    func testResumeChecksMetricsByStepAndRepairsRunJSON() throws {
        let m1 = try copy("m1")
        try Data("step,t\n0,zz\n".utf8).write(to: m1.appendingPathComponent("metrics.csv"))
        try cli.assertFails(resume("m1"), "cannot use \(m1.path)/metrics.csv: line 2 is malformed")
        let m2 = try copy("m2")
        let csv = try String(contentsOf: base.appendingPathComponent("metrics.csv"), encoding: .utf8)
        try ("stpe" + csv.dropFirst(4)).write(to: m2.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        try cli.assertFails(resume("m2"), "metrics.csv: its header does not start with the 'step' column")
        let m3 = try copy("m3")
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 2)   // the row of step 1
        try lines.joined(separator: "\n").write(to: m3.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        try cli.assertFails(resume("m3"), "metrics.csv: it has no row for step 1 (the row after step 0 is step 2); a row was deleted or repeated")
        for (name, damage) in [("j1", nil), ("j2", Data("x".utf8))] as [(String, Data?)] {
            let j = try copy(name)
            if let damage { try damage.write(to: j.appendingPathComponent("run.json")) } else { try FileManager.default.removeItem(at: j.appendingPathComponent("run.json")) }
            let result = try cli.jko(resume(name))
            XCTAssertEqual(result.status, 0, result.output)
            XCTAssertTrue(result.output.contains("run.json: it is \(damage == nil ? "missing" : "not the JSON")"), result.output)
            XCTAssertEqual(try RunFolder.open(j).manifest().methods, ["analytic", "gaussian-jko", "particle-jko", "finite-volume"])
        }
        // A kill after run.json but before config.toml: --resume refuses, --force may replace it.
        let k = scratch.appendingPathComponent("k")
        try FileManager.default.createDirectory(at: k, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: base.appendingPathComponent("run.json"), to: k.appendingPathComponent("run.json"))
        try cli.assertFails(resume("k"), "\(k.path) is not a run folder (no config.toml)")
        XCTAssertEqual(try cli.jko(["run", "ou-1d"] + JKOSandbox.small + ["--out", "k", "--force"]).status, 0)
    }
}
