import NumericalCore
import OptimalTransport
import Probability
import XCTest
import _TestSupport

/// Bures–W₂ against hand-computed values.
final class BuresWassersteinTests: XCTestCase {
    /// Commuting (diagonal) covariances: W₂² = |Δm|² + Σₖ (√sₖ − √tₖ)².
    /// m₁ = (1, 2), S₁ = diag(4, 9); m₂ = (−2, 6), S₂ = diag(1, 16):
    /// |Δm|² = 9 + 16 = 25, (2 − 1)² + (3 − 4)² = 2, so W₂² = 27.
    func testDiagonalCovariances() throws {
        let p = try Gaussian(mean: [1, 2], covariance: .diagonal([4, 9]))
        let q = try Gaussian(mean: [-2, 6], covariance: .diagonal([1, 16]))
        assertClose(try BuresWasserstein.squaredDistance(p, q), 27, rtol: 1e-13)
        assertClose(try BuresWasserstein.distance(p, q), 27.0.squareRoot(), rtol: 1e-13)
    }

    /// Non-commuting covariances, by hand: S₁ = I, S₂ = [[2, 1], [1, 2]] (eigenvalues 3, 1):
    /// tr (S₁^{½} S₂ S₁^{½})^{½} = tr S₂^{½} = √3 + 1, so with equal means
    /// W₂² = 2 + 4 − 2(√3 + 1) = 4 − 2√3.
    /// Second pair, S₁ = diag(4, 1), S₂ = [[2, 1], [1, 2]]: S₁^{½} S₂ S₁^{½} = [[8, 2], [2, 2]],
    /// whose square root has trace √(tr + 2√det) = √(10 + 2√12), so
    /// W₂² = 5 + 4 − 2√(10 + 4√3) (tr √M = √(tr M + 2√det M) for 2×2 SPD M).
    func testNonCommutingCovariances() throws {
        let s2 = Matrix([[2, 1], [1, 2]])
        let p = try Gaussian(mean: [0, 0], covariance: .identity(2))
        let q = try Gaussian(mean: [0, 0], covariance: s2)
        assertClose(try BuresWasserstein.squaredDistance(p, q), 4 - 2 * 3.0.squareRoot(), rtol: 1e-12)

        let r = try Gaussian(mean: [1, -1], covariance: .diagonal([4, 1]))
        XCTAssertGreaterThan(Matrix.diagonal([4, 1]).commutator(with: s2), 0.1)
        let expected = 2 + 5 + 4 - 2 * (10 + 4 * 3.0.squareRoot()).squareRoot()
        assertClose(try BuresWasserstein.squaredDistance(r, q), expected, rtol: 1e-12)
        // Symmetric in its arguments.
        assertClose(try BuresWasserstein.squaredDistance(q, r), expected, rtol: 1e-12)
    }

    /// A Gaussian against itself is at distance 0, not at the rounding of the formula's
    /// difference of traces (which reads ~1e-15, i.e. W₂ ≈ 3e-8, on a non-diagonal 8×8
    /// covariance); one entry perturbed by 10⁻³ is still resolved (W₂² ≈ 10⁻⁸, the rounding is 10⁻¹¹).
    func testIdenticalGaussiansAreAtDistanceZero() throws {
        var generator = RandomGenerator(seed: 4)
        let a = Matrix(rows: 8, columns: 8, elements: (0..<64).map { _ in generator.normal() })
        let s = (a * a.transposed + .identity(8)).symmetrized
        let p = try Gaussian(mean: [Double](repeating: 0.5, count: 8), covariance: s)
        XCTAssertEqual(try BuresWasserstein.squaredDistance(p, p), 0)
        XCTAssertEqual(try BuresWasserstein.distance(p, p), 0)
        var shifted = s
        shifted[0, 0] += 1e-3
        let q = try Gaussian(mean: p.mean, covariance: shifted)
        // W₂² is of order δ²/(4 s₀₀) ≈ 10⁻⁸ here, far above 16·d·ε·(tr S₁ + tr S₂) ≈ 10⁻¹¹.
        XCTAssertGreaterThan(try BuresWasserstein.squaredDistance(p, q), 1e-9)
    }

    /// Fits of clouds: two clouds whose empirical moments are set by construction.
    /// Cloud A = {(±1, 0), (0, ±1)} has mean 0, unbiased covariance (2/3) I; cloud B is A
    /// scaled by 2 and shifted by (3, 4): mean (3, 4), covariance (8/3) I.
    /// W₂² = 25 + 2·(√(8/3) − √(2/3))² = 25 + 2·(2/3).
    func testDistanceBetweenFits() throws {
        let a = Matrix([[1, 0], [-1, 0], [0, 1], [0, -1]])
        var b = a
        for i in 0..<4 { b[i, 0] = 2 * a[i, 0] + 3; b[i, 1] = 2 * a[i, 1] + 4 }
        assertClose(try BuresWasserstein.distanceBetweenFits(a, b), (25 + 4.0 / 3).squareRoot(), rtol: 1e-12)
    }
}
