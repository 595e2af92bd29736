import XCTest
import NumericalCore
import Probability
import GradientFlows
import OptimalTransport
import _TestSupport

/// Exact 1D W₂ through quantile functions, checked against closed forms and against each other.
final class Wasserstein1DTests: XCTestCase {
    func testParticleStatesWithEqualMasses() throws {
        let a = try ParticleState1D(positions: [-1, 0.2, 0.5, 2], masses: [0.1, 0.4, 0.3, 0.2])
        let b = try ParticleState1D(positions: [-0.5, 0.1, 1.5, 1.7], masses: [0.1, 0.4, 0.3, 0.2])
        let merged = Wasserstein1D(particles: a).squaredDistance(to: Wasserstein1D(particles: b))
        XCTAssertEqual(merged, a.squaredDistance(to: b), accuracy: 1e-15)
        // Unequal masses and counts: against OptimalTransport's discrete quantile solver.
        let c = try ParticleState1D(positions: [-2, -0.3, 0.4, 0.9, 3], masses: [0.25, 0.05, 0.3, 0.15, 0.25])
        let reference = try QuantileTransport.solve(source: .line(a.positions, weights: a.masses),
                                                    target: .line(c.positions, weights: c.masses)).cost
        XCTAssertEqual(Wasserstein1D(particles: a).squaredDistance(to: Wasserstein1D(particles: c)), reference, accuracy: 1e-14)
    }

    /// Uniform on [0, 1] against uniform on [1, 2] (a shift by 1): W₂² = 1 exactly; and against
    /// uniform on [0, 2] (a dilation): ∫₀¹ (u − 2u)² du = 1/3.
    func testCellDensitiesClosedForms() {
        let unit = Wasserstein1D(cellDensity: [1, 1, 1, 1, 0, 0, 0, 0], lower: 0, upper: 2)
        let shifted = Wasserstein1D(cellDensity: [0, 0, 0, 0, 1, 1, 1, 1], lower: 0, upper: 2)
        let wide = Wasserstein1D(cellDensity: [1, 1, 1, 1, 1, 1, 1, 1], lower: 0, upper: 2)
        XCTAssertEqual(unit.squaredDistance(to: shifted), 1, accuracy: 1e-14)
        XCTAssertEqual(unit.squaredDistance(to: wide), 1.0 / 3, accuracy: 1e-14)
        XCTAssertEqual(wide.squaredDistance(to: unit), 1.0 / 3, accuracy: 1e-14)
    }

    /// Particles against a Gaussian mixture: the closed-form partial-moment route agrees with
    /// the quantile merge against the mixture's cell averages on 40 000 cells of [−10, 10]
    /// (Δx = 5e-4, O(Δx²) ≈ 1e-7 error in W₂²).
    func testParticlesAgainstMixtureTwoRoutes() throws {
        let mixture = try GaussianMixture(weights: [0.3, 0.7], components: [
            Gaussian(mean: [-1.5], standardDeviation: 0.4), Gaussian(mean: [1], standardDeviation: 0.8)])
        let state = try ParticleState1D(particleCount: 300, start: GaussianMixture(Gaussian(mean: [0.2], standardDeviation: 1.1)))
        let exact = Wasserstein1D.squaredDistance(particles: state, mixture: mixture)
        let cells = 40_000, lower = -10.0, upper = 10.0, h = (upper - lower) / Double(cells)
        let averages = (0..<cells).map { c in
            (mixture.cumulativeProbability(lower + Double(c + 1) * h) - mixture.cumulativeProbability(lower + Double(c) * h)) / h
        }
        let merged = Wasserstein1D(particles: state).squaredDistance(to: Wasserstein1D(cellDensity: averages, lower: lower, upper: upper))
        XCTAssertEqual(exact, merged, accuracy: 1e-6)
        // Gaussians: W₂²(N(m₁, s₁²), N(m₂, s₂²)) = (m₁ − m₂)² + (s₁ − s₂)², here for the
        // cell-average representations of N(0, 1) and N(1, 4).
        let g1 = try GaussianMixture(Gaussian(mean: [0], standardDeviation: 1))
        let g2 = try GaussianMixture(Gaussian(mean: [1], standardDeviation: 2))
        let cellsOf = { (g: GaussianMixture) in
            Wasserstein1D(cellDensity: (0..<cells).map { c in
                (g.cumulativeProbability(-15 + Double(c + 1) * 30 / Double(cells)) - g.cumulativeProbability(-15 + Double(c) * 30 / Double(cells))) / (30 / Double(cells))
            }, lower: -15, upper: 15)
        }
        XCTAssertEqual(cellsOf(g1).squaredDistance(to: cellsOf(g2)), 2, accuracy: 1e-5)
    }
}
