import Experiments
import Foundation
import NumericalCore
import XCTest

/// `jko run … --resume`: a run stopped after step k and resumed gives, byte for byte, the
/// run folder of an uninterrupted run (metrics.csv, samples, densities, last checkpoints),
/// for every exact method family; bad resumes are refused with one sentence.
///
/// The stop is a real failure: a folder squatting on `samples/step-(k+1).npy` makes the
/// atomic rename of step k + 1's reference samples fail, exactly as a full disk would,
/// after step k is complete.
final class ResumeTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// A fresh run of `preset` with `overrides` into `scratch/name`.
    @discardableResult
    func run(_ preset: String, _ overrides: [String], into name: String, failingAt step: Int? = nil) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        let (config, folder) = try RunLauncher.prepare(source: preset, overrides: overrides, seed: nil, out: url.path, force: false)
        let runner = ExperimentRunner(config: config, folder: folder)
        guard let step else {
            try runner.run(source: preset, command: "test")
            return url
        }
        try FileManager.default.createDirectory(at: folder.samplesURL(step: step, method: config.methods[0], reference: config.methods[0]),
                                                withIntermediateDirectories: true)
        XCTAssertThrowsError(try runner.run(source: preset, command: "test"), "the injected failure at step \(step)")
        return url
    }

    /// Resumes the run in `scratch/name` with the command's `overrides` (and `seed`).
    @discardableResult
    func resume(_ preset: String, _ overrides: [String], seed: Int? = nil, name: String) throws -> ExperimentRunner.Resumption {
        let (config, folder) = try RunLauncher.prepareResume(source: preset, overrides: overrides, seed: seed,
                                                             out: scratch.appendingPathComponent(name).path)
        return try ExperimentRunner(config: config, folder: folder).resume(command: "test --resume")
    }

    /// Every file of a run folder but log.txt and run.json (timestamps), by relative path.
    func contents(of name: String) throws -> [String: Data] {
        let root = scratch.appendingPathComponent(name)
        var out = [String: Data]()
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let file as URL in walker where try file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let relative = String(file.path.dropFirst(root.path.count + 1))
            if relative != "log.txt" && relative != "run.json" { out[relative] = try Data(contentsOf: file) }
        }
        return out
    }

    /// The resumed folder holds exactly the uninterrupted folder's files, byte for byte.
    func assertSameRun(_ resumed: String, as reference: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = try contents(of: reference), b = try contents(of: resumed)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), "file lists", file: file, line: line)
        XCTAssertFalse(a.isEmpty, file: file, line: line)
        for (path, data) in a where b[path] != data {
            XCTFail("\(path) differs between the uninterrupted and the resumed run", file: file, line: line)
        }
        XCTAssertNotNil(a["metrics.csv"], file: file, line: line)
    }

    func log(of name: String) throws -> String {
        try String(contentsOf: scratch.appendingPathComponent(name).appendingPathComponent("log.txt"), encoding: .utf8)
    }

    // MARK: Bit-identical continuation, per method family

    /// ou-1d: analytic and Gaussian JKO (random streams), particle JKO, finite volumes (BDF2
    /// with its previous state and a random stream).
    func testOU1DResumedAfterAFailureMatchesTheUninterruptedRun() throws {
        let overrides = ["flow.steps=6", "particles.count=200", "grid.cells=100", "output.sample_count=100"]
        try run("ou-1d", overrides, into: "A")
        try run("ou-1d", overrides, into: "B", failingAt: 4)
        let resumption = try resume("ou-1d", overrides, name: "B")
        XCTAssertEqual(resumption.lastCompleteStep, 3)
        XCTAssertFalse(resumption.wasComplete)
        XCTAssertEqual(resumption.table.rows.count, 7)
        try assertSameRun("B", as: "A")
        XCTAssertTrue(try log(of: "B").contains("resumed at step 3"))
    }

    func testDoubleWell1DResumedMatchesTheUninterruptedRun() throws {
        let overrides = ["flow.steps=5", "particles.count=200", "grid.cells=120", "output.sample_count=100"]
        try run("double-well-1d", overrides, into: "A")
        try run("double-well-1d", overrides, into: "B", failingAt: 2)
        XCTAssertEqual(try resume("double-well-1d", overrides, name: "B").lastCompleteStep, 1)
        try assertSameRun("B", as: "A")
    }

    /// ou-2d with the moving mesh and 2D finite volumes (conjugate gradients) next to the
    /// analytic flow.
    func testOU2DMeshAndFiniteVolumeResumedMatchesTheUninterruptedRun() throws {
        let overrides = ["methods=[\"analytic\", \"mesh-jko\", \"finite-volume\"]", "flow.steps=4", "mesh.cells=8",
                         "grid.cells=24", "output.sample_count=60", "output.cloud_w2_count=30"]
        try run("ou-2d", overrides, into: "A")
        try run("ou-2d", overrides, into: "B", failingAt: 3)
        XCTAssertEqual(try resume("ou-2d", overrides, name: "B").lastCompleteStep, 2)
        try assertSameRun("B", as: "A")
    }

    /// double-well-2d with mesh-jko remeshing early (uniform 10-cell start, remesh below
    /// min(50°, half the start's 45°)): the checkpoint after a remap carries the new
    /// topology, masses and remap count, so the resumed run is the uninterrupted one.
    func testRemeshedMeshResumedMatchesTheUninterruptedRun() throws {
        let overrides = ["methods=[\"mesh-jko\"]", "flow.steps=6", "flow.time_step=0.1", "mesh.cells=10",
                         "mesh.spacing=\"uniform\"", "mesh.remesh_angle=50", "grid.cells=24",
                         "output.sample_count=60", "output.cloud_w2_count=0"]
        let a = try run("double-well-2d", overrides, into: "A")
        let remaps = try XCTUnwrap(MetricsTable.read(a.appendingPathComponent("metrics.csv")).column("mesh_jko_remaps"))
        XCTAssertGreaterThan(remaps[2], 0, "a remap before the checkpoint the resume starts from: \(remaps)")
        try run("double-well-2d", overrides, into: "B", failingAt: 4)
        XCTAssertEqual(try resume("double-well-2d", overrides, name: "B").lastCompleteStep, 3)
        try assertSameRun("B", as: "A")
    }

    // MARK: Damaged or missing checkpoints

    /// A truncated latest checkpoint (checksum and length fail) falls back to the step
    /// before it; a checkpoint missing for the last metrics row (a kill between the row
    /// and the checkpoint) does the same; with none left the run starts again at step 0.
    /// Every case ends with the uninterrupted run's files.
    func testDamagedOrMissingCheckpointsFallBackToAnEarlierCompleteStep() throws {
        let overrides = ["flow.steps=5", "particles.count=120", "grid.cells=80", "output.sample_count=50"]
        try run("double-well-1d", overrides, into: "A")

        try run("double-well-1d", overrides, into: "truncated", failingAt: 4)
        let latest = scratch.appendingPathComponent("truncated/checkpoints/particle-jko/step-0003.safetensors")
        let bytes = try Data(contentsOf: latest)
        try bytes.prefix(bytes.count - 9).write(to: latest)
        XCTAssertEqual(try resume("double-well-1d", overrides, name: "truncated").lastCompleteStep, 2)
        try assertSameRun("truncated", as: "A")
        let log = try log(of: "truncated")
        XCTAssertTrue(log.contains("the checkpoint of step 3 of method 'particle-jko' is unusable"), log)
        XCTAssertTrue(log.contains("resumed at step 2"), log)

        try run("double-well-1d", overrides, into: "missing", failingAt: 4)
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("missing/checkpoints/finite-volume/step-0003.safetensors"))
        XCTAssertEqual(try resume("double-well-1d", overrides, name: "missing").lastCompleteStep, 2)
        try assertSameRun("missing", as: "A")

        try run("double-well-1d", overrides, into: "none", failingAt: 4)
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("none/checkpoints"))
        XCTAssertNil(try resume("double-well-1d", overrides, name: "none").lastCompleteStep)
        try assertSameRun("none", as: "A")
        XCTAssertTrue(try self.log(of: "none").contains("no complete step to resume from; restarted at step 0"))
    }

    /// Only the two latest steps' checkpoints stay on disk.
    func testKeepsTheTwoLatestCheckpoints() throws {
        let url = try run("double-well-1d", ["flow.steps=4", "particles.count=50", "grid.cells=40", "output.sample_count=20"], into: "A")
        let folder = RunFolder(url: url)
        for method in ["particle-jko", "finite-volume"] { XCTAssertEqual(folder.checkpointSteps(method: method), [3, 4]) }
    }

    // MARK: Refusals and complete runs

    func testResumeWithAnotherSeedIsRefusedWithOneSentence() throws {
        let overrides = ["flow.steps=2", "particles.count=50", "grid.cells=40", "output.sample_count=20"]
        let url = try run("ou-1d", overrides, into: "A", failingAt: 2)
        XCTAssertThrowsError(try resume("ou-1d", overrides, seed: 8, name: "A")) { error in
            XCTAssertEqual("\(error)", "cannot resume \(url.path): its config.toml has seed = 0 but this command gives seed = 8; drop --resume to start a new run (with --force to replace this one) or use --out to choose another folder")
        }
        XCTAssertThrowsError(try resume("ou-1d", overrides, name: "nowhere")) { error in
            XCTAssertEqual(error as? ResumeError, .missingFolder(path: self.scratch.appendingPathComponent("nowhere").path))
        }
    }

    func testResumingACompleteRunChangesNothing() throws {
        let overrides = ["flow.steps=3", "particles.count=50", "grid.cells=40", "output.sample_count=20"]
        try run("double-well-1d", overrides, into: "A")
        let before = try contents(of: "A"), logBefore = try log(of: "A")
        let resumption = try resume("double-well-1d", overrides, name: "A")
        XCTAssertTrue(resumption.wasComplete)
        XCTAssertEqual(resumption.lastCompleteStep, 3)
        XCTAssertEqual(resumption.table.rows.count, 4)
        XCTAssertEqual(try contents(of: "A"), before)
        XCTAssertEqual(try log(of: "A"), logBefore)
    }

    /// A checkpoint round-trips through its file bit for bit and is refused for another
    /// method or step.
    func testCheckpointFileRoundTripsAndNamesItsStep() throws {
        var checkpoint = MethodCheckpoint()
        checkpoint.set("covariance", [0.5, -0.0, .leastNonzeroMagnitude, 2], shape: [2, 2])
        checkpoint.set(generator: RandomGenerator(seed: 42))
        let file = checkpoint.file(method: "gaussian-jko", step: 7)
        XCTAssertEqual(try MethodCheckpoint(file: file, method: "gaussian-jko", step: 7), checkpoint)
        XCTAssertThrowsError(try MethodCheckpoint(file: file, method: "gaussian-jko", step: 6)) { error in
            XCTAssertEqual("\(error)", "the checkpoint belongs to method 'gaussian-jko' step 7, not 'gaussian-jko' step 6")
        }
        var restored = try checkpoint.generator(), original = RandomGenerator(seed: 42)
        XCTAssertEqual(restored.next(), original.next())
    }
}
