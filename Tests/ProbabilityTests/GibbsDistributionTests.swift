import XCTest
import NumericalCore
import Probability
import _TestSupport

/// The grid Gibbs sampler against closed forms (Gaussian targets) and its stated error.
final class GibbsDistributionTests: XCTestCase {
    func testOneDimensionalGaussianTarget() throws {
        let v = try QuadraticPotential(center: 0.3, curvature: 2)
        let g = try GibbsDistribution(potential: v, lower: -5, upper: 5, gridCount: 2000)
        // Δx = 5e-3: interpolation error O(Δx² ρ″) ≈ 1e-5 relative; the box holds all but 1e-12.
        XCTAssertEqual(g.logNormalizer, v.logPartitionFunction!, accuracy: 1e-5)
        XCTAssertEqual(g.mean[0], 0.3, accuracy: 1e-6)
        XCTAssertEqual(g.covariance[0, 0], 0.5, accuracy: 1e-5)
        XCTAssertLessThan(g.truncatedMassEstimate, 1e-10)
        XCTAssertLessThan(g.interpolationErrorEstimate, 1e-5)
        // Sample moments: n = 40000, standard errors 0.0035 (mean) and 0.0035 (variance): 5σ.
        var rng = RandomGenerator(seed: 7)
        let s = g.sample(count: 40000, using: &rng)
        let (m, c) = Moments.meanAndCovariance(s)
        XCTAssertEqual(m[0], 0.3, accuracy: 0.018)
        XCTAssertEqual(c[0, 0], 0.5, accuracy: 0.018)
        // Quantile check: the fraction below the true median b is ½ within 5σ = 5·0.0025.
        let below = Double(s.elements.filter { $0 < 0.3 }.count) / 40000
        XCTAssertEqual(below, 0.5, accuracy: 0.0125)
    }

    func testTwoDimensionalCorrelatedGaussianTarget() throws {
        let target = try Gaussian(mean: [0.2, -0.4], covariance: Matrix([[0.5, 0.2], [0.2, 0.4]]))
        let g = try GibbsDistribution(potential: QuadraticPotential(target: target), lower: -4, upper: 4, gridCount: 400)
        // Δx = 0.02: grid moments carry O(Δx²) ≈ 4e-4 relative error.
        assertClose(g.mean, target.mean, atol: 1e-4)
        assertClose(g.covariance, target.covariance, atol: 1e-3)
        var rng = RandomGenerator(seed: 11)
        let s = g.sample(count: 40000, using: &rng)
        let (m, c) = Moments.meanAndCovariance(s)
        // Standard errors ≈ 0.0035 for means and covariances here: 5σ ≈ 0.018.
        assertClose(m, target.mean, atol: 0.018)
        assertClose(c, target.covariance, atol: 0.018)
    }

    func testDoubleWellIsBimodalAndTiltFavoursTheLeftWell() throws {
        let g = try GibbsDistribution(potential: DoubleWellPotential(dimension: 1, tilt: 0.2), lower: -3, upper: 3)
        var rng = RandomGenerator(seed: 3)
        let s = g.sample(count: 20000, using: &rng)
        let left = Double(s.elements.filter { $0 < 0 }.count) / 20000
        // Exact left-well mass by adaptive quadrature; sampling error 5σ = 5·√(p(1−p)/n) ≈ 0.018.
        let v = try DoubleWellPotential(dimension: 1, tilt: 0.2)
        let q = Quadrature()
        let leftMass = try q.integrate(from: -3, to: 0) { exp(-v.value($0)) }.value
        let total = try q.integrate(from: -3, to: 3) { exp(-v.value($0)) }.value
        XCTAssertGreaterThan(leftMass / total, 0.55)
        XCTAssertEqual(left, leftMass / total, accuracy: 0.018)
        XCTAssertLessThan(g.mean[0], 0)
        XCTAssertLessThan(g.truncatedMassEstimate, 1e-8)
    }

    /// The double well's log Z by quadrature against the grid sampler's trapezoidal log Z
    /// (Δx = 3e-3 in 1D, 0.015 in 2D: O(Δx²) ≲ 1e-4; boxes hold all but e^{−V(3)} ≈ 1e-7).
    func testDoubleWellLogPartitionFunction() throws {
        for d in [1, 2] {
            let v = try DoubleWellPotential(dimension: d, tilt: 0.3)
            let grid = try GibbsDistribution(potential: v, lower: -3.5, upper: 3.5, gridCount: d == 1 ? 2000 : 460)
            XCTAssertEqual(v.logPartitionFunction!, grid.logNormalizer, accuracy: 1e-4, "d = \(d)")
        }
    }

    func testRejectsNonConfiningPotential() throws {
        let v = try QuadraticPotential(center: 0, curvature: -1)
        XCTAssertThrowsError(try GibbsDistribution(potential: v, lower: -3, upper: 3))
    }
}
