import Experiments
import Foundation
import NumericalCore
import Plotting
import Probability
import XCTest
import _TestSupport

/// The transport maps and densities behind the run figures, and a smoke test that every
/// figure of a small run is written and not blank.
final class RunFiguresTests: XCTestCase {
    func testMonotoneMapBetweenGaussiansIsTheAffineMap() throws {
        // Between N(m₁, s₁²) and N(m₂, s₂²) the optimal 1D map is T(x) = m₂ + (s₂/s₁)(x − m₁).
        let source = GaussianMixture(try Gaussian(mean: [-1], standardDeviation: 0.5))
        let target = GaussianMixture(try Gaussian(mean: [2], standardDeviation: 1.5))
        let xs = [-2.0, -1.2, -0.3, 0.4]
        // Bisection stops at 1e-10; erfc tails are accurate to ~1e-15 relative here.
        assertClose(TransportMaps.monotoneMap(from: source, to: target, at: xs), xs.map { 2 + 3 * ($0 + 1) }, atol: 1e-8)
    }

    func testEmpiricalMonotoneMapApproachesTheExactOne() {
        var rng = RandomGenerator(seed: 11)
        let a = (0..<20_000).map { _ in -1 + 0.5 * rng.normal() }
        let b = (0..<20_000).map { _ in 2 + 1.5 * rng.normal() }
        let xs = [-1.5, -1.0, -0.5]
        // Quantiles of 20 000 samples within the body of the law err by ~ σ/√n · few ≈ 0.05.
        assertClose(TransportMaps.monotoneMap(fromSamples: a, toSamples: b, at: xs), xs.map { 2 + 3 * ($0 + 1) }, atol: 0.08)
    }

    func testHungarianMatchingIsOptimalOnSmallClouds() {
        var rng = RandomGenerator(seed: 5)
        for _ in 0..<5 {
            let n = 6
            let x = Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in rng.normal() })
            let y = Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in rng.normal() + 1 })
            func cost(_ sigma: [Int]) -> Double {
                (0..<n).reduce(0) { s, i in s + pow(x[i, 0] - y[sigma[i], 0], 2) + pow(x[i, 1] - y[sigma[i], 1], 2) }
            }
            let found = TransportMaps.optimalMatching(x, y)
            XCTAssertEqual(Set(found).count, n, "a permutation")
            var best = Double.infinity
            permutations(Array(0..<n)) { best = min(best, cost($0)) }   // brute force over 720 permutations
            assertClose(cost(found), best, rtol: 1e-12)
        }
    }

    func testKernelDensityIntegratesToOne() {
        var rng = RandomGenerator(seed: 3)
        let points = Matrix(rows: 800, columns: 1, elements: (0..<800).map { _ in rng.normal() })
        let kde = KernelDensity(points: points)
        let h = 0.01
        let mass = stride(from: -8.0, through: 8.0, by: h).reduce(0) { $0 + kde.evaluate([$1]) * h }
        assertClose(mass, 1, atol: 1e-6)   // a sum of normalised Gaussians; the Riemann sum is exact to ~1e-10
        assertClose(kde.evaluate([0]), 1 / (2 * Double.pi).squareRoot(), atol: 0.05)   // smoothed N(0,1) peak
    }

    func testPlotWritesEveryFigureOfASmallRunInEachFormat() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("run-figures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for preset in ["ou-mixture-1d", "ou-2d", "double-well-1d"] {
            var config = try ConfigLoader.resolve(preset, overrides: ["flow.steps=4", "output.sample_count=300"])
            config.seed = 1
            let folder = try RunFolder.create(at: root.appendingPathComponent(preset), force: false)
            try ExperimentRunner(config: config, folder: folder).run(source: preset, command: "test")
            let written = try RunFigures.writeAll(run: folder.url, format: .png)
            let expected: Set<String> = preset == "ou-2d"
                ? ["density-trajectory", "transport-maps", "samples", "metrics", "energy", "velocity-field"]
                : ["density-trajectory", "transport-maps", "samples", "metrics", "energy", "lagrangian-paths"]
            XCTAssertEqual(Set(written.map { $0.deletingPathExtension().lastPathComponent }), expected, preset)
            let data = try RunFigureData(folder: folder)
            for kind in [RunFigures.Kind.densityTrajectory, .transportMaps, .samples, .metrics] {
                let pixels = try XCTUnwrap(RunFigures.figure(kind, of: data)).rasterize()
                XCTAssertGreaterThan(pixels.inkFraction, 0.03, "\(preset) \(kind) looks blank")
            }
            XCTAssertNil(try RunFigures.figure(.losses, of: data), "no losses.csv: no losses figure")
            XCTAssertNil(try RunFigures.figure(.imageGrid, of: data), "not an image run")
            let svg = try RunFigures.writeAll(run: folder.url, format: .svg)
            XCTAssertTrue(svg.allSatisfy { $0.pathExtension == "svg" && FileManager.default.fileExists(atPath: $0.path) })
        }
    }

    func testPlottingAnEmptyFolderSaysWhatIsMissing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertThrowsError(try RunFigures.writeAll(run: root)) { error in
            XCTAssertTrue("\(error)".contains("config.toml"), "\(error)")
        }
    }

    private func permutations(_ items: [Int], prefix: [Int] = [], _ body: ([Int]) -> Void) {
        if items.isEmpty { body(prefix); return }
        for (i, item) in items.enumerated() {
            var rest = items
            rest.remove(at: i)
            permutations(rest, prefix: prefix + [item], body)
        }
    }
}

