import Experiments
import Foundation
import GradientFlows
import NumericalCore
import OptimalTransport
import Plotting
import Probability
import XCTest
import _TestSupport

/// The numbers behind the teaching figures: noise floors, the exact Gaussian JKO maps, the
/// method styles, and the new figure kinds and frames of small runs.
final class TeachingFiguresTests: XCTestCase {
    // MARK: Noise floors

    func testFloorIsTheEstimatorOnTwoIndependentReferenceSamples() throws {
        let law = try Gaussian(mean: [0.5, -1], covariance: Matrix([[1.0, 0.3], [0.3, 0.5]]))
        let draw = { (n: Int, rng: inout RandomGenerator) -> Matrix? in law.sample(count: n, using: &rng) }
        for estimator in NoiseFloor.Estimator.allCases {
            let floor = NoiseFloor.values(estimator, sampleCount: 300, repeats: 2, seed: 42, draw: draw)
            // Replayed by hand: the same generator draws a, b, a', b'.
            var rng = RandomGenerator(seed: 42)
            let a = law.sample(count: 300, using: &rng), b = law.sample(count: 300, using: &rng)
            let a2 = law.sample(count: 300, using: &rng), b2 = law.sample(count: 300, using: &rng)
            let expected: [Double]
            switch estimator {
            case .cloudW2: expected = [try ExactTransport.wassersteinDistance(a, b), try ExactTransport.wassersteinDistance(a2, b2)]
            case .fitW2: expected = [try BuresWasserstein.distance(Gaussian.fit(a), Gaussian.fit(b)),
                                     try BuresWasserstein.distance(Gaussian.fit(a2), Gaussian.fit(b2))]
            case .fitSymmetricKL: expected = [try Gaussian.fit(a).symmetricKL(Gaussian.fit(b)), try Gaussian.fit(a2).symmetricKL(Gaussian.fit(b2))]
            }
            XCTAssertEqual(floor, expected, "\(estimator)")
            XCTAssertNotEqual(expected[0], expected[1], "independent pairs differ")
        }
    }

    func testFloorsHaveTheKnownSizes() throws {
        let law = try Gaussian(mean: [0, 0], covariance: Matrix.identity(2))
        let draw = { (n: Int, rng: inout RandomGenerator) -> Matrix? in law.sample(count: n, using: &rng) }
        // Two independent 1000-point clouds of N(0, I₂) are 0.22–0.26 apart in W₂ (measured over
        // seeds; the 2D rate is (log n / n)^{1/2}, and DESIGN.md §1.4's 0.13–0.17 is for the
        // narrower laws of the presets, as the ou-mixture-2d floor band shows).
        let cloud = NoiseFloor.values(.cloudW2, sampleCount: 1000, repeats: 3, seed: 7, draw: draw)
        XCTAssertEqual(cloud.count, 3)
        for value in cloud { XCTAssertTrue((0.17...0.31).contains(value), "cloud W₂ floor \(value)") }
        // SymKL between the fits of two independent n-samples: each fit is off by KL ≈ d(d+3)/(4n)
        // (a χ² of d(d+3)/2 degrees of freedom over 2n), the symmetric KL between the two fits
        // doubles twice: ≈ d(d+3)/n = 5e-3 at d = 2, n = 2000. Mean of 40 pairs: ±20 %.
        let kl = NoiseFloor.values(.fitSymmetricKL, sampleCount: 2000, repeats: 40, seed: 9, draw: draw)
        assertClose(kl.reduce(0, +) / Double(kl.count), 5e-3, rtol: 0.2)
    }

    func testEachColumnNamesItsEstimator() {
        XCTAssertEqual(NoiseFloor.Estimator(column: "w2cloud_mesh_jko"), .cloudW2)
        XCTAssertEqual(NoiseFloor.Estimator(column: "w2fit_mesh_jko"), .fitW2)
        XCTAssertEqual(NoiseFloor.Estimator(column: "symklfit_finite_volume"), .fitSymmetricKL)
        XCTAssertNil(NoiseFloor.Estimator(column: "w2exact_particle_jko_vs_analytic"), "exact 1D W₂ has no sampling floor")
        XCTAssertNil(NoiseFloor.Estimator(column: "w2_gaussian_jko"), "exact Gaussian gaps have none")
    }

    // MARK: Affine Gaussian JKO maps

    func testAffineMapsAreTheGaussianJKOStepsAndTheirComposition() throws {
        // Diagonal (commuting) case: per axis, M = [1 + √(1 + 4h(1 + ha)/s)] / (2(1 + ha)),
        // m′ = (m + hab)/(1 + ha) (DESIGN.md §1.1 in one dimension).
        let h = 0.1
        let target = try Gaussian(mean: [1, -0.5], covariance: Matrix([[0.5, 0], [0, 2]]))
        let start = try Gaussian(mean: [-2, 1.5], covariance: Matrix([[0.2, 0], [0, 0.6]]))
        let jko = try GaussianJKO(target: target, timeStep: h)
        let maps = try TransportMaps.gaussianJKOSteps(jko, from: start, stepCount: 6)
        let a = [2.0, 0.5], s = [0.2, 0.6], b = [1.0, -0.5], m = [-2.0, 1.5]
        for i in 0..<2 {
            let slope = (1 + (1 + 4 * h * (1 + h * a[i]) / s[i]).squareRoot()) / (2 * (1 + h * a[i]))
            assertClose(maps[0].slope[i, i], slope, rtol: 1e-12)
            assertClose(maps[0].image[i], (m[i] + h * a[i] * b[i]) / (1 + h * a[i]), rtol: 1e-12)
        }
        assertClose(maps[0].slope[0, 1], 0, atol: 1e-14)
        // Composed from ρ₀: T_k ∘ … ∘ T_1 pushes N(m₀, S₀) to the k-th iterate N(m_k, S_k).
        let iterates = try jko.iterates(from: start, stepCount: 6)
        for (k, map) in TransportMaps.composed(maps).enumerated() {
            let pushed = map.slope * start.covariance * map.slope.transposed
            assertClose(map(start.mean), iterates[k + 1].mean, rtol: 1e-12)
            assertClose(pushed.elements, iterates[k + 1].covariance.elements, atol: 1e-12)
        }
        // The one-step map applied to a point equals the composition's increment.
        let x = [0.3, -0.2]
        let composed = TransportMaps.composed(maps)
        assertClose(maps[1](composed[0](x)), composed[1](x), rtol: 1e-12)
    }

