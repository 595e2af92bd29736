import GradientFlows
import NumericalCore
import OptimalTransport
import Probability
import XCTest
import _TestSupport

/// The exact Gaussian JKO step when the covariance does not commute with the target precision.
final class GaussianJKONonCommutingTests: XCTestCase {
    /// A seeded random SPD matrix G Gᵀ/d + floor·I, G with standard normal entries.
    static func randomSPD(_ d: Int, floor: Double, using rng: inout RandomGenerator) -> Matrix {
        let g = Matrix(rows: d, columns: d, elements: rng.normals(d * d))
        return ((g * g.transposed) / Double(d) + floor * Matrix.identity(d)).symmetrized
    }

    /// d = 3, random target N(b, A⁻¹) and start N(m, S) with ‖AS − SA‖ far from 0.
    static func problem() throws -> (target: Gaussian, start: Gaussian) {
        var rng = RandomGenerator(seed: 20240611)
        let a = randomSPD(3, floor: 0.4, using: &rng), s = randomSPD(3, floor: 0.2, using: &rng)
        let target = try Gaussian(mean: rng.normals(3), covariance: try a.inverse().symmetrized)
        return (target, try Gaussian(mean: rng.normals(3), covariance: s))
    }

    /// One step against brute-force minimisation (Nelder–Mead with restarts) of
    /// J(m', S') = W₂²(N(m, S), N(m', S'))/(2h) + KL(N(m', S') ‖ N(b, A⁻¹)) over m' and the
    /// Cholesky factor of S' (log-diagonal, so S' stays SPD); W₂² is the Bures closed form.
    func testStepMatchesBruteForceMinimisationInThreeDimensions() throws {
        let (target, start) = try Self.problem()
        XCTAssertGreaterThan(target.precision.commutator(with: start.covariance), 0.1, "the test case must not commute")
        let h = 0.3
        let next = try GaussianJKO(target: target, timeStep: h).step(from: start)
        func gaussian(_ p: [Double]) -> Gaussian? {
            let l = Matrix([[exp(p[3]), 0, 0], [p[4], exp(p[5]), 0], [p[6], p[7], exp(p[8])]])
            return try? Gaussian(mean: Array(p[0..<3]), covariance: (l * l.transposed).symmetrized)
        }
        func objective(_ p: [Double]) -> Double {
            guard let g = gaussian(p), let w2 = try? BuresWasserstein.squaredDistance(start, g) else { return .infinity }
            return w2 / (2 * h) + g.klDivergence(to: target)
        }
        let l0 = try start.covariance.cholesky()
        let p0 = start.mean + [log(l0[0, 0]), l0[1, 0], log(l0[1, 1]), l0[2, 0], l0[2, 1], log(l0[2, 2])]
        let (best, bestValue) = nelderMeadMinimum(of: objective, from: p0, tolerance: 1e-14, restarts: 3)
        let brute = try XCTUnwrap(gaussian(best))
        // The closed form is no worse than the brute-force minimum (to round-off), and the
        // minimiser agrees: J is flat to second order, so a value resolved to ~1e-14 pins the
        // point to ~√1e-14 ≈ 1e-7 per unit curvature (measured: 1.3e-8 on the mean, 1.3e-7 on
        // the covariance); atol 1e-6 leaves room for the simplex.
        let closedValue = try BuresWasserstein.squaredDistance(start, next) / (2 * h) + next.klDivergence(to: target)
        XCTAssertLessThanOrEqual(closedValue, bestValue + 1e-13)
        assertClose(next.mean, brute.mean, atol: 1e-6)
        assertClose(next.covariance, brute.covariance, atol: 1e-6)
        // The naive commuting formula would be far off here (it is not the minimiser).
        let naiveSlope = try GaussianJKONonCommutingTests.commutingSlope(target: target, covariance: start.covariance, timeStep: h)
        XCTAssertGreaterThan((naiveSlope * start.covariance * naiveSlope - next.covariance).frobeniusNorm, 1e-3)
    }

    /// DESIGN.md's commuting formula M = [I + √(I + 4h(I + hA)S⁻¹)](I + hA)⁻¹/2, evaluated in A's
    /// eigenbasis (valid only when S commutes with A).
    static func commutingSlope(target: Gaussian, covariance: Matrix, timeStep h: Double) throws -> Matrix {
        let d = target.dimension
        let b = Matrix.identity(d) + h * target.precision
        let inner = (Matrix.identity(d) + 4 * h * (b * (try covariance.inverse()))).symmetrized
        return (0.5 * ((Matrix.identity(d) + (try inner.symmetricSquareRoot())) * (try b.inverse()))).symmetrized
    }

