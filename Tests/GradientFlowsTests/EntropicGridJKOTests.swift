import GradientFlows
import NumericalCore
import Probability
import XCTest
import _TestSupport

/// Peyré's entropic JKO on the grid against the 1D particle JKO, the exact Gaussian JKO
/// step, and its own invariants.
final class EntropicGridJKOTests: XCTestCase {
    /// 1D tilted double well, start N(0.3, 0.3²), h = 0.05, 2 steps (t = 0.1): exact W₂
    /// between the grid-jko iterate (cells of width Δx on [−3, 3], ε = Δx²) and the particle
    /// JKO iterate (4000 particles) as the cells shrink, Δx = 0.15, 0.075, 0.0375. The errors
    /// are the cell quantisation O(Δx) and the entropic blur O(ε/h) = O(Δx²/h) (both shrink
    /// with Δx; ε/h dominates at coarse cells): every error must shrink, the observed order
    /// lie in [0.6, 2.2] (the reference's own error, ≈ 2·10⁻³, flattens the last ratio) and
    /// the finest error be below 0.01. Observed: 0.0186, 0.0052, 0.0026 (order 1.42), the
    /// same to 10⁻¹¹ with and without the accelerations.
    func testConvergesToParticleJKOIn1DAsEpsilonAndCellsShrink() throws {
        let potential = try DoubleWellPotential(dimension: 1, tilt: 0.2)
        let start = GaussianMixture(try Gaussian(mean: [0.3], covariance: Matrix([[0.09]])))
        let h = 0.05, steps = 2
        let particles = try LagrangianJKO1D(potential: potential, timeStep: h)
            .flow(from: ParticleState1D(particleCount: 4000, start: start), stepCount: steps).last!
        let reference = Wasserstein1D(particles: particles)
        var errors = [Double](), spacings = [Double]()
        for cells in [40, 80, 160] {
            let grid = try FiniteVolumeGrid(lower: -3, upper: 3, cellCount: cells)
            let solver = try EntropicGridJKO(grid: grid, potential: potential, timeStep: h)
            var state = solver.start(logDensity: start.logDensity)
            for _ in 0..<steps {
                state = solver.step(from: state)
                XCTAssertTrue(state.report!.converged, "cells \(cells): marginal error \(state.report!.marginalError)")
            }
            let density = state.masses.map { $0 / grid.cellVolume }
            errors.append(Wasserstein1D(cellDensity: density, lower: -3, upper: 3).squaredDistance(to: reference).squareRoot())
            spacings.append(grid.spacing)
        }
        print("grid-jko vs particle-jko 1D W2 errors \(errors)")
        for k in 1..<errors.count { XCTAssertLessThan(errors[k], errors[k - 1], "\(errors)") }
        let order = observedOrder(stepSizes: spacings, errors: errors)
        print("observed order \(order)")
        XCTAssertGreaterThanOrEqual(order, 0.6, "\(errors)")
        XCTAssertLessThanOrEqual(order, 2.2, "\(errors)")
        XCTAssertLessThan(errors[2], 0.01)
    }

