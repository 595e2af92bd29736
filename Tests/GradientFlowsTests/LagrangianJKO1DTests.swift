import XCTest
import NumericalCore
import Probability
import GradientFlows
import _TestSupport

/// The 1D particle JKO scheme against the exact Gaussian JKO iterates and the analytic
/// Ornstein–Uhlenbeck flow; its energy invariants; its error messages.
final class LagrangianJKO1DTests: XCTestCase {
    let target = try! Gaussian(mean: [0], standardDeviation: 1)
    let start = try! Gaussian(mean: [1.5], standardDeviation: 0.5)

    /// Observed (h = 0.1, 5 steps): the mean matches the Gaussian JKO iterate to rounding
    /// for every N (the entropy gradient sums to zero, V′ is linear); the variance error
    /// falls as N⁻¹ (order 1.00: 3.6e-3 … 4.5e-4 for N = 200 … 1600); W₂ to the continuous
    /// iterate falls as ≈ N^{-0.57} (0.027 … 0.0083), like
    /// the quantisation error of the start itself (the ratio stays ≈ 1.7).
    func testConvergesToGaussianJKOIteratesAsParticleCountGrows() throws {
        let h = 0.1, steps = 5
        let jko = try LagrangianJKO1D(potential: QuadraticPotential(target: target), timeStep: h)
        let exact = try GaussianJKO(target: target, timeStep: h).iterates(from: start, stepCount: steps)[steps]
        var varianceErrors = [Double](), distances = [Double](), counts = [Double]()
        for n in [200, 400, 800, 1600] {
            let s0 = try ParticleState1D(particleCount: n, start: GaussianMixture(start))
            let last = try jko.flow(from: s0, stepCount: steps)[steps]
            // The mean is exact up to rounding of N terms of size 1/N.
            XCTAssertEqual(last.mean, exact.mean[0], accuracy: 1e-12)
            varianceErrors.append(abs(last.variance - exact.covariance[0, 0]))
            let w = Wasserstein1D.squaredDistance(particles: last, mixture: GaussianMixture(exact)).squareRoot()
            let w0 = Wasserstein1D.squaredDistance(particles: s0, mixture: GaussianMixture(start)).squareRoot()
            XCTAssertLessThan(w, 2 * w0, "the scheme adds at most the start's quantisation error")
            distances.append(w)
            counts.append(1 / Double(n))
        }
        let varianceOrder = observedOrder(stepSizes: counts, errors: varianceErrors)
        XCTAssertGreaterThan(varianceOrder, 0.9); XCTAssertLessThan(varianceOrder, 1.1)
        let distanceOrder = observedOrder(stepSizes: counts, errors: distances)
        XCTAssertGreaterThan(distanceOrder, 0.45); XCTAssertLessThan(distanceOrder, 0.75)
    }

    /// Observed order 0.94 (errors 0.030, 0.016, 0.0082) for T = 0.4, h = 0.1, 0.05, 0.025
    /// (band [0.8, 1.3]). The
    /// error is the Bures–W₂ between the particle moments and the analytic Gaussian ρ_T:
    /// its O(1/N) part (≈ 1e-4 at N = 4000) stays far below the O(h) part (≥ 5e-3).
    func testFirstOrderInTimeStepAgainstAnalyticSolution() throws {
        let flow = try OrnsteinUhlenbeckFlow(start: GaussianMixture(start), target: target)
        let horizon = 0.4
        let exactMean = flow.mean(at: horizon)[0], exactSD = flow.covariance(at: horizon)[0, 0].squareRoot()
        var errors = [Double](), steps = [Double]()
        for h in [0.1, 0.05, 0.025] {
            let jko = try LagrangianJKO1D(potential: QuadraticPotential(target: target), timeStep: h)
            let k = Int((horizon / h).rounded())
            let last = try jko.flow(from: ParticleState1D(particleCount: 4000, start: GaussianMixture(start)), stepCount: k)[k]
            let dm = last.mean - exactMean, ds = last.variance.squareRoot() - exactSD
            errors.append((dm * dm + ds * ds).squareRoot())
            steps.append(h)
        }
        let order = observedOrder(stepSizes: steps, errors: errors)
        XCTAssertGreaterThan(order, 0.8); XCTAssertLessThan(order, 1.3)
    }

