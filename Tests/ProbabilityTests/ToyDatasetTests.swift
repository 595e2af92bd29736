import Foundation
import NumericalCore
import Probability
import XCTest
import _TestSupport

/// The toy data sets of the official S-JKO code: shapes, stratified counts and moments
/// against the values the definitions give.
final class ToyDatasetTests: XCTestCase {
    /// Sample mean and covariance of n seeded draws against `mean`, `covariance`. Each entry
    /// within 5 standard errors: SE(mean_j) = √(Σ_jj/n); SE(Σ_ij) ≤ √((E x_i²x_j² )/n), bounded
    /// here by `fourthMoment`/√n (a stratified sample only has less spread).
    func assertMoments(_ sampler: any PointSampler, mean: [Double], covariance: Matrix, fourthMoment: Double,
                       count n: Int = 40_000, seed: UInt64 = 7, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RandomGenerator(seed: seed)
        let points = sampler.sample(count: n, using: &rng)
        XCTAssertEqual(points.rows, n, file: file, line: line)
        XCTAssertEqual(points.columns, 2, file: file, line: line)
        XCTAssertTrue(points.elements.allSatisfy(\.isFinite), file: file, line: line)
        let (m, s) = Moments.meanAndCovariance(points)
        for j in 0..<2 {
            assertClose(m[j], mean[j], atol: 5 * (covariance[j, j] / Double(n)).squareRoot(), "mean \(j)", file: file, line: line)
        }
        assertClose(s, covariance, atol: 5 * fourthMoment.squareRoot() / Double(n).squareRoot(), "covariance", file: file, line: line)
    }

    /// 8gaussians: centres 12(cos 2πk/8, sin 2πk/8), covariance 0.4 I, so mean 0 and
    /// covariance (72 + 0.4) I; E x⁴ ≤ (12 + 4·0.63)⁴ ≈ 4.4e4 bounds the fourth moment.
    func testEightGaussians() throws {
        let toy = try XCTUnwrap(ToyDataset.eightGaussians.distribution)
        assertClose(toy.covariance, 72.4 * Matrix.identity(2), atol: 1e-12)
        assertMoments(ToyDataset.eightGaussians.sampler, mean: [0, 0], covariance: 72.4 * Matrix.identity(2), fourthMoment: 4.4e4)
        // Stratified: 800 draws put exactly 100 near each centre (the std √0.4 is far below the
        // spacing 2·12·sin(π/8) ≈ 9.2 between centres).
        var rng = RandomGenerator(seed: 1)
        let points = ToyDataset.eightGaussians.sampler.sample(count: 800, using: &rng)
        var counts = [Int](repeating: 0, count: 8)
        for i in 0..<800 {
            let angle = atan2(points[i, 1], points[i, 0])
            counts[(Int((angle / (2 * Double.pi / 8)).rounded()) + 8) % 8] += 1
        }
        XCTAssertEqual(counts, [Int](repeating: 100, count: 8))
        // Rows are shuffled: the first 80 rows are not all from one component.
        XCTAssertGreaterThan(Set((0..<80).map { i in (Int((atan2(points[i, 1], points[i, 0]) / (Double.pi / 4)).rounded()) + 8) % 8 }).count, 4)
        // The density is the mixture's: at a centre, (1/8)·1/(2π·0.4).
        assertClose(toy.density([12, 0]), 1 / (8 * 2 * Double.pi * 0.4), rtol: 1e-9)
    }

    /// 25gaussians: centres {−6, −3, 0, 3, 6}², covariance 0.005 I: covariance (18 + 0.005) I.
    func testTwentyFiveGaussians() throws {
        let expected = 18.005 * Matrix.identity(2)
        assertClose(try XCTUnwrap(ToyDataset.twentyFiveGaussians.distribution).covariance, expected, atol: 1e-12)
        assertMoments(ToyDataset.twentyFiveGaussians.sampler, mean: [0, 0], covariance: expected, fourthMoment: 1300)
        var rng = RandomGenerator(seed: 2)
        let points = ToyDataset.twentyFiveGaussians.sampler.sample(count: 250, using: &rng)
        var counts = [String: Int]()
        for i in 0..<250 { counts["\(Int((points[i, 0] / 3).rounded())),\(Int((points[i, 1] / 3).rounded()))", default: 0] += 1 }
        XCTAssertEqual(counts.count, 25)
        XCTAssertTrue(counts.values.allSatisfy { $0 == 10 }, "\(counts)")
    }

    /// twocircles: radii 4 and 8 alternating, noise 0.2: |x| is 4 or 8 within noise, half each;
    /// covariance ((16 + 64)/4 + 0.04) I = 20.04 I.
    func testTwoCircles() {
        assertMoments(ToyDataset.twoCircles.sampler, mean: [0, 0], covariance: 20.04 * Matrix.identity(2), fourthMoment: 4200)
        var rng = RandomGenerator(seed: 3)
        let points = ToyDataset.twoCircles.sampler.sample(count: 1001, using: &rng)
        var inner = 0
        for i in 0..<1001 {
            let r = (points[i, 0] * points[i, 0] + points[i, 1] * points[i, 1]).squareRoot()
            let radius = i % 2 == 0 ? 4.0 : 8.0
            XCTAssertLessThan(abs(r - radius), 6 * 0.2, "row \(i)")
            if r < 6 { inner += 1 }
        }
        XCTAssertEqual(inner, 501)
        XCTAssertNil(ToyDataset.twoCircles.distribution)
    }

