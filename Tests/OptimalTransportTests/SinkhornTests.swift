import Foundation
import NumericalCore
import OptimalTransport
import XCTest
import _TestSupport

/// Balanced log-domain Sinkhorn and the debiased Sinkhorn divergence.
/// Convention throughout: OT_ε = min ⟨C, π⟩ + ε KL(π ‖ a⊗b) (entropy relative to a⊗b).
final class SinkhornTests: XCTestCase {
    static func uniformCloud(_ n: Int, _ g: inout RandomGenerator) -> Matrix {
        Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in g.uniform() })
    }

    /// ⟨C, π_ε⟩ → exact OT cost as ε → 0 (n = 60 unit-square clouds). Bound: π_ε is
    /// feasible, so gap ≥ 0, and optimality of π_ε against the permutation plan π* gives
    /// ⟨C, π_ε⟩ − OT ≤ ε KL(π*‖a⊗b) = ε log n. The gap also shrinks monotonically over
    /// ε = 0.1 … 0.001 and ends below 2 % of the exact cost.
    func testTransportCostApproachesExactCost() throws {
        var g = RandomGenerator(seed: 21)
        let problem = try TransportProblem(sourcePoints: Self.uniformCloud(60, &g), targetPoints: Self.uniformCloud(60, &g))
        let exact = try ExactTransport.solve(problem).cost
        var gaps = [Double]()
        for epsilon in [0.1, 0.03, 0.01, 0.003, 0.001] {
            let s = try SinkhornSolver(epsilon: epsilon, tolerance: 1e-9).solve(problem)
            XCTAssertTrue(s.converged, "ε = \(epsilon)")
            XCTAssertGreaterThanOrEqual(s.transportCost, exact - 1e-12)   // π_ε is feasible for the exact LP
            gaps.append(s.transportCost - exact)
        }
        for (k, epsilon) in [0.1, 0.03, 0.01, 0.003, 0.001].enumerated() {
            XCTAssertLessThanOrEqual(gaps[k], epsilon * log(60.0), "gaps \(gaps)")
            if k > 0 { XCTAssertLessThan(gaps[k], gaps[k - 1], "gaps \(gaps)") }
        }
        XCTAssertLessThan(gaps.last!, 0.02 * exact, "gaps \(gaps)")
    }

    /// ε = 1e-3 on unit-scale data (costs up to 2, so C/ε up to 2000: exp(−C/ε) would
    /// underflow in the kernel domain): no NaN, converged, marginals within tolerance,
    /// primal = dual to 1e-7 (the gap is O(marginal error · potential range)).
    func testStableAtSmallEpsilon() throws {
        var g = RandomGenerator(seed: 22)
        let problem = try TransportProblem(sourcePoints: Self.uniformCloud(200, &g), targetPoints: Self.uniformCloud(150, &g))
        let s = try SinkhornSolver(epsilon: 1e-3, tolerance: 1e-9, maximumIterations: 20_000).solve(problem)
        XCTAssertEqual(s.status, .converged)
        XCTAssertTrue(s.plan.elements.allSatisfy(\.isFinite))
        XCTAssertLessThan(s.marginalError, 1e-8)
        assertClose(s.objective, s.dualObjective, atol: 1e-7)
        XCTAssertEqual(s.errorHistory.count, s.iterations - 1 + (s.converged ? 1 : 0))
    }

    /// Without ε-scaling the same answer comes out (the fixed point does not depend on the
    /// path), at ε = 0.05 where plain iterations converge quickly.
    func testAnnealingDoesNotChangeTheSolution() throws {
        var g = RandomGenerator(seed: 23)
        let problem = try TransportProblem(sourcePoints: Self.uniformCloud(80, &g), targetPoints: Self.uniformCloud(70, &g))
        let annealed = try SinkhornSolver(epsilon: 0.05, tolerance: 1e-12).solve(problem)
        let plain = try SinkhornSolver(epsilon: 0.05, tolerance: 1e-12, annealing: false).solve(problem)
        assertClose(annealed.dualObjective, plain.dualObjective, atol: 1e-12)
        assertClose(annealed.plan, plain.plan, atol: 1e-12)
    }

    /// Golden value by a closed form: for the squared Euclidean cost and β = α shifted by τ,
    /// the cost differs by a row term plus a column term plus |τ|², so
    /// OT_ε(α, β) = OT_ε(α, α) + |τ|² and S_ε(α, β) = |τ|² exactly, for every ε.
    /// Also S_ε(α, α) = 0 and S_ε ≥ 0 between unrelated clouds.
    func testSinkhornDivergenceOfATranslation() throws {
        var g = RandomGenerator(seed: 24)
        let x = Self.uniformCloud(50, &g)
        var y = x
        for i in 0..<50 { y[i, 0] += 0.3; y[i, 1] -= 0.4 }
        let divergence = SinkhornDivergence(solver: SinkhornSolver(epsilon: 0.02, tolerance: 1e-12))
        let shifted = try divergence.evaluate(.uniform(x), .uniform(y))
        XCTAssertTrue(shifted.converged)
        assertClose(shifted.value, 0.25, atol: 1e-9)
        assertClose(try divergence.evaluate(.uniform(x), .uniform(x)).value, 0, atol: 1e-12)
        XCTAssertGreaterThan(try divergence.evaluate(.uniform(x), .uniform(Self.uniformCloud(40, &g))).value, 0)
    }

    /// Bad settings and unequal masses are errors with a sentence, not crashes.
    func testRejectsBadSettings() throws {
        var g = RandomGenerator(seed: 25)
        let problem = try TransportProblem(sourcePoints: Self.uniformCloud(5, &g), targetPoints: Self.uniformCloud(5, &g))
        XCTAssertThrowsError(try SinkhornSolver(epsilon: 0).solve(problem))
        XCTAssertThrowsError(try SinkhornSolver(epsilon: .nan).solve(problem))
        let unequal = try TransportProblem(
            source: DiscreteMeasure(points: Self.uniformCloud(3, &g), weights: [1, 1, 1], requireUnitMass: false),
            target: .uniform(Self.uniformCloud(3, &g)))
        XCTAssertThrowsError(try SinkhornSolver(epsilon: 0.1).solve(unequal)) { error in
            XCTAssertTrue("\(error)".contains("differs from the target mass"), "\(error)")
        }
    }
}