    /// F(ρ_{k+1}) + W₂²(ρ_k, ρ_{k+1})/(2h) ≤ F(ρ_k): x_{k+1} minimises the left side among
    /// ordered states and x_k is one of them. Slack 1e-12 covers the rounding of F (N terms).
    func testEnergyDecreasesAndDiscreteEnergyInequalityHolds() throws {
        let mixture = try GaussianMixture(weights: [0.3, 0.7], components: [
            Gaussian(mean: [-1.8], standardDeviation: 0.3), Gaussian(mean: [1.2], standardDeviation: 0.5)])
        let cases: [(any Potential, ParticleState1D)] = [
            (QuadraticPotential(target: target), try ParticleState1D(particleCount: 500, start: mixture)),
            (try DoubleWellPotential(dimension: 1, tilt: 0.2), try ParticleState1D(particleCount: 500, start: GaussianMixture(start))),
            (MixturePotential(mixture: mixture), try ParticleState1D(particleCount: 500, start: GaussianMixture(start))),
        ]
        for (potential, s0) in cases {
            let h = 0.05
            let jko = try LagrangianJKO1D(potential: potential, timeStep: h)
            var reports = [LagrangianJKOStep]()
            let states = try jko.flow(from: s0, stepCount: 20) { _, r in reports.append(r) }
            for k in 0..<20 {
                let before = states[k].energy(potential), after = states[k + 1].energy(potential)
                let w2 = states[k].squaredDistance(to: states[k + 1])
                XCTAssertLessThan(after, before, "energy decreases at step \(k + 1)")
                XCTAssertLessThanOrEqual(after + w2 / (2 * h), before + 1e-12, "discrete energy inequality at step \(k + 1)")
                XCTAssertTrue(reports[k].converged)
                XCTAssertLessThanOrEqual(reports[k].decrement, jko.tolerance * 1e6)
                XCTAssertGreaterThan(reports[k].iterations, 0)
                XCTAssertEqual(states[k + 1].totalMass, 1, accuracy: 1e-12)
            }
        }
    }

    /// Given (unequal) masses: the discrete energy inequality still holds, and for a quadratic
    /// V the mean follows the Gaussian JKO mean exactly (Σᵢ of the entropy gradient telescopes
    /// to 0 for any masses, so Σ mᵢ(xᵢ − yᵢ)/h = −Σ mᵢ a(xᵢ − b)).
    func testUnequalMasses() throws {
        var rng = RandomGenerator(seed: 5)
        var masses = (0..<300).map { _ in 0.5 + rng.uniform() }
        let total = masses.reduce(0, +)
        masses = masses.map { $0 / total }
        var level = 0.0
        let positions = masses.map { m -> Double in
            defer { level += m }
            return 1.5 + 0.5 * SpecialFunctions.normalQuantile(level + m / 2)
        }
        let h = 0.1
        let potential = QuadraticPotential(target: target)
        let jko = try LagrangianJKO1D(potential: potential, timeStep: h)
        let states = try jko.flow(from: ParticleState1D(positions: positions, masses: masses), stepCount: 5)
        var expectedMean = states[0].mean
        for k in 1...5 {
            expectedMean = expectedMean / (1 + h)  // m' = (m + h a b)/(1 + h a), a = 1, b = 0
            XCTAssertEqual(states[k].mean, expectedMean, accuracy: 1e-12)
            let w2 = states[k - 1].squaredDistance(to: states[k])
            XCTAssertLessThanOrEqual(states[k].energy(potential) + w2 / (2 * h), states[k - 1].energy(potential) + 1e-12)
        }
    }

    /// Long runs settle at the discrete equilibrium, whose moments are those of the target.
    func testRelaxesToTheTarget() throws {
        let jko = try LagrangianJKO1D(potential: QuadraticPotential(target: target), timeStep: 0.5)
        let last = try jko.flow(from: ParticleState1D(particleCount: 1000, start: GaussianMixture(start)), stepCount: 40)[40]
        // After t = 20 the state is the discrete equilibrium: moments within O(1/N) of N(0, 1).
        XCTAssertEqual(last.mean, 0, accuracy: 1e-6)
        XCTAssertEqual(last.variance, 1, accuracy: 1e-2)
    }

    /// 10⁵ masses of 1/N sum to 1 within 1e-15 by compensated summation (naively, 2e-12 off).
    func testLargeParticleCountKeepsUnitMass() throws {
        let state = try ParticleState1D(particleCount: 100_000) { 0.3 + 0.5 * SpecialFunctions.normalQuantile($0) }
        XCTAssertEqual(state.totalMass, 1, accuracy: 1e-15)
    }

    func testBadInputGivesClearMessages() throws {
        let flat = try QuadraticPotential(center: 0, curvature: -1)
        XCTAssertThrowsError(try LagrangianJKO1D(potential: flat, timeStep: 0.1)) { error in
            guard case GradientFlowError.potentialNotConfining = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("not confining"), "\(error)")
        }
        for h in [0.0, -0.1, .nan] {
            XCTAssertThrowsError(try LagrangianJKO1D(potential: QuadraticPotential(target: target), timeStep: h)) { error in
                XCTAssertTrue("\(error)".contains("time step"), "\(error)")
            }
        }
        // Newton with one iteration allowed cannot converge from far away: the error names step 1.
        let jko = try LagrangianJKO1D(potential: QuadraticPotential(target: target), timeStep: 0.5, maximumIterations: 1)
        var finished = [Int]()
        XCTAssertThrowsError(try jko.flow(from: ParticleState1D(particleCount: 100, start: GaussianMixture(start)), stepCount: 3) { k, _ in finished.append(k) }) { error in
            guard case let GradientFlowError.newtonFailed(step, _, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(step, 1)
            XCTAssertTrue("\(error)".contains("JKO step 1"), "\(error)")
        }
        XCTAssertEqual(finished, [])
        XCTAssertThrowsError(try ParticleState1D(positions: [0, 0, 1], masses: [0.3, 0.3, 0.4]))
    }
}
