@testable import Experiments
import Foundation
import NumericalCore
import XCTest

/// Hostile but fair inputs to the `jko` executable (issue 11): each ends with exit ≠ 0 and
/// one sentence naming the problem and the fix, and nothing already written is lost. All
/// destructive cases run inside a fresh temporary sandbox.
/// A temporary sandbox folder and the `jko` executable run inside it.
final class JKOSandbox {
    var scratch: URL
    static let small = ["--set", "flow.steps=2", "--set", "particles.count=50", "--set", "grid.cells=40", "--set", "output.sample_count=20"]

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: scratch) }

    var executable: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent()].map { $0.appendingPathComponent("jko") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    @discardableResult
    func jko(_ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder ?? scratch
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Asserts a non-zero exit whose output holds `message`.
    func assertFails(_ arguments: [String], _ message: String, in folder: URL? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try jko(arguments, in: folder)
        XCTAssertNotEqual(result.status, 0, result.output, file: file, line: line)
        XCTAssertTrue(result.output.contains(message), "expected “\(message)” in:\n\(result.output)", file: file, line: line)
        XCTAssertFalse(result.output.contains("NSCocoaErrorDomain") || result.output.contains("DecodingError"), result.output, file: file, line: line)
    }

    /// A small finished ou-1d run (analytic, gaussian-jko, particle-jko, finite-volume; K = 2).
    func makeRun(_ name: String) throws -> URL {
        let result = try jko(["run", "ou-1d"] + JKOSandbox.small + ["--out", name])
        XCTAssertEqual(result.status, 0, result.output)
        return scratch.appendingPathComponent(name)
    }

    /// Every file under `root` with its bytes (a folder's listing, for byte-identity checks).
    func snapshot(_ root: URL) -> [String: Data] {
        var out = [String: Data]()
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            out[url.path] = (try? Data(contentsOf: url)) ?? Data("<folder>".utf8)
        }
        return out
    }

}

/// Hostile but fair inputs (issue 11), run as a user would.
final class BadInputCommandTests: XCTestCase {
    var cli: JKOSandbox!

    override func setUpWithError() throws { cli = try JKOSandbox() }
    override func tearDownWithError() throws { cli.remove() }

    // MARK: Data loss