/// The figures that only some runs support: training losses (a `losses.csv` beside the
/// samples) and image grids (samples whose dimension is a square image).
final class OptionalRunFiguresTests: XCTestCase {
    func testLossesAndImageGridsAppearWhenTheRunHasThem() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("run-figures-images-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        // An 8 × 8 = 64-dimensional OU run stands in for an image run.
        var config = try ConfigLoader.resolve("ou-1d", overrides: ["flow.steps=2", "output.sample_count=40"])
        let d = 64
        config.methods = ["analytic"]
        config.target.mean = [Double](repeating: 0, count: d)
        config.target.covariance = (0..<d).map { i in (0..<d).map { $0 == i ? 1 : 0 } }
        config.start.means = [(0..<d).map { Double($0 % 8) / 4 - 1 }]
        config.start.covariances = [(0..<d).map { i in (0..<d).map { $0 == i ? 0.05 : 0 } }]
        let folder = try RunFolder.create(at: root, force: false)
        try ExperimentRunner(config: config, folder: folder).run(source: "test", command: "test")
        try AtomicFile.write("iteration,map_loss,potential_loss\n0,1.5,-0.5\n10,1.1,-0.3\n20,0.8,-0.2\n30,0.7,-0.15\n",
                             to: root.appendingPathComponent("losses.csv"))
        let data = try RunFigureData(folder: folder)
        let images = try XCTUnwrap(RunFigures.figure(.imageGrid, of: data)).rasterize()
        XCTAssertGreaterThan(images.luminanceVariance, 100)
        let losses = try XCTUnwrap(RunFigures.figure(.losses, of: data)).rasterize()
        XCTAssertGreaterThan(losses.inkFraction, 0.03)
        XCTAssertNil(try RunFigures.figure(.densityTrajectory, of: data), "no density snapshots in 64 dimensions")
        let names = try RunFigures.writeAll(run: root).map { $0.deletingPathExtension().lastPathComponent }
        XCTAssertTrue(names.contains("image-grid") && names.contains("losses") && names.contains("metrics"), "\(names)")
        if let kept = ProcessInfo.processInfo.environment["PLOTTING_TEST_OUTPUT"] {
            for name in ["image-grid", "losses", "metrics"] {
                try? FileManager.default.copyItem(at: root.appendingPathComponent("figures/\(name).png"),
                                                  to: URL(fileURLWithPath: kept).appendingPathComponent("image-run-\(name).png"))
            }
        }
    }
}

/// Saved density grids read back as functions (linear / bilinear between cell centres).
final class GridDensityTests: XCTestCase {
    func testInterpolationBetweenCellCentresAndZeroBeyondHalfACell() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grid-density-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = RunFolder(url: root)
        let density = root.appendingPathComponent("density")
        try FileManager.default.createDirectory(at: density.appendingPathComponent("fv"), withIntermediateDirectories: true)
        try NPYArray(shape: [3], values: [0, 1, 2]).write(to: density.appendingPathComponent("axis-1.npy"))
        try NPYArray(shape: [2], values: [10, 20]).write(to: density.appendingPathComponent("axis-2.npy"))
        // Reference method: 1D would need only axis 1, so use a 2D grid [3, 2] with the row index along x₁.
        try NPYArray(shape: [3, 2], values: [0, 1, 2, 3, 4, 5]).write(to: density.appendingPathComponent("step-0000.npy"))
        let grid = try XCTUnwrap(GridDensity(folder: folder, step: 0, method: "ref", reference: "ref"))
        assertClose(grid.evaluate([0, 10]), 0, atol: 1e-12)
        assertClose(grid.evaluate([2, 20]), 5, atol: 1e-12)
        assertClose(grid.evaluate([0.5, 15]), 0.25 * (0 + 1 + 2 + 3), atol: 1e-12)   // the centre of four cells
        assertClose(grid.evaluate([1.5, 10]), 3, atol: 1e-12)                        // halfway along x₁ on the first column
        assertClose(grid.evaluate([2.4, 20]), 5, atol: 1e-12)                        // within half a cell: the edge value
        XCTAssertEqual(grid.evaluate([2.6, 20]), 0)                                  // beyond: zero
        XCTAssertNil(GridDensity(folder: folder, step: 1, method: "ref", reference: "ref"), "no file for step 1")
        XCTAssertNil(GridDensity(folder: folder, step: 0, method: "fv", reference: "ref"), "no file for method fv")
    }
}
