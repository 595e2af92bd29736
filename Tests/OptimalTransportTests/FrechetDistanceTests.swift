import NumericalCore
import OptimalTransport
import Probability
import XCTest

/// The Fréchet distance of FD-FMNIST against closed forms, and its floor on identical sets.
final class FrechetDistanceTests: XCTestCase {
    /// Diagonal covariances commute: FD = |Δμ|² + Σ (√aᵢ − √bᵢ)², exact to round-off.
    func testDiagonalGaussiansMatchTheClosedForm() throws {
        let a = [0.5, 2.0, 1e-3, 4.0], b = [1.5, 0.25, 2.0, 4.0]
        let ma = [0.0, 1.0, -2.0, 0.5], mb = [1.0, 1.0, 0.0, -0.5]
        var expected = 0.0
        for i in 0..<4 { expected += (ma[i] - mb[i]) * (ma[i] - mb[i]) + (a[i].squareRoot() - b[i].squareRoot()) * (a[i].squareRoot() - b[i].squareRoot()) }
        let fd = try FrechetDistance.between(meanA: ma, covarianceA: Matrix.diagonal(a), meanB: mb, covarianceB: Matrix.diagonal(b))
        XCTAssertEqual(fd, expected, accuracy: 1e-12)
    }

    /// Non-commuting 2×2 covariances: the 2×2 closed form of tr(A^{½}BA^{½})^{½} =
    /// √(tr(AB) + 2√det(AB)) (a 2×2 PSD matrix M has tr √M = √(tr M + 2√det M)).
    func testNonCommutingGaussiansMatchTheTwoByTwoClosedForm() throws {
        let a = Matrix([[2.0, 0.7], [0.7, 0.5]]), b = Matrix([[1.0, -0.4], [-0.4, 3.0]])
        let ab = a * b
        let crossTrace = (ab.trace + 2 * (ab[0, 0] * ab[1, 1] - ab[0, 1] * ab[1, 0]).squareRoot()).squareRoot()
        let expected = 1.0 * 1.0 + 2.0 * 2.0 + a.trace + b.trace - 2 * crossTrace
        let fd = try FrechetDistance.between(meanA: [1, 0], covarianceA: a, meanB: [0, 2], covarianceB: b)
        XCTAssertEqual(fd, expected, accuracy: 1e-12)
    }

    /// A singular covariance (rank 1) is fine: N(0, diag(1, 0)) vs N(0, diag(0, 1)) gives 2.
    func testSingularCovariancesNeedNoComplexSquareRoot() throws {
        let fd = try FrechetDistance.between(meanA: [0, 0], covarianceA: Matrix.diagonal([1, 0]), meanB: [0, 0], covarianceB: Matrix.diagonal([0, 1]))
        XCTAssertEqual(fd, 2, accuracy: 1e-12)
    }

    /// The floor: identical clouds of 2000 points in 16-d score 0 up to round-off (the
    /// square root of the eigenvalues of A² recovers A's to ~1e-8 relative), and two
    /// independent 2000-samples of N(0, I₁₆) score about the sampling bias d(d+1)/(2n)·… ≈ 0.07.
    func testFloorIsZeroOnIdenticalSetsAndSmallOnIndependentOnes() throws {
        var rng = RandomGenerator(seed: 3)
        let x = Matrix(rows: 2000, columns: 16, elements: rng.normals(2000 * 16))
        let y = Matrix(rows: 2000, columns: 16, elements: rng.normals(2000 * 16))
        XCTAssertEqual(try FrechetDistance.between(x, x), 0, accuracy: 1e-8)
        let independent = try FrechetDistance.between(x, y)
        XCTAssertGreaterThan(independent, 0.02)
        XCTAssertLessThan(independent, 0.2)
    }

    /// k-NN precision and recall: a cloud against itself is fully covered; two clouds 100
    /// standard deviations apart cover nothing of each other.
    func testPrecisionRecallOnIdenticalAndDisjointClouds() {
        var rng = RandomGenerator(seed: 4)
        let x = Matrix(rows: 300, columns: 8, elements: rng.normals(300 * 8))
        let same = NearestNeighborPrecisionRecall.evaluate(real: x, generated: x)
        XCTAssertEqual(same.precision, 1)
        XCTAssertEqual(same.recall, 1)
        let far = Matrix(rows: 300, columns: 8, elements: x.elements.map { $0 + 100 })
        let apart = NearestNeighborPrecisionRecall.evaluate(real: x, generated: far)
        XCTAssertEqual(apart.precision, 0)
        XCTAssertEqual(apart.recall, 0)
    }
}
