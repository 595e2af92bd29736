import Foundation
import NumericalCore
import OptimalTransport
import XCTest
import _TestSupport

/// Unbalanced Sinkhorn: its fixed-point equations, duality, limits, and the JKO step.
/// Convention: min ⟨C, π⟩ + ε KL(π‖a⊗b) + ρ₁ KL(π1‖a) + ρ₂ KL(πᵀ1‖b), generalised KL.
final class UnbalancedSinkhornTests: XCTestCase {
    static func problem(seed: UInt64, n: Int, m: Int, massA: Double, massB: Double) throws -> TransportProblem {
        var g = RandomGenerator(seed: seed)
        let x = Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in g.normal() })
        let y = Matrix(rows: m, columns: 2, elements: (0..<(2 * m)).map { _ in g.normal() + 0.5 })
        let a = (0..<n).map { _ in 0.5 + g.uniform() }, b = (0..<m).map { _ in 0.5 + g.uniform() }
        let sa = a.reduce(0, +), sb = b.reduce(0, +)
        return try TransportProblem(
            source: DiscreteMeasure(points: x, weights: a.map { massA * $0 / sa }, requireUnitMass: false),
            target: DiscreteMeasure(points: y, weights: b.map { massB * $0 / sb }, requireUnitMass: false))
    }

    /// For soft/soft, hard/soft and soft/hard marginals: f = κ₁ softmin_ε(g) and
    /// g = κ₂ softmin_ε(f) hold to 1e-9 (tolerance 1e-11 on the iteration change), the
    /// marginal relation log(π1/a) = −f/ρ₁ holds on soft sides, hard sides have exact
    /// marginals, and primal = dual to 1e-8.
    func testSatisfiesFixedPointEquations() throws {
        let problem = try Self.problem(seed: 31, n: 40, m: 30, massA: 1.3, massB: 0.7)
        for (rho1, rho2) in [(0.5, 2.0), (Double.infinity, 1.0), (3.0, Double.infinity)] {
            let solver = UnbalancedSinkhornSolver(epsilon: 0.05, sourcePenalty: rho1, targetPenalty: rho2, tolerance: 1e-11)
            let s = try solver.solve(problem)
            XCTAssertTrue(s.converged, "ρ = (\(rho1), \(rho2))")
            let residual = solver.fixedPointResidual(problem, s)
            XCTAssertLessThan(max(residual.source, residual.target), 1e-9, "ρ = (\(rho1), \(rho2))")
            assertClose(s.objective, s.dualObjective, atol: 1e-8, "ρ = (\(rho1), \(rho2))")
            let rows = s.sourceMarginal, cols = s.targetMarginal
            for i in rows.indices {
                let expected = rho1.isFinite ? -s.sourcePotential[i] / rho1 : 0
                assertClose(log(rows[i] / problem.sourceWeights[i]), expected, atol: 1e-8)
            }
            for j in cols.indices {
                let expected = rho2.isFinite ? -s.targetPotential[j] / rho2 : 0
                assertClose(log(cols[j] / problem.targetWeights[j]), expected, atol: 1e-8)
            }
        }
    }

    /// With both penalties infinite the problem is balanced entropic OT: same plan as
    /// ``SinkhornSolver``; with huge penalties (ρ = 1e6) the plan is within O(ε/ρ) of it.
    func testBalancedLimit() throws {
        let problem = try Self.problem(seed: 32, n: 25, m: 20, massA: 1, massB: 1)
        let balanced = try SinkhornSolver(epsilon: 0.1, tolerance: 1e-13).solve(problem)
        let hard = try UnbalancedSinkhornSolver(epsilon: 0.1, sourcePenalty: .infinity, targetPenalty: .infinity,
                                                tolerance: 1e-13).solve(problem)
        assertClose(hard.plan, balanced.plan, atol: 1e-11)
        let soft = try UnbalancedSinkhornSolver(epsilon: 0.1, sourcePenalty: 1e6, targetPenalty: 1e6).solve(problem)
        assertClose(soft.plan, balanced.plan, atol: 1e-6)
    }

    /// Penalties ≤ 0, NaN or ε ≤ 0 are errors.
    func testRejectsBadPenalties() throws {
        let problem = try Self.problem(seed: 33, n: 4, m: 4, massA: 1, massB: 1)
        XCTAssertThrowsError(try UnbalancedSinkhornSolver(epsilon: 0.1, sourcePenalty: 0, targetPenalty: 1).solve(problem))
        XCTAssertThrowsError(try UnbalancedSinkhornSolver(epsilon: 0.1, sourcePenalty: 1, targetPenalty: .nan).solve(problem))
        XCTAssertThrowsError(try UnbalancedSinkhornSolver(epsilon: -1, sourcePenalty: 1, targetPenalty: 1).solve(problem))
    }
}
