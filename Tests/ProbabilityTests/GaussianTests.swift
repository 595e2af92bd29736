import NumericalCore
import Probability
import XCTest
import _TestSupport

final class GaussianTests: XCTestCase {
    func testLogDensityMatchesClosedFormIn2D() throws {
        let g = try Gaussian(mean: [1, 2], covariance: Matrix([[2, 0.5], [0.5, 1]]))
        // det = 1.75, S⁻¹ = [[1, −0.5], [−0.5, 2]]/1.75; at x = (0, 0): d = (−1, −2),
        // dᵀS⁻¹d = (1 − 2 + 8)/1.75 = 4.
        assertClose(g.logDensity([0, 0]), -0.5 * 4 - 0.5 * log(1.75) - log(2 * Double.pi), atol: 1e-13)
    }

    func testSampleMomentsWithinMonteCarloError() throws {
        let g = try Gaussian(mean: [1, -2, 0.5], covariance: Matrix([[1, 0.3, 0], [0.3, 2, -0.4], [0, -0.4, 0.5]]))
        var rng = RandomGenerator(seed: 42)
        let n = 50_000
        let (m, s) = Moments.meanAndCovariance(g.sample(count: n, using: &rng))
        for j in 0..<3 {
            assertClose(m[j], g.mean[j], atol: 5 * (g.covariance[j, j] / Double(n)).squareRoot())
            for k in 0..<3 {
                // Var(Ŝ_jk) = (S_jj S_kk + S_jk²)/n for Gaussian data.
                let se = ((g.covariance[j, j] * g.covariance[k, k] + g.covariance[j, k] * g.covariance[j, k]) / Double(n)).squareRoot()
                assertClose(s[j, k], g.covariance[j, k], atol: 5 * se)
            }
        }
    }

    func testMixtureMomentsAndSampling() throws {
        let mix = try GaussianMixture(weights: [0.25, 0.75], components: [
            try Gaussian(mean: [-2], standardDeviation: 0.5), try Gaussian(mean: [2], standardDeviation: 1)])
        // Mean −0.5 + 1.5 = 1; E[X²] = 0.25(0.25 + 4) + 0.75(1 + 4) = 4.8125; Var = 3.8125.
        assertClose(mix.mean, [1], atol: 1e-14)
        assertClose(mix.covariance[0, 0], 3.8125, atol: 1e-13)
        var rng = RandomGenerator(seed: 3)
        let n = 40_000
        let (m, s) = Moments.meanAndCovariance(mix.sample(count: n, using: &rng))
        assertClose(m[0], 1, atol: 5 * (3.8125 / Double(n)).squareRoot())
        assertClose(s[0, 0], 3.8125, atol: 0.1)
        // The mixture density is the weighted sum of component densities.
        let x = 0.3
        let direct = 0.25 * exp(mix.components[0].logDensity([x])) + 0.75 * exp(mix.components[1].logDensity([x]))
        assertClose(exp(mix.logDensity([x])), direct, rtol: 1e-13)
    }

    func testInvalidInputsGiveClearErrors() {
        XCTAssertThrowsError(try Gaussian(mean: [0, 0], covariance: Matrix([[1, 2], [2, 1]]))) { error in
            XCTAssertTrue("\(error)".contains("must be symmetric positive definite"), "\(error)")
        }
        let g = try! Gaussian(mean: [0], standardDeviation: 1)
        XCTAssertThrowsError(try GaussianMixture(weights: [0.5, 0.6], components: [g, g])) { error in
            XCTAssertEqual("\(error)", "mixture weights [0.5, 0.6] sum to 1.1; they must sum to 1")
        }
    }

    func testKLBetweenGaussiansMatchesOneDimensionalFormula() throws {
        let p = try Gaussian(mean: [0.3], standardDeviation: 0.8), q = try Gaussian(mean: [-0.2], standardDeviation: 1.3)
        // KL = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½.
        let expected = log(1.3 / 0.8) + (0.64 + 0.25) / (2 * 1.69) - 0.5
        assertClose(p.klDivergence(to: q), expected, atol: 1e-14)
    }
}