    /// One step of the `ou-2d` case (target N((1, −0.5), diag(0.5, 2)), start
    /// N((−2, 1.5), diag(0.2, 0.6)), h = 0.05) on a Δx = 0.1 grid around the start,
    /// against the exact Gaussian JKO step. Stated bias: the grid's moments carry the
    /// in-cell variance Δx²/12, and the entropic blur acts as an extra entropy weight
    /// ε/(4h) (self-transport potentials g ≈ (ε/2) log ρ), i.e. an extra diffusion that adds
    /// ≈ 2h·ε/(4h) = ε/2 to the covariance in one step; the mean is not biased (V quadratic).
    /// Asserted: mean within 2·10⁻³, covariance within Δx²/12 + ε/2 + 2·10⁻³ entrywise.
    /// Observed (Δx = 0.1, ε = 0.01): mean error 2.5·10⁻⁶, covariance error 5.3·10⁻³
    /// (bound 5.8·10⁻³ without the slack); 46 iterations (224 without the accelerations).
    func testReproducesTheGaussianJKOStepWithinItsEntropicBias() throws {
        let target = try Gaussian(mean: [1, -0.5], covariance: Matrix([[0.5, 0], [0, 2]]))
        let start = try Gaussian(mean: [-2, 1.5], covariance: Matrix([[0.2, 0], [0, 0.6]]))
        let h = 0.05
        let grid = try FiniteVolumeGrid(lower: [-4.5, -2.0], upper: [0.5, 5.0], cellCounts: [50, 70])
        let solver = try EntropicGridJKO(grid: grid, potential: QuadraticPotential(target: target), timeStep: h)
        let next = solver.step(from: solver.start(logDensity: start.logDensity))
        let report = try XCTUnwrap(next.report)
        XCTAssertTrue(report.converged, "marginal error \(report.marginalError)")
        let exact = try GaussianJKO(target: target, timeStep: h).step(from: start)
        let (mean, covariance) = grid.moments(next.masses.map { $0 / grid.cellVolume })
        print("grid-jko Gaussian step: mean \(mean) vs \(exact.mean), cov \(covariance.elements) vs \(exact.covariance.elements), iterations \(report.iterations), \(report.seconds) s")
        assertClose(mean, exact.mean, atol: 2e-3)
        let dx = grid.spacing
        assertClose(covariance, exact.covariance, atol: dx * dx / 12 + solver.epsilon / 2 + 2e-3)
    }

