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

    /// One JKO step of KL(·‖ν) as a fixed-source / soft-target UOT problem (DESIGN.md §1.3)
    /// reproduces the exact Gaussian JKO step (DESIGN.md §1.1).
    ///
    /// Continuous step: current μ = N(m, σ²), target ν = N(b, 1/A), step h; the minimiser
    /// of W₂²(μ, ρ)/(2h) + KL(ρ‖ν) is N(m', σ'²) with m' = (m + hAb)/(1 + hA),
    /// σ' = σ[1 + √(1 + 4h(1 + hA)/σ²)] / (2(1 + hA)).
    ///
    /// Discrete analogue: one grid yⱼ = −4 + jΔ (Δ = 0.05) for both sides, aᵢ ∝ μ(yᵢ),
    /// bⱼ ∝ ν(yⱼ) (normalised), Cᵢⱼ = (yᵢ − yⱼ)²/(2h), ρ₁ = ∞ (π1 = a: the source is fixed),
    /// ρ₂ = 1 (the marginal penalty KL(πᵀ1‖b) is KL(ρ‖ν) of the discretised densities,
    /// since pⱼ/bⱼ = ρ(yⱼ)/ν(yⱼ)), and ε KL(π‖a⊗b), the discrete form of ε KL(π‖μ⊗ν).
    /// Its target marginal p = πᵀ1 is the discrete JKO iterate. As Δ → 0 and ε → 0 it tends
    /// to N(m', σ'²); at Δ = 0.05 the grid moments of these Gaussians are exact to ~1e-10,
    /// so the error is the entropic bias, which is O(ε): it halves when ε halves
    /// (observed order in ε within [0.8, 1.3]) and the Richardson extrapolation
    /// 2·r(ε/2) − r(ε) matches m' and σ' to 5e-4. Case: m = −1, σ = 0.5, b = 1, A = 1, h = 0.25
    /// (m' = −0.6, σ' = 0.5(1 + √6)/2.5 ≈ 0.68990).
    func testFixedSourceSoftTargetIsAJKOStep() throws {
        let h = 0.25, m = -1.0, sigma = 0.5, b = 1.0, precision = 1.0
        let mNext = (m + h * precision * b) / (1 + h * precision)
        let sNext = sigma * (1 + (1 + 4 * h * (1 + h * precision) / (sigma * sigma)).squareRoot()) / (2 * (1 + h * precision))
        let grid = (0...180).map { -4.0 + 0.05 * Double($0) }
        func discretised(_ mean: Double, _ sd: Double) -> [Double] {
            let w = grid.map { exp(-0.5 * ($0 - mean) * ($0 - mean) / (sd * sd)) }
            let total = w.reduce(0, +)
            return w.map { $0 / total }
        }
        let problem = try TransportProblem(source: .line(grid, weights: discretised(m, sigma)),
                                           target: .line(grid, weights: discretised(b, 1 / precision.squareRoot())),
                                           cost: .scaledSquaredEuclidean(1 / (2 * h)))
        var means = [Double](), deviations = [Double]()
        for epsilon in [0.04, 0.02] {
            let s = try UnbalancedSinkhornSolver(epsilon: epsilon, sourcePenalty: .infinity, targetPenalty: 1,
                                                 tolerance: 1e-8).solve(problem)
            XCTAssertTrue(s.converged)
            let p = s.targetMarginal
            assertClose(p.reduce(0, +), 1, atol: 1e-9)   // mass is carried by the hard source side
            let mean = zip(p, grid).reduce(0) { $0 + $1.0 * $1.1 }
            let variance = zip(p, grid).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) }
            means.append(mean)
            deviations.append(variance.squareRoot())
        }
        let meanOrder = log2(abs(means[0] - mNext) / abs(means[1] - mNext))
        let deviationOrder = log2(abs(deviations[0] - sNext) / abs(deviations[1] - sNext))
        XCTAssertTrue((0.8...1.3).contains(meanOrder), "means \(means) vs \(mNext)")
        XCTAssertTrue((0.8...1.3).contains(deviationOrder), "deviations \(deviations) vs \(sNext)")
        assertClose(2 * means[1] - means[0], mNext, atol: 5e-4)
        assertClose(2 * deviations[1] - deviations[0], sNext, atol: 5e-4)
        assertClose(means[1], mNext, atol: 0.01)       // the raw ε = 0.02 answer, O(ε) off
        assertClose(deviations[1], sNext, atol: 1e-3)
    }
}
