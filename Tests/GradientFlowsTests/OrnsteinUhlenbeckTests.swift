import GradientFlows
import NumericalCore
import OptimalTransport
import Probability
import XCTest
import _TestSupport

final class OrnsteinUhlenbeckTests: XCTestCase {
    /// A non-diagonal 2D target and a bimodal mixture start.
    func makeFlow() throws -> OrnsteinUhlenbeckFlow {
        let target = try Gaussian(mean: [1.0, -0.5], covariance: Matrix([[0.6, 0.2], [0.2, 1.5]]))
        let start = try GaussianMixture(
            weights: [0.3, 0.7],
            components: [
                try Gaussian(mean: [-2, 1], covariance: Matrix([[0.3, 0.1], [0.1, 0.2]])),
                try Gaussian(mean: [2, 2], covariance: Matrix([[0.5, -0.2], [-0.2, 0.4]])),
            ])
        return try OrnsteinUhlenbeckFlow(start: start, target: target)
    }

    /// Mean and covariance against the moment ODEs m' = −A(m − b), S' = −AS − SAᵀ + 2I,
    /// integrated by GSL's adaptive RK8(9) (tolerance 1e-12 → agreement to ~1e-10).
    func testMomentsMatchIntegratedMomentODEs() throws {
        let flow = try makeFlow()
        let a = flow.targetPrecision, b = flow.targetMean
        let m0 = flow.start.mean, s0 = flow.start.covariance
        let y0 = m0 + s0.elements
        let integrator = ODEIntegrator()
        for t in [0.1, 0.7, 2.5] {
            let y = try integrator.integrate(from: 0, to: t, initial: y0) { _, y, dy in
                for i in 0..<2 { dy[i] = -(a[i, 0] * (y[0] - b[0]) + a[i, 1] * (y[1] - b[1])) }
                for i in 0..<2 { for j in 0..<2 {
                    var v = i == j ? 2.0 : 0.0
                    for k in 0..<2 { v -= a[i, k] * y[2 + k * 2 + j] + y[2 + i * 2 + k] * a[j, k] }
                    dy[2 + i * 2 + j] = v
                } }
            }
            assertClose(flow.mean(at: t), Array(y[0..<2]), atol: 1e-10, "mean at t = \(t)")
            assertClose(flow.covariance(at: t).elements, Array(y[2..<6]), atol: 1e-10, "covariance at t = \(t)")
            // The mixture's own moments agree with the direct formulas.
            let marginal = try flow.marginal(at: t)
            assertClose(marginal.mean, flow.mean(at: t), atol: 1e-12)
            assertClose(marginal.covariance, flow.covariance(at: t), atol: 1e-12)
        }
    }

    /// The density integrates to one and relaxes to the target density.
    func testDensityNormalisedAndRelaxesToTarget() throws {
        let target = try Gaussian(mean: [0.5], covariance: Matrix([[0.8]]))
        let start = try GaussianMixture(weights: [0.5, 0.5], components: [
            try Gaussian(mean: [-2], standardDeviation: 0.4), try Gaussian(mean: [2], standardDeviation: 0.4)])
        let flow = try OrnsteinUhlenbeckFlow(start: start, target: target)
        let mass = try Quadrature().integrate(from: -.infinity, to: .infinity) { x in
            exp((try? flow.logDensity([x], at: 0.3)) ?? -.infinity)
        }
        assertClose(mass.value, 1, atol: 1e-9)
        assertClose(try flow.logDensity([0.1], at: 40), target.logDensity([0.1]), atol: 1e-12)
    }

    /// Sample moments of ρ_t within 5 Monte-Carlo standard errors.
    func testSamplingMomentsWithinMonteCarloError() throws {
        let flow = try makeFlow()
        var rng = RandomGenerator(seed: 7)
        let n = 40_000
        let t = 0.4
        let x = try flow.sample(count: n, at: t, using: &rng)
        let (m, s) = Moments.meanAndCovariance(x)
        let cov = flow.covariance(at: t)
        for j in 0..<2 {
            let se = (cov[j, j] / Double(n)).squareRoot()
            assertClose(m[j], flow.mean(at: t)[j], atol: 5 * se)
            // Var of the sample variance ≈ (μ₄ − σ⁴)/n ≤ 3σ⁴·(mixture excess)/n: use 2σ²·3/√n.
            assertClose(s[j, j], cov[j, j], atol: 5 * cov[j, j] * (6.0 / Double(n)).squareRoot())
        }
    }
}