    func testForceRefusesEveryNonRunTargetAndLeavesItByteIdentical() throws {
        let here = cli.scratch.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: here, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: here.appendingPathComponent("afile"))
        try FileManager.default.createDirectory(at: here.appendingPathComponent("mydata"), withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: here.appendingPathComponent("mydata/notes.txt"))
        try Data("x".utf8).write(to: cli.scratch.appendingPathComponent("a/sibling.txt"))
        let before = cli.snapshot(cli.scratch)
        let run = ["run", "ou-1d"] + JKOSandbox.small + ["--force"]
        try cli.assertFails(run + ["--out", ".."], "it holds the current folder; --force replaces only a JKOKit run folder", in: here)
        try cli.assertFails(run + ["--out", "."], "it is the current folder", in: here)
        try cli.assertFails(run + ["--out", ""], "--out is empty (an unset shell variable?)", in: here)
        try cli.assertFails(run + ["--out", "afile"], "afile is a file, not a run folder", in: here)
        try cli.assertFails(run + ["--out", "mydata"], "holds 1 entries but no readable run.json, so it is not a JKOKit run", in: here)
        try cli.assertFails(run + ["--set", "name=\"\""], "config key 'name' = \"\" is not allowed: the name is empty", in: here)
        try cli.assertFails(run + ["--set", "name=\"../../x\""], "it must not contain '/'", in: here)
        XCTAssertEqual(cli.snapshot(cli.scratch), before, "a refused --force changed the sandbox")
        // The root, the home folder and ancestors are refused by rule (checked without a run).
        XCTAssertEqual(RunFolder.protectedReason("/"), "it is the root folder")
        XCTAssertEqual(RunFolder.protectedReason(NSHomeDirectory()), "it is your home folder")
        XCTAssertEqual(RunFolder.protectedReason(FileManager.default.currentDirectoryPath), "it is the current folder")
        XCTAssertNil(RunFolder.protectedReason(cli.scratch.appendingPathComponent("a/b/c").path))
        // A run folder and an empty folder are replaced.
        _ = try cli.makeRun("r")
        XCTAssertEqual(try cli.jko(["run", "ou-1d"] + JKOSandbox.small + ["--out", "r", "--force"]).status, 0)
        try FileManager.default.createDirectory(at: cli.scratch.appendingPathComponent("empty"), withIntermediateDirectories: true)
        XCTAssertEqual(try cli.jko(["run", "ou-1d"] + JKOSandbox.small + ["--out", "empty", "--force"]).status, 0)
    }

    func testRunNamesAreOneShortPathComponent() throws {
        try cli.assertFails(["run", "ou-1d", "--set", "name=\".\""], "'.' and '..' name existing folders")
        try cli.assertFails(["run", "ou-1d", "--set", "name=\"\(String(repeating: "n", count: 300))\""], "it must have at most 100 characters")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.scratch.appendingPathComponent("runs").path))
        XCTAssertEqual(ProgressReporter(label: String(repeating: "n", count: 100), total: 1).label.count, 40)
    }

    /// The lock is held by this test process; every writer started beside it is refused.
    func testLockRefusesASecondWriter() throws {
        let url = try cli.makeRun("r")
        let held = try XCTUnwrap(try RunFolder.open(url).locked().lock)
        let pid = "\(getpid())"
        let message = "run folder \(url.path) is in use by process \(pid)"
        try cli.assertFails(["run", "ou-1d"] + JKOSandbox.small + ["--out", "r", "--force"], message)
        try cli.assertFails(["run", "ou-1d"] + JKOSandbox.small + ["--out", "r", "--resume"], message)
        try cli.assertFails(["eval", "r"], message)
        try cli.assertFails(["plot", "r"], message)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.appendingPathComponent("samples/step-0002.npy").path))
        _ = held
    }

    // MARK: Crashes

    func testHostileNPYHeadersAndHugeSampleCounts() throws {
        func npy(_ shape: String, descr: String = "<f8", body: [UInt8] = []) -> Data {
            var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
            header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
            return Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8) + body)
        }
        for (shape, message) in [("(9223372036854775807, 9223372036854775807)", "holds more than 1073741824 values"),
                                 ("(1152921504606846976, 2)", "holds more than 1073741824 values"),
                                 ("(-5, 2)", "has a negative dimension"),
                                 ("(5, 2)", "data truncated: the header's shape (5, 2) needs 80 bytes of values, the file has 0")] {
            XCTAssertThrowsError(try NPYArray(data: npy(shape), name: "x.npy")) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
        XCTAssertThrowsError(try NPYArray(data: npy("(1, 1)", descr: ">f8", body: [0, 0, 0, 0, 0, 0, 0, 0]))) {
            XCTAssertTrue("\($0)".contains("the values are big-endian (>f8)"), "\($0)")
        }
        try npy("(-5, 2)", body: [UInt8](repeating: 0, count: 80)).write(to: cli.scratch.appendingPathComponent("neg.npy"))
        try NPYArray(shape: [3, 2], values: [0, 1, 2, 3, 4, 5]).write(to: cli.scratch.appendingPathComponent("ok.npy"))
        try cli.assertFails(["distance", "neg.npy", "ok.npy"], "neg.npy: the header's shape (-5, 2) has a negative dimension")
        try FileManager.default.createDirectory(at: cli.scratch.appendingPathComponent("dir.npy"), withIntermediateDirectories: true)
        try cli.assertFails(["distance", "dir.npy", "ok.npy"], "dir.npy is a folder, not a .npy file")
        _ = try cli.makeRun("r")
        try cli.assertFails(["sample", "r", "--step", "1", "--count", "100000000000", "--out", "s.npy"],
                        "--count 100000000000 is more than the 100000000 samples one file may hold")
    }

    /// The quick form of `jko bench fuzz`: 2000 mutated files per reader, none traps.
    func testReaderFuzzingQuick() {
        for reader in ReaderFuzzing.Reader.allCases {
            let parsed = ReaderFuzzing.fuzz(reader, cases: 2000, seed: 5)
            XCTAssertLessThan(parsed, 2000, "\(reader): every mutation parsed, so the mutations do nothing")
        }
    }

    // MARK: Configs and options

    func testConfigFilesMustNameTheirExperiment() throws {
        try Data().write(to: cli.scratch.appendingPathComponent("empty.toml"))
        try Data("# just a note\n\n".utf8).write(to: cli.scratch.appendingPathComponent("comments.toml"))
        try Data("name = \"x\"\n[flow]\u{0}steps = 2\n".utf8).write(to: cli.scratch.appendingPathComponent("nul.toml"))
        try Data("extends = \"ou-1d\"\n[flow]\nsteps = 2\n".utf8).write(to: cli.scratch.appendingPathComponent("extends.toml"))
        try cli.assertFails(["run", "empty.toml"], "the config file empty.toml sets no keys (it is empty or holds only comments), so it names no experiment")
        try cli.assertFails(["run", "comments.toml"], "comments.toml sets no keys")
        try cli.assertFails(["run", "nul.toml"], "nul.toml, line 2: a NUL byte is not allowed in a config file")
        XCTAssertThrowsError(try ConfigLoader.parse("[flow]\nsteps = 3\n", source: "part.toml")) {
            XCTAssertTrue("\($0)".contains("part.toml sets neither 'name' nor 'extends'"), "\($0)")
        }
        let extended = try ConfigLoader.resolve(cli.scratch.appendingPathComponent("extends.toml").path)
        var expected = try XCTUnwrap(Presets.named("ou-1d"))
        expected.flow.steps = 2
        XCTAssertEqual(extended, expected)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.scratch.appendingPathComponent("runs").path))
        try FileManager.default.createDirectory(at: cli.scratch.appendingPathComponent("dir.toml"), withIntermediateDirectories: true)
        try cli.assertFails(["run", "dir.toml"], "cannot read the config file dir.toml: it is a folder, not a config file")
    }

    func testBadValuesNameTheKey() throws {
        try cli.assertFails(["run", "ou-1d", "--set", "methods=[\"analytic\", \"analytic\"]"], "\"analytic\" is listed twice; list each method once")
        try cli.assertFails(["run", "ou-1d", "--seed", "-1"], "--seed must be ≥ 0, got -1")
        try cli.assertFails(["run", "ou-1d", "--set", "target.covariance=[[inf]]"], "config key 'target.covariance' = [[inf]] is not allowed: every entry must be a finite number (found inf)")
        try cli.assertFails(["run", "ou-1d", "--set", "flow.time_step=1e400"], "config key 'flow.time_step' = inf is not allowed: the time step must be a finite number > 0")
        try cli.assertFails(["run", "ou-1d", "--set", "start.covariances=[[[1e-300]]]"],
                        "\"particle-jko\" places its points at the start's quantiles, and a variance this small (smallest eigenvalue 1e-300) merges them")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.scratch.appendingPathComponent("runs").path))
    }

    // MARK: Unwritable places

    func testUnwritableOutputsNameThePath() throws {
        try cli.assertFails(["run", "ou-1d"] + JKOSandbox.small + ["--out", "/proc/jko-run"], "cannot create the folder /proc/jko-run: a folder on the path does not exist and cannot be made there")
        try cli.assertFails(["run", "ou-1d"] + JKOSandbox.small + ["--out", "/sys/jko-run"], "cannot create the folder /sys/jko-run:")
        try cli.assertFails(["run", "ou-1d"] + JKOSandbox.small + ["--out", "/proc/self", "--resume"], "/proc/self is not a run folder (no config.toml)")
        try cli.assertFails(["figure", "ou-1d-samples", "--out", "/proc/jko-figures"], "cannot create the folder /proc/jko-figures:")
        let run = try cli.makeRun("r")
        try cli.assertFails(["sample", "r", "--step", "1", "--count", "5", "--out", "/proc/s.npy"], "cannot write /proc/s.npy:")
        try cli.assertFails(["sample", "r", "--step", "1", "--count", "5", "--out", "r"], "cannot write \(run.path): it is a folder, not a file")
        try Data("x".utf8).write(to: run.appendingPathComponent("figures"))
        try cli.assertFails(["plot", "r"], "cannot create the folder \(run.path)/figures: a part of the path is a regular file, not a folder")
    }

    /// A write that fails mid-run (here a folder in the place of step 1's samples; a full
    /// disk takes the same path) names the step, keeps steps before it, and is logged.
    func testWriteFailureMidRunNamesTheStep() throws {
        let config = try ConfigLoader.resolve("ou-1d", overrides: ["flow.steps=3", "particles.count=50", "grid.cells=40", "output.sample_count=20"])
        let folder = try RunFolder.create(at: cli.scratch.appendingPathComponent("w"), force: false)
        try FileManager.default.createDirectory(at: folder.samplesURL(step: 1, method: "analytic", reference: "analytic"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try ExperimentRunner(config: config, folder: folder).run(source: "t", command: "t")) { error in
            XCTAssertTrue("\(error)".hasPrefix("step 1 could not be saved: cannot write \(folder.url.path)/samples/step-0001.npy: it is a folder, not a file"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("steps 0…0 are saved, and --resume continues from there once the cause is fixed"), "\(error)")
        }
        XCTAssertTrue(try String(contentsOf: folder.logURL, encoding: .utf8).contains("error: step 1 could not be saved"))
        XCTAssertEqual(FileAccessError(path: "/d/f", operation: .write, errno: ENOSPC).description,
                       "cannot write /d/f: the disk is full (no space left on the device); free some space and run the command again")
    }
}
