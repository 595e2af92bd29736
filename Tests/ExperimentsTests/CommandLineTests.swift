import Foundation
import NumericalCore
import XCTest

/// The `jko` executable, run as a user would: exit codes and the sentences it prints.
final class CommandLineTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// The `jko` binary next to the test bundle.
    var executable: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent()].map { $0.appendingPathComponent("jko") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    func jko(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = scratch
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testVersionHelpAndConfigList() throws {
        let version = try jko(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.output.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0")
        let help = try jko(["--help"])
        for sub in ["demo", "run", "config", "sample", "bench"] { XCTAssertTrue(help.output.contains(sub), help.output) }
        let list = try jko(["config", "list"])
        XCTAssertTrue(list.output.contains("ou-mixture-2d"))
    }

    /// `--resume` continues a run folder, says when there is nothing to do, and refuses
    /// `--force` and a missing folder with one sentence each.
    func testResumeFlag() throws {
        let run = ["run", "ou-1d", "--set", "flow.steps=2", "--set", "particles.count=50", "--set", "grid.cells=40",
                   "--set", "output.sample_count=20", "--out", "r"]
        XCTAssertEqual(try jko(run).status, 0)
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("r/checkpoints/analytic/step-0002.safetensors"))
        let resumed = try jko(run + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertTrue(resumed.output.contains("resumed at step 1; wrote"), resumed.output)
        let again = try jko(run + ["--resume"])
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertTrue(again.output.contains("is already complete (steps 0…2); nothing to do"), again.output)
        let forced = try jko(run + ["--resume", "--force"])
        XCTAssertNotEqual(forced.status, 0)
        XCTAssertTrue(forced.output.contains("--resume continues the existing run folder and --force replaces it; pass only one of them"), forced.output)
        let missing = try jko(["run", "ou-1d", "--out", "elsewhere", "--resume"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.output.contains("to resume; drop --resume to start the run"), missing.output)
    }

    func testBadOverrideFailsBeforeWritingAnything() throws {
        let result = try jko(["run", "ou-2d", "--set", "flow.time_step=-1", "--out", "r"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("config key 'flow.time_step' = -1 is not allowed: the time step must be a finite number > 0"), result.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("r").path))
        let badSeed = try jko(["run", "ou-2d", "--seed=-3"])
        XCTAssertNotEqual(badSeed.status, 0)
        XCTAssertTrue(badSeed.output.contains("--seed must be ≥ 0, got -3"), badSeed.output)
    }

    func testConfigShowRunsBackAndSampleWritesNPY() throws {
        let shown = try jko(["config", "show", "ou-1d", "--set", "flow.steps=2", "--set", "output.sample_count=10"])
        XCTAssertEqual(shown.status, 0)
        try shown.output.write(to: scratch.appendingPathComponent("my.toml"), atomically: true, encoding: .utf8)
        let run = try jko(["run", "my.toml", "--out", "r", "--seed", "4"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("r/samples/step-0002.npy").path))
        let again = try jko(["run", "my.toml", "--out", "r"])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.output.contains("already exists; pass --force"), again.output)
        let sample = try jko(["sample", "r", "--step", "2", "--count", "7", "--out", "s.npy"])
        XCTAssertEqual(sample.status, 0, sample.output)
        XCTAssertEqual(try NPYArray(contentsOf: scratch.appendingPathComponent("s.npy")).shape, [7, 1])
        let badStep = try jko(["sample", "r", "--step", "9", "--out", "s.npy"])
        XCTAssertNotEqual(badStep.status, 0)
        XCTAssertTrue(badStep.output.contains("step 9 is outside the run's steps 0…2"), badStep.output)
    }

    /// `jko distance`: unequal sizes, a Sinkhorn value that did not converge, an unusable ε.
    func testDistanceReportsConvergenceAndRefusesTinyEpsilon() throws {
        let cli = self
        var g = RandomGenerator(seed: 91)
        let x = Matrix(rows: 60, columns: 2, elements: (0..<120).map { _ in g.normal() })
        let y = Matrix(rows: 41, columns: 2, elements: (0..<82).map { _ in 3 * g.normal() })
        try NPYArray(x).write(to: cli.scratch.appendingPathComponent("x.npy"))
        try NPYArray(y).write(to: cli.scratch.appendingPathComponent("y.npy"))
        let w2 = try cli.jko(["distance", "x.npy", "y.npy"])
        XCTAssertEqual(w2.status, 0, w2.output)
        XCTAssertGreaterThan(Double(w2.output.split(separator: "\n").first ?? "") ?? 0, 1, w2.output)
        let capped = try cli.jko(["distance", "x.npy", "y.npy", "--metric", "sinkhorn", "--epsilon", "0.01", "--max-iterations", "3"])
        XCTAssertNotEqual(capped.status, 0)
        XCTAssertTrue(capped.output.contains("did not converge") && capped.output.contains("marginal error"), capped.output)
        let accepted = try cli.jko(["distance", "x.npy", "y.npy", "--metric", "sinkhorn", "--epsilon", "0.01", "--max-iterations", "3", "--accept-unconverged"])
        XCTAssertEqual(accepted.status, 0, accepted.output)
        XCTAssertTrue(accepted.output.contains("warning: "), accepted.output)
        let tiny = try cli.jko(["distance", "x.npy", "y.npy", "--metric", "sinkhorn", "--epsilon", "1e-300"])
        XCTAssertNotEqual(tiny.status, 0)
        XCTAssertTrue(tiny.output.contains("smallest usable value"), tiny.output)
    }
}
