import Experiments
import Foundation
import NumericalCore
import OptimalTransport
import Probability
import XCTest
import _TestSupport

/// The `ou-nd` problem's exact side: the random-gaussian target and standard-normal start,
/// the `analytic` and `gaussian-jko` columns in d > 2, and the exact JKO floor.
final class OrnsteinUhlenbeckBenchmarkTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-ou-nd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// Mean (length d) and covariance of `method` at row `row` of the metrics table.
    func moments(_ table: MetricsTable, _ method: String, row: Int, dimension d: Int) -> ([Double], Matrix) {
        let mean = (1...d).map { table.column("\(method)_mean_\($0)")![row] }
        var covariance = Matrix(rows: d, columns: d)
        for i in 1...d { for j in i...d {
            let v = table.column("\(method)_cov_\(i)\(j)")![row]
            covariance[i - 1, j - 1] = v; covariance[j - 1, i - 1] = v
        } }
        return (mean, covariance)
    }

    /// `jko run ou-nd --set target.dimension=6`: the analytic columns against the moment ODEs
    /// m' = −A(m − b), S' = −AS − SA + 2I from N(0, I) (GSL RK8(9), tolerance 1e-12), and the
    /// gaussian-jko columns against the JKO optimality conditions, checked with the Brenier
    /// slope M_k = S^{−½}(S^{½} S' S^{½})^{½} S^{−½} between consecutive saved covariances (an
    /// independent route to the map): m' = (I + hA)⁻¹(m + hAb) and M B M − M = h S⁻¹.
    func testAnalyticAndGaussianJKOColumnsInSixDimensions() throws {
        let d = 6
        let config = try ConfigLoader.resolve("ou-nd", overrides: ["target.dimension=\(d)"])
        XCTAssertEqual(config.dimension, d)
        let url = scratch.appendingPathComponent("ou-6d")
        let table = try ExperimentRunner(config: config, folder: RunFolder.create(at: url, force: false)).run(source: "ou-nd", command: "test")
        XCTAssertEqual(table.rows.count, 19)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.appendingPathComponent("density").path), "no density grid beyond 2D")
        let target = try config.targetDistribution()
        let a = target.precision, b = target.mean, h = config.flow.timeStep
        let initial = [Double](repeating: 0, count: d) + Matrix.identity(d).elements
        let bMatrix = Matrix.identity(d) + h * a
        var y = initial
        for k in 0...18 {
            if k > 0 { y = try ODEIntegrator().integrate(from: Double(k - 1) * h, to: Double(k) * h, initial: y) { _, y, dy in
                for i in 0..<d {
                    var v = 0.0
                    for c in 0..<d { v -= a[i, c] * (y[c] - b[c]) }
                    dy[i] = v
                    for j in 0..<d {
                        var w = i == j ? 2.0 : 0.0
                        for c in 0..<d { w -= a[i, c] * y[d + c * d + j] + y[d + i * d + c] * a[c, j] }
                        dy[d + i * d + j] = w
                    }
                }
            } }
            let (mean, covariance) = moments(table, "analytic", row: k, dimension: d)
            assertClose(mean, Array(y[0..<d]), atol: 1e-9, "analytic mean, step \(k)")
            assertClose(covariance.elements, Array(y[d...]), atol: 1e-9, "analytic covariance, step \(k)")
        }
        for k in 0..<18 {
            let (m, s) = moments(table, "gaussian_jko", row: k, dimension: d)
            let (mNext, sNext) = moments(table, "gaussian_jko", row: k + 1, dimension: d)
            let expectedMean = try bMatrix.solve(Matrix.column(Vector.add(m, h * a * b))).elements
            assertClose(mNext, expectedMean, atol: 1e-12, "gaussian-jko mean, step \(k + 1)")
            let root = try s.symmetricSquareRoot(), inverseRoot = try s.symmetricFunction { 1 / $0.squareRoot() }
            let slope = (inverseRoot * (try (root * sNext * root).symmetrized.symmetricSquareRoot()) * inverseRoot).symmetrized
            assertClose(slope * bMatrix * slope - slope, h * (try s.inverse()), atol: 1e-10, "optimality, step \(k + 1)")
        }
        // The gap columns are the exact Gaussian distances, and the last SymKL is the floor.
        let (mJ, sJ) = moments(table, "gaussian_jko", row: 18, dimension: d), (mA, sA) = moments(table, "analytic", row: 18, dimension: d)
        let jko = try Gaussian(mean: mJ, covariance: sJ), analytic = try Gaussian(mean: mA, covariance: sA)
        assertClose(table.column("w2_gaussian_jko")![18], try BuresWasserstein.distance(jko, analytic), rtol: 1e-9)
        assertClose(table.column("symkl_gaussian_jko")![18], jko.symmetricKL(analytic), rtol: 1e-9)
        assertClose(table.column("symkl_gaussian_jko")![18], try OrnsteinUhlenbeckFloor.symmetricKL(config: config, time: 0.9), rtol: 1e-9)
    }

    /// The JKO iterates are first order in h, so SymKL (quadratic in the gap) is second order:
    /// the floor at t = 0.9 for h = 0.05, 0.025, 0.0125 in d = 4 has an observed order in [1.7, 2.3].
    func testFloorIsSecondOrderInTimeStep() throws {
        let steps = [0.05, 0.025, 0.0125]
        let floors = try steps.map { pow(10, try OrnsteinUhlenbeckFloor.log10Floor(dimension: 4, time: 0.9, timeStep: $0)) }
        let order = observedOrder(stepSizes: steps, errors: floors)
        XCTAssert((1.7...2.3).contains(order), "observed order \(order), floors \(floors)")
        let report = try OrnsteinUhlenbeckFloor.run(quick: true)
        assertClose(try XCTUnwrap(report.value("log10_symkl_d4_t0.9_seed0")), log10(floors[0]), atol: 1e-12)
    }

    /// `--set target.dimension=4` just works: the start is N(0, I_4), the target seed (not the
    /// run seed) picks the target, and the resolved config round-trips through TOML.
    func testDimensionAndSeedKeys() throws {
        let config = try ConfigLoader.resolve("ou-nd", overrides: ["target.dimension=4", "seed=3"])
        XCTAssertEqual(config.dimension, 4)
        let start = try config.startDistribution()
        XCTAssertEqual(start.components.count, 1)
        assertClose(start.components[0].covariance, Matrix.identity(4), atol: 0)
        assertClose(start.mean, [0, 0, 0, 0], atol: 0)
        XCTAssertEqual(try config.targetDistribution(), try Gaussian.benchmarkTarget(dimension: 4, seed: 0))
        let other = try ConfigLoader.resolve("ou-nd", overrides: ["target.dimension=4", "target.seed=1"])
        XCTAssertNotEqual(try other.targetDistribution().mean, try config.targetDistribution().mean)
        XCTAssertEqual(try ConfigLoader.parse(ConfigLoader.render(config)), config)
        XCTAssertEqual(try config.targetSampler().dimension, 4)
        XCTAssertThrowsError(try ConfigLoader.resolve("ou-nd", overrides: ["start.kind=mixture"])) { error in
            XCTAssertEqual("\(error)", "config key 'start.means' = [0.0] is not allowed: each mean must have length 8, the dimension set by target.dimension (or use start.kind = \"standard-normal\")")
        }
        XCTAssertThrowsError(try ConfigLoader.resolve("ou-nd", overrides: ["target.dimension=0"])) { error in
            XCTAssertEqual("\(error)", "config key 'target.dimension' = 0 is not allowed: the dimension must be between 1 and 1000")
        }
    }

    /// `jko config show ou-nd` prints the generated b, A and Σ as comments; pasting b and Σ into a
    /// `gaussian` target freezes exactly the same target (the decimals round-trip).
    func testConfigShowPrintsTheGeneratedTargetThatFreezesIt() throws {
        let config = try ConfigLoader.resolve("ou-nd", overrides: ["target.dimension=5", "target.seed=4"])
        let lines = ConfigLoader.render(config).split(separator: "\n").map(String.init)
        let bLine = try XCTUnwrap(lines.first { $0.hasPrefix("# b (mean) = ") })
        let start = try XCTUnwrap(lines.firstIndex(of: "# covariance = ["))
        let rows = lines[(start + 1)...].prefix { $0 != "# ]" }.map { $0.dropFirst(4) }
        XCTAssertEqual(rows.count, 5)
        var frozen = config
        try ConfigLoader.apply(overrides: ["target.kind=gaussian", "target.mean=" + bLine.dropFirst("# b (mean) = ".count),
                                           "target.covariance=[" + rows.joined() + "]"], to: &frozen)
        XCTAssertEqual(try frozen.targetDistribution(), try config.targetDistribution())
        XCTAssertTrue(lines.contains("# A (precision, V(x) = ½(x−b)ᵀA(x−b)) = ["))
        XCTAssertFalse(ConfigLoader.render(try ConfigLoader.resolve("ou-2d")).contains("# b (mean)"))
    }

    /// A toy target is 2D, sampled from its data set, and refused by every exact method.
    func testToyTargetKeysAndRefusals() throws {
        var config = try ConfigLoader.resolve("ou-nd")
        try ConfigLoader.apply(overrides: ["target.kind=toy", "target.dataset=moons"], to: &config)
        XCTAssertEqual(config.dimension, 2)
        XCTAssertEqual(try config.toyDataset(), .moons)
        XCTAssertEqual(try config.targetSampler().dimension, 2)
        XCTAssertThrowsError(try config.potential()) { error in
            XCTAssertTrue("\(error)".contains("is known only by samples and has no potential V"), "\(error)")
        }
        XCTAssertThrowsError(try config.validate()) { error in
            XCTAssertEqual("\(error)", "config key 'methods' = [\"analytic\", \"gaussian-jko\"] is not allowed: \"analytic\" needs a target with a density; a toy target (target.dataset = \"moons\") is known only by samples, so list only neural methods for it")
        }
        XCTAssertThrowsError(try ConfigLoader.resolve("ou-2d", overrides: ["target.kind=toy", "methods=[\"finite-volume\"]"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("config key 'methods' = [\"finite-volume\"] is not allowed: \"finite-volume\" needs a target with a density"), "\(error)")
        }
        XCTAssertThrowsError(try ConfigLoader.resolve("ou-nd", overrides: ["target.dataset=swissroll"])) { error in
            XCTAssertEqual("\(error)", "config key 'target.dataset' = \"swissroll\" is not allowed: use one of \"8gaussians\", \"25gaussians\", \"twocircles\", \"checkerboard\", \"moons\", \"spiral\"")
        }
    }
}