    /// checkerboard: uniform on 8 squares of side π/3; covariance [[4π²/27, −π²/36], …]; every
    /// draw lies on a dark square (positive density), and the density integrates to 1 over
    /// a midpoint grid on the box [−2π/3, 2π/3]².
    func testCheckerboard() throws {
        let v = 4 * Double.pi * Double.pi / 27, c = -Double.pi * Double.pi / 36
        let expected = Matrix([[v, c], [c, v]])
        let toy = try XCTUnwrap(ToyDataset.checkerboard.distribution)
        assertClose(toy.covariance, expected, atol: 1e-15)
        assertMoments(ToyDataset.checkerboard.sampler, mean: [0, 0], covariance: expected, fourthMoment: 19.5)
        var rng = RandomGenerator(seed: 4)
        let points = ToyDataset.checkerboard.sampler.sample(count: 2000, using: &rng)
        for i in 0..<2000 { XCTAssertTrue(toy.logDensity(points.row(i)).isFinite, "row \(i) off the board") }
        let cells = 600, side = 4 * Double.pi / 3, dx = side / Double(cells)
        var mass = 0.0
        for i in 0..<cells { for j in 0..<cells {
            mass += toy.density([-side / 2 + (Double(i) + 0.5) * dx, -side / 2 + (Double(j) + 0.5) * dx]) * dx * dx
        } }
        // 150 cells per square side: the grid tiles the squares exactly, so only the round-off
        // of 360 000 terms remains (~1e-12).
        assertClose(mass, 1, atol: 1e-10)
    }

    /// moons: the grid sums of the definition give the moments of a batch of n = 2m: with
    /// s_j = πj/(m − 1), the points 10(cos s + ½, −sin s + 0.2) and 10(cos s − ½, sin s − 0.2),
    /// plus noise variance 0.25 per axis.
    func testMoons() {
        let n = 40_000, m = n / 2
        var sum = [0.0, 0.0], cross = Matrix(rows: 2, columns: 2)
        for upper in [true, false] { for j in 0..<m {
            let p = Moons.centre(j, of: m, upper: upper)
            for a in 0..<2 { sum[a] += p[a]; for b in 0..<2 { cross[a, b] += p[a] * p[b] } }
        } }
        let mean = sum.map { $0 / Double(n) }
        var covariance = Matrix(rows: 2, columns: 2)
        for a in 0..<2 { for b in 0..<2 { covariance[a, b] = cross[a, b] / Double(n) - mean[a] * mean[b] + (a == b ? 0.25 : 0) } }
        assertClose(mean, [0, 0], atol: 1e-9)
        assertMoments(Moons(), mean: mean, covariance: covariance, fourthMoment: 4e4, count: n)
        // An odd batch has exactly n rows (⌈n/2⌉ on the upper moon: y > −0.5·10·0.2 + noise there).
        var rng = RandomGenerator(seed: 5)
        XCTAssertEqual(Moons().sample(count: 7, using: &rng).shape, [7, 2])
    }

    /// spiral: θ = 3π√U − π/2, r = θ + π, noise 0.25. The moments of the noise-free curve come from
    /// a midpoint sum over U on 10⁶ cells (error ~1e-11), plus 0.0625 per axis.
    func testSpiral() {
        let cells = 1_000_000
        var sum = [0.0, 0.0], cross = Matrix(rows: 2, columns: 2)
        for k in 0..<cells {
            let p = Spiral.centre(angle: 3 * Double.pi * ((Double(k) + 0.5) / Double(cells)).squareRoot() - 0.5 * Double.pi)
            for a in 0..<2 { sum[a] += p[a]; for b in 0..<2 { cross[a, b] += p[a] * p[b] } }
        }
        let mean = sum.map { $0 / Double(cells) }
        var covariance = Matrix(rows: 2, columns: 2)
        for a in 0..<2 { for b in 0..<2 { covariance[a, b] = cross[a, b] / Double(cells) - mean[a] * mean[b] + (a == b ? 0.0625 : 0) } }
        // r ≤ 7π/2 ≈ 11: E x⁴ ≤ 1.5e4.
        assertMoments(Spiral(), mean: mean, covariance: covariance, fourthMoment: 1.5e4)
    }

    /// The names are the config's `target.dataset` values; every sampler is planar and seeded.
    func testNamesShapesAndSeeds() {
        XCTAssertEqual(ToyDataset.allCases.map(\.rawValue), ["8gaussians", "25gaussians", "twocircles", "checkerboard", "moons", "spiral"])
        for toy in ToyDataset.allCases {
            XCTAssertEqual(toy.sampler.dimension, 2)
            var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
            let first = toy.sampler.sample(count: 400, using: &a)
            XCTAssertEqual(first.shape, [400, 2], toy.rawValue)
            XCTAssertEqual(first, toy.sampler.sample(count: 400, using: &b), toy.rawValue)
            XCTAssertEqual(toy.sampler.sample(count: 0, using: &a).rows, 0, toy.rawValue)
        }
    }
}