final class GaussianJKOTests: XCTestCase {
    /// One step in 1D against brute-force minimisation of
    /// J(m', σ') = [(m − m')² + (σ − σ')²]/(2h) + KL(N(m', σ'²) ‖ N(b, 1/a)).
    func testStepMatchesBruteForceMinimisation() throws {
        let (m, sigma, b, a, h) = (1.3, 0.7, -0.4, 2.5, 0.05)
        let jko = try GaussianJKO(target: try Gaussian(mean: [b], covariance: Matrix([[1 / a]])), timeStep: h)
        let next = try jko.step(from: try Gaussian(mean: [m], standardDeviation: sigma))
        func objective(_ mp: Double, _ sp: Double) -> Double {
            let w2 = (m - mp) * (m - mp) + (sigma - sp) * (sigma - sp)
            let kl = 0.5 * (a * sp * sp + a * (mp - b) * (mp - b) - 1 - log(a * sp * sp))
            return w2 / (2 * h) + kl
        }
        // Coordinate-wise grid refinement: the objective is separable and strictly convex.
        var best = (m, sigma)
        var width = 1.0
        for _ in 0..<40 {
            var bestValue = Double.infinity
            var candidate = best
            for i in -20...20 { for j in -20...20 {
                let mp = best.0 + width * Double(i) / 20, sp = best.1 + width * Double(j) / 20
                guard sp > 0 else { continue }
                let v = objective(mp, sp)
                if v < bestValue { bestValue = v; candidate = (mp, sp) }
            } }
            best = candidate
            width /= 4
        }
        // A minimiser found by comparing objective values is resolved only to about
        // √(machine ε) ≈ 1.5e-8 (the objective is flat to second order there): atol 1e-7.
        assertClose(next.mean[0], best.0, atol: 1e-7)
        assertClose(next.covariance[0, 0].squareRoot(), best.1, atol: 1e-7)
    }

    /// The Gaussian JKO iterates approach the analytic flow at first order in h:
    /// W₂(ρ_K^JKO, ρ_{T}) at T = 1 for h = 0.1, 0.05, 0.025, 0.0125.
    func testIteratesConvergeAtFirstOrderInTimeStep() throws {
        let target = try Gaussian(mean: [1, -1], covariance: Matrix.diagonal([0.5, 2]))
        let start = try Gaussian(mean: [-1, 2], covariance: Matrix.diagonal([0.2, 0.3]))
        let flow = try OrnsteinUhlenbeckFlow(start: GaussianMixture(start), target: target)
        let exact = try flow.marginal(at: 1).components[0]
        var errors = [Double]()
        let steps = [0.1, 0.05, 0.025, 0.0125]
        for h in steps {
            let jko = try GaussianJKO(target: target, timeStep: h)
            let last = try jko.iterates(from: start, stepCount: Int((1 / h).rounded())).last!
            errors.append(try BuresWasserstein.distance(last, exact))
        }
        let order = observedOrder(stepSizes: steps, errors: errors)
        XCTAssert((0.8...1.3).contains(order), "observed order \(order), errors \(errors)")
    }

    /// The fixed point of the step is the target, and a non-positive time step is refused.
    func testFixedPointAndBadTimeStep() throws {
        let target = try Gaussian(mean: [0, 0], covariance: Matrix([[1, 0.5], [0.5, 2]]))
        let jko = try GaussianJKO(target: target, timeStep: 0.1)
        let fixed = try jko.step(from: target)
        assertClose(fixed.covariance, target.covariance, atol: 1e-12)
        XCTAssertThrowsError(try GaussianJKO(target: target, timeStep: 0)) { error in
            XCTAssertEqual("\(error)", "the time step h = 0.0 is not allowed; use a finite h > 0")
        }
    }
}
