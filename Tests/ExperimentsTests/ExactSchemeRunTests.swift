import Experiments
import Foundation
import NumericalCore
import XCTest
import _TestSupport

/// Runs with the exact schemes (particle JKO, finite volumes): columns, files, invariants,
/// and a Newton failure that names its step and keeps the earlier steps.
final class ExactSchemeRunTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-exact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func run(_ preset: String, _ overrides: [String]) throws -> (MetricsTable, URL) {
        let config = try ConfigLoader.resolve(preset, overrides: overrides)
        try config.validate()
        let url = scratch.appendingPathComponent(preset)
        let table = try ExperimentRunner(config: config, folder: RunFolder.create(at: url, force: false)).run(source: preset, command: "test")
        return (table, url)
    }

    func testDoubleWell1DWritesMetricsDensitiesAndSamples() throws {
        let (table, url) = try run("double-well-1d", ["flow.steps=6", "particles.count=400", "grid.cells=200"])
        XCTAssertEqual(table.rows.count, 7)
        for method in ["particle_jko", "finite_volume"] {
            // Mass: particles carry exactly 1; finite volumes conserve it to rounding (Thomas solves).
            for m in table.column("\(method)_mass")! { XCTAssertEqual(m, 1, accuracy: 1e-12) }
            let energy = table.column("\(method)_energy")!
            for k in 1..<energy.count { XCTAssertLessThan(energy[k], energy[k - 1], "\(method) energy at step \(k)") }
        }
        for slack in table.column("particle_jko_energy_inequality_slack")! { XCTAssertGreaterThanOrEqual(slack, -1e-12) }
        XCTAssertTrue(table.column("particle_jko_newton_iterations")!.dropFirst().allSatisfy { $0 >= 1 })
        // Particle vs finite volumes: the O(h) JKO bias at h = 0.05 (≈ 0.007 at t = 1, see
        // CrossMethodTests) plus the quantisation of 400 particles (≈ 0.006) bounds the gap.
        for w in table.column("w2exact_finite_volume_vs_particle_jko")! { XCTAssertLessThan(w, 0.03) }
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("density/axis-1.npy")).shape, [200])
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("density/step-0006.npy")).shape, [200])
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("density/finite-volume/step-0006.npy")).shape, [200])
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("samples/step-0006.npy")).shape, [400, 1])
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("samples/finite-volume/step-0006.npy")).shape, [2000, 1])
    }

    /// The particle column tracks the analytic mixture flow within its O(h) bias: exact W₂
    /// ≤ 0.05 at h = 0.05 (observed ≤ 0.022 with 2000 particles).
    func testOUMixture1DParticleAndFiniteVolumeTrackAnalytic() throws {
        let (table, _) = try run("ou-mixture-1d", ["flow.steps=6"])
        for w in table.column("w2exact_particle_jko_vs_analytic")! { XCTAssertLessThan(w, 0.05) }
        for w in table.column("w2exact_finite_volume_vs_analytic")! { XCTAssertLessThan(w, 0.01) }
    }

    func testDoubleWell2DFiniteVolume() throws {
        let (table, url) = try run("double-well-2d", ["flow.steps=2", "grid.cells=40", "output.sample_count=100"])
        for m in table.column("finite_volume_mass")! { XCTAssertEqual(m, 1, accuracy: 1e-12) }
        for m in table.column("finite_volume_min_density")! { XCTAssertGreaterThanOrEqual(m, 0) }
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("density/step-0002.npy")).shape, [40, 40])
        XCTAssertEqual(try NPYArray(contentsOf: url.appendingPathComponent("density/axis-2.npy")).shape, [40])
    }

    /// ou-mixture-1d needs 4, 4, 7 Newton iterations in steps 1–3: with at most 5 allowed,
    /// step 3 fails, the error names it, and steps 0–2 stay on disk.
    func testNewtonFailureNamesTheStepAndKeepsEarlierSteps() throws {
        let config = try ConfigLoader.resolve("ou-mixture-1d", overrides: ["flow.steps=6", "particles.max_iterations=5"])
        let url = scratch.appendingPathComponent("failing")
        let runner = ExperimentRunner(config: config, folder: try RunFolder.create(at: url, force: false))
        XCTAssertThrowsError(try runner.run(source: "ou-mixture-1d", command: "test")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("step 3 of method 'particle-jko'"), text)
            XCTAssertTrue(text.contains("JKO step 3: Newton"), text)
        }
        let csv = try String(contentsOf: url.appendingPathComponent("metrics.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 4, "header and steps 0–2")
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.appendingPathComponent("samples/particle-jko/step-0002.npy").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.appendingPathComponent("samples/particle-jko/step-0003.npy").path))
    }

    func testConfigErrorsNameTheKey() throws {
        let cases: [(String, [String], String)] = [
            ("double-well-2d", ["methods=[\"particle-jko\"]"], "\"particle-jko\" is the 1D Lagrangian scheme"),
            ("double-well-1d", ["methods=[\"analytic\"]"], "needs target.kind = \"gaussian\""),
            ("double-well-1d", ["target.mean=[0.5]"], "the double well is centred at 0"),
            ("double-well-1d", ["grid.upper=0.1"], "must contain the start"),
            ("double-well-1d", ["target.tilt=-1"], "target.tilt"),
        ]
        for (preset, overrides, fragment) in cases {
            XCTAssertThrowsError(try ConfigLoader.resolve(preset, overrides: overrides).validate()) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
    }
}