    /// For S = f(A) (here S = (A + I)⁻¹ + 0.3 A, which commutes with a non-diagonal A) the
    /// general step reduces to the commuting formula to round-off.
    func testReducesToCommutingFormula() throws {
        let (target, _) = try Self.problem()
        let a = target.precision
        let s = try a.symmetricFunction { 1 / ($0 + 1) + 0.3 * $0 }
        XCTAssertLessThan(a.commutator(with: s), 1e-12)
        let h = 0.05
        let map = try GaussianJKO(target: target, timeStep: h).map(from: try Gaussian(mean: [0.5, -1, 2], covariance: s))
        assertClose(map.slope, try Self.commutingSlope(target: target, covariance: s, timeStep: h), atol: 1e-12)
        let expectedMean = try (Matrix.identity(3) + h * a).solve(Matrix.column(Vector.add([0.5, -1, 2], h * a * target.mean))).elements
        assertClose(map.newMean, expectedMean, atol: 1e-12)
    }

    /// The slope solves the optimality condition M B M − M = h S⁻¹ (B = I + hA), is SPD, and the
    /// map sends m to m' and N(m, S) to N(m', M S M).
    func testMapSolvesOptimalityConditionAndPushesForward() throws {
        let (target, start) = try Self.problem()
        let h = 0.1
        let jko = try GaussianJKO(target: target, timeStep: h)
        let map = try jko.map(from: start)
        let b = Matrix.identity(3) + h * target.precision
        assertClose(map.slope * b * map.slope - map.slope, h * start.precision, atol: 1e-12)
        XCTAssertGreaterThan(try map.slope.validateSymmetricPositiveDefinite(), 0)
        assertClose(map(start.mean), map.newMean, atol: 1e-14)
        assertClose(map.displacement(at: start.mean), Vector.subtract(map.newMean, start.mean), atol: 1e-14)
        let next = try jko.step(from: start)
        assertClose(next.covariance, (map.slope * start.covariance * map.slope).symmetrized, atol: 1e-14)
        let rows = map.apply(toRows: Matrix([start.mean, [1, 2, 3]]))
        assertClose(rows.row(1), map([1, 2, 3]), atol: 1e-14)
        // The maps of iterated steps compose to the iterates.
        let maps = try jko.maps(from: start, stepCount: 3)
        let iterates = try jko.iterates(from: start, stepCount: 3)
        XCTAssertEqual(maps.count, 3)
        for k in 0..<3 { assertClose(try maps[k].pushForward(iterates[k]).covariance, iterates[k + 1].covariance, atol: 1e-14) }
    }

    /// The target is the fixed point (M = I, m' = b), and iterates from a non-commuting start
    /// converge to it: after 400 steps of h = 0.1 (t = 40 ≫ 1/λ_min(A)) the SymKL is < 1e-10.
    func testFixedPointIsTheTargetAndIteratesConverge() throws {
        let (target, start) = try Self.problem()
        let jko = try GaussianJKO(target: target, timeStep: 0.1)
        let map = try jko.map(from: target)
        assertClose(map.slope, Matrix.identity(3), atol: 1e-12)
        assertClose(map.newMean, target.mean, atol: 1e-12)
        let last = try jko.iterates(from: start, stepCount: 400).last!
        XCTAssertLessThan(last.symmetricKL(target), 1e-10)
    }

    /// Non-commuting iterates approach the analytic OU marginal at first order in h:
    /// Bures–W₂(ρ_K^JKO, ρ_1) for h = 0.1, 0.05, 0.025, 0.0125; observed order in [0.8, 1.3].
    func testFirstOrderInTimeStepForNonCommutingStart() throws {
        let (target, start) = try Self.problem()
        let exact = try OrnsteinUhlenbeckFlow(start: GaussianMixture(start), target: target).marginal(at: 1).components[0]
        let steps = [0.1, 0.05, 0.025, 0.0125]
        let errors = try steps.map { h in
            try BuresWasserstein.distance(try GaussianJKO(target: target, timeStep: h).iterates(from: start, stepCount: Int((1 / h).rounded())).last!, exact)
        }
        let order = observedOrder(stepSizes: steps, errors: errors)
        XCTAssert((0.8...1.3).contains(order), "observed order \(order), errors \(errors)")
    }
}