    // MARK: Styles

    func testEveryKnownMethodHasItsOwnOkabeItoColourDashAndMarker() {
        let table = MethodStyle.table
        for name in ["analytic", "gaussian-jko", "particle-jko", "finite-volume", "mesh-jko", "grid-jko", "neural-sjko", "neural-chain"] {
            let style = try! XCTUnwrap(table[name], name)
            XCTAssertTrue(Color.okabeIto.contains(style.color), "\(name) uses an Okabe–Ito colour")
        }
        XCTAssertEqual(Set(table.values.map { "\($0.color.bytes)" }).count, table.count, "one colour per method")
        XCTAssertEqual(Set(table.values.map { "\($0.dash)/\($0.marker)" }).count, table.count, "dash + marker tell them apart too")
        XCTAssertEqual(MethodStyle.of("mesh-jko", index: 5), table["mesh-jko"])
        XCTAssertFalse(Color.okabeIto.contains(MethodStyle.of("something-new").color), "unknown methods get a gray")
        XCTAssertEqual(MethodStyle.method(ofColumn: "w2exact_particle_jko_vs_analytic", among: ["analytic", "particle-jko"]), "particle-jko")
        XCTAssertEqual(MethodStyle.method(ofColumn: "w2cloud_mesh_jko", among: ["analytic", "mesh-jko"]), "mesh-jko")
    }

    // MARK: New figure kinds and frames

    func testEnergyPathsVelocityAndFramesOfSmallRuns() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("teaching-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for preset in ["double-well-1d", "ou-2d"] {
            var config = try ConfigLoader.resolve(preset, overrides: ["flow.steps=3", "output.sample_count=300"])
            config.seed = 2
            let folder = try RunFolder.create(at: root.appendingPathComponent(preset), force: false)
            try ExperimentRunner(config: config, folder: folder).run(source: preset, command: "test")
            let data = try RunFigureData(folder: folder)
            let kinds: [RunFigures.Kind] = preset == "ou-2d" ? [.energy, .velocityField, .transportMaps] : [.energy, .lagrangianPaths]
            for kind in kinds {
                let figure = try XCTUnwrap(RunFigures.figure(kind, of: data), "\(preset) \(kind)")
                XCTAssertGreaterThan(figure.rasterize().inkFraction, 0.03, "\(preset) \(kind) looks blank")
                XCTAssertTrue(RunFigures.applies(kind, to: config))
            }
            let talk = try XCTUnwrap(RunFigures.figure(.metrics, of: data, options: FigureOptions(style: .talk, dpi: 80)))
            XCTAssertEqual(talk.style, FigureStyle.talk)
            XCTAssertEqual(talk.dpi, 80)
            let written = try RunFigures.writeFrames(run: folder.url, framesPerSecond: 5)
            XCTAssertEqual(written.filter { $0.pathExtension == "png" }.count, 4, "one frame per step 0…3")
            let gif = try GIFHeader(Array(Data(contentsOf: try XCTUnwrap(written.last))))
            XCTAssertEqual(gif.frameCount, 4)
            XCTAssertEqual(gif.delay, 20, "5 frames per second")
        }
    }

    func testBadFigureOptionsSayWhatToDo() {
        XCTAssertThrowsError(try FigureOptions(dpi: 5).validated()) { XCTAssertTrue("\($0)".contains("--dpi 5.0 is outside 20…1200")) }
    }
}

/// The counts a GIF's blocks give: image descriptors and the first frame delay.
private struct GIFHeader {
    var frameCount = 0, delay = 0

    init(_ bytes: [UInt8]) throws {
        XCTAssertEqual(String(decoding: bytes[0..<6], as: UTF8.self), "GIF89a")
        var p = 13 + (bytes[10] & 0x80 != 0 ? 3 << (Int(bytes[10] & 7) + 1) : 0)
        func skipSubBlocks() { while bytes[p] != 0 { p += Int(bytes[p]) + 1 }; p += 1 }
        while p < bytes.count, bytes[p] != 0x3B {
            if bytes[p] == 0x21 {
                if bytes[p + 1] == 0xF9, delay == 0 { delay = Int(bytes[p + 4]) | Int(bytes[p + 5]) << 8 }
                p += 2
                skipSubBlocks()
            } else if bytes[p] == 0x2C {
                frameCount += 1
                p += 11
                skipSubBlocks()
            } else {
                throw NSError(domain: "gif", code: Int(bytes[p]))
            }
        }
    }
}