    /// 2D tilted double well on a 40² grid of [−3, 3]², 5 steps from N((0.3, 0.2), 0.3²I):
    /// every step converges (L¹ marginal error ≤ 10⁻⁹), keeps mass 1, lowers F, and meets
    /// the discrete energy inequality F(ρ_{k+1}) + W_ε/(2h) ≤ F(ρ_k) (W_ε the entropic cost
    /// the step minimises; slack ≥ −10⁻⁷, the marginal tolerance times the potentials' size).
    func testEnergyDecreasesAndDiscreteEnergyInequalityHoldsIn2D() throws {
        let grid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: 40)
        let solver = try EntropicGridJKO(grid: grid, potential: DoubleWellPotential(dimension: 2, tilt: 0.2), timeStep: 0.05)
        let start = try Gaussian(mean: [0.3, 0.2], covariance: Matrix([[0.09, 0], [0, 0.09]]))
        var state = solver.start(logDensity: start.logDensity)
        for _ in 0..<5 {
            state = solver.step(from: state)
            let r = try XCTUnwrap(state.report)
            XCTAssertTrue(r.converged, "step \(r.step): marginal error \(r.marginalError)")
            XCTAssertLessThan(r.energy, r.previousEnergy, "step \(r.step)")
            XCTAssertGreaterThanOrEqual(r.previousEnergy - r.energy - r.entropicCost / (2 * 0.05), -1e-7, "step \(r.step)")
            assertClose(r.mass, 1, atol: 1e-12)
            XCTAssertTrue(state.masses.allSatisfy { $0 >= 0 })
        }
    }

    /// The log-domain kernel equals a direct dense sum on a small 2D grid (7 × 5 cells),
    /// for log-values spanning 600 (where a plain exponential kernel would overflow).
    func testSeparableLogKernelMatchesADenseSum() throws {
        let grid = try FiniteVolumeGrid(lower: [0, 0], upper: [0.7, 0.5], cellCounts: [7, 5])
        let solver = try EntropicGridJKO(grid: grid, potential: QuadraticPotential(target: Gaussian(mean: [0, 0], standardDeviation: 1)),
                                         timeStep: 0.1, epsilon: 0.02)
        var generator = RandomGenerator(seed: 3)
        let u = (0..<35).map { _ in 600 * generator.uniform() - 300 }
        let fast = solver.logKernel(u)
        let pts = grid.points
        for j in 0..<35 {
            var terms = [Double]()
            for i in 0..<35 {
                let dx = pts[2 * i] - pts[2 * j], dy = pts[2 * i + 1] - pts[2 * j + 1]
                terms.append(u[i] - (dx * dx + dy * dy) / 0.02)
            }
            let m = terms.max()!
            let direct = m + Foundation.log(terms.reduce(0) { $0 + Foundation.exp($1 - m) })
            assertClose(fast[j], direct, atol: 1e-12, rtol: 1e-14, "cell \(j)")
        }
    }

    /// The kernel's BLAS passes (per-line scalings, banded dgemm) against a direct dense
    /// log-sum-exp where the scalings underflow for many entries: log-values spanning ≈ 6000
    /// along every line (a steep smooth ramp plus a random ±300), on 96 × 10 cells
    /// (ε = Δx²: the 96-cell axis banded, the 10-cell one dense) and on 1D 200 cells. The
    /// exact fallback must engage (> 5% of the entries) and every output match the dense sum
    /// to 10⁻¹² relative (the pruned terms add ≤ n·4·10⁻¹⁸).
    func testKernelFallsBackToTheExactLogSumExpWhereScalingsUnderflow() throws {
        var generator = RandomGenerator(seed: 11)
        for counts in [[96, 10], [200]] {
            let upper = counts.map { 0.05 * Double($0) }
            let grid = try FiniteVolumeGrid(lower: [Double](repeating: 0, count: counts.count), upper: upper, cellCounts: counts)
            let potential = try QuadraticPotential(target: Gaussian(mean: [Double](repeating: 0, count: counts.count), standardDeviation: 1))
            let solver = try EntropicGridJKO(grid: grid, potential: potential, timeStep: 0.1)
            let d = counts.count, pts = grid.points
            let u = (0..<grid.cellCount).map { k -> Double in
                var ramp = 0.0
                for axis in 0..<d { ramp += 1200 * pts[k * d + axis] * pts[k * d + axis] }
                return ramp + 600 * generator.uniform() - 300
            }
            let fast = solver.logKernel(u)
            let fraction = solver.exactKernelFraction(u)
            XCTAssertGreaterThan(fraction, 0.05, "counts \(counts): the exact fallback did not engage")
            let exactly = solver.logKernelByLogSumExp(u)
            for j in 0..<grid.cellCount {
                var m = -Double.infinity, terms = [Double]()
                for i in 0..<grid.cellCount {
                    var c = 0.0
                    for axis in 0..<d { let e = pts[i * d + axis] - pts[j * d + axis]; c += e * e }
                    terms.append(u[i] - c / solver.epsilon)
                    m = max(m, terms.last!)
                }
                let direct = m + Foundation.log(terms.reduce(0) { $0 + Foundation.exp($1 - m) })
                assertClose(fast[j], direct, atol: 0, rtol: 1e-12, "counts \(counts), cell \(j)")
                assertClose(exactly[j], direct, atol: 0, rtol: 1e-12, "counts \(counts), cell \(j) (log-sum-exp)")
            }
        }
    }

    /// The BLAS kernel products and the exact log-sum-exp ones are the same iterations: on
    /// the tilted double well, 32 × 28 cells of [−3, 3]² (non-square, so the two kernel
    /// factors differ), three steps from N((0.3, 0.2), 0.3²I), the iterations agree to ±1
    /// (the marginal error is the same number up to rounding; it can cross the tolerance one
    /// iteration apart) and the masses to 10⁻¹² per cell (to the tolerance in L¹ when the
    /// iteration counts differ).
    func testBLASKernelProductsMatchTheExactLogSumExpIterations() throws {
        let grid = try FiniteVolumeGrid(lower: [-3, -3], upper: [3, 3.0 * 28 / 32 * 2 - 3], cellCounts: [32, 28])
        let potential = try DoubleWellPotential(dimension: 2, tilt: 0.2)
        let fast = try EntropicGridJKO(grid: grid, potential: potential, timeStep: 0.05)
        var slow = fast
        slow.exactKernelProducts = true
        let start = try Gaussian(mean: [0.3, 0.2], covariance: Matrix([[0.09, 0], [0, 0.09]]))
        var a = fast.start(logDensity: start.logDensity), b = a
        let count = a.masses.count
        for _ in 0..<3 {
            a = fast.step(from: a)
            b = slow.step(from: b)
            let ra = try XCTUnwrap(a.report), rb = try XCTUnwrap(b.report)
            XCTAssertTrue(ra.converged && rb.converged)
            XCTAssertLessThanOrEqual(abs(ra.iterations - rb.iterations), 1, "\(ra.iterations) vs \(rb.iterations)")
            if ra.iterations == rb.iterations {
                for k in 0..<count { assertClose(a.masses[k], b.masses[k], atol: 1e-12, "cell \(k)") }
            } else {
                XCTAssertLessThanOrEqual(zip(a.masses, b.masses).map { abs($0 - $1) }.reduce(0, +), fast.tolerance)
            }
            assertClose(ra.entropicCost, rb.entropicCost, atol: 1e-9)
        }
    }

    /// Translation and over-relaxation keep the fixed point: on the 2D tilted double well
    /// (40² cells of [−3, 3]², h = 0.05, ε = Δx²), three steps accelerated and plain (the
    /// paper's alternation) give masses within 3·10⁻⁹ in L¹ (both stop at a marginal error
    /// ≤ 10⁻⁹ of the same fixed point), energies within 10⁻⁹, with at most half the
    /// iterations. Observed: 36, 35, 35 iterations against 111, 93, 89.
    func testAccelerationKeepsTheFixedPointWithFewerIterations() throws {
        let grid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: 40)
        let fast = try EntropicGridJKO(grid: grid, potential: DoubleWellPotential(dimension: 2, tilt: 0.2), timeStep: 0.05)
        var plain = fast
        plain.accelerate = false
        let start = try Gaussian(mean: [0.3, 0.2], covariance: Matrix([[0.09, 0], [0, 0.09]]))
        var a = fast.start(logDensity: start.logDensity), b = a
        for _ in 0..<3 {
            a = fast.step(from: a)
            b = plain.step(from: b)
            let ra = try XCTUnwrap(a.report), rb = try XCTUnwrap(b.report)
            print("grid-jko step \(ra.step): \(ra.iterations) iterations accelerated (ω \(ra.relaxation)), \(rb.iterations) plain")
            XCTAssertTrue(ra.converged && rb.converged)
            XCTAssertLessThanOrEqual(2 * ra.iterations, rb.iterations)
            XCTAssertLessThanOrEqual(zip(a.masses, b.masses).map { abs($0 - $1) }.reduce(0, +), 3e-9)
            assertClose(ra.energy, rb.energy, atol: 1e-9)
        }
    }

    /// The safeguard: forced to ω = 1.99 after the probe (far above Young's optimum, ≈ 1.4
    /// here), the iterations stall, go back to the best iterate with a halved ω, and still
    /// converge to the same step (masses within 3·10⁻⁹ in L¹ of the plain iterations).
    func testSafeguardRecoversFromAnOverlargeRelaxation() throws {
        let grid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: 40)
        var forced = try EntropicGridJKO(grid: grid, potential: DoubleWellPotential(dimension: 2, tilt: 0.2), timeStep: 0.05)
        forced.relaxationOverride = 1.99
        var plain = forced
        plain.accelerate = false
        let start = try Gaussian(mean: [0.3, 0.2], covariance: Matrix([[0.09, 0], [0, 0.09]]))
        let a = forced.step(from: forced.start(logDensity: start.logDensity))
        let b = plain.step(from: plain.start(logDensity: start.logDensity))
        let ra = try XCTUnwrap(a.report)
        print("grid-jko forced ω = 1.99: \(ra.iterations) iterations, final ω \(ra.relaxation)")
        XCTAssertTrue(ra.converged, "marginal error \(ra.marginalError)")
        XCTAssertLessThan(ra.relaxation, 1.99)
        XCTAssertLessThanOrEqual(zip(a.masses, b.masses).map { abs($0 - $1) }.reduce(0, +), 3e-9)
    }
}
