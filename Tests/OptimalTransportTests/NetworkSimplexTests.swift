import Foundation
import NumericalCore
@testable import OptimalTransport
import XCTest
import _TestSupport

/// The network simplex solver (unequal sizes, weights) against the successive-shortest-path
/// solver and its own LP certificate.
final class NetworkSimplexTests: XCTestCase {
    static func cloud(_ n: Int, _ d: Int, _ g: inout RandomGenerator, shift: Double = 0) -> Matrix {
        Matrix(rows: n, columns: d, elements: (0..<(n * d)).map { _ in g.normal() + shift })
    }

    static func weights(_ n: Int, _ g: inout RandomGenerator) -> [Double] {
        let w = (0..<n).map { _ in 0.1 + g.uniform() }
        let s = w.reduce(0, +)
        return w.map { $0 / s }
    }

    /// Checks primal feasibility (marginals), dual feasibility on all n·m entries,
    /// complementary slackness and strong duality; returns the cost.
    func assertCertified(_ s: ExactTransportSolution, _ problem: TransportProblem, _ label: String,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(s.status, .converged, label, file: file, line: line)
        // Marginals are sums of a few weights: rounding level.
        XCTAssertLessThanOrEqual(s.marginalError, 1e-14, "marginal error, \(label)", file: file, line: line)
        let c = problem.costMatrix
        var worst = 0.0
        for i in 0..<c.rows { for j in 0..<c.columns { worst = min(worst, c[i, j] - s.sourcePotential[i] - s.targetPotential[j]) } }
        // τ = 1e-13 (1 + max C) is the solver's certification tolerance.
        XCTAssertGreaterThanOrEqual(worst, -1e-13 * (1 + c.maxAbs), "dual feasibility, \(label)", file: file, line: line)
        for e in s.entries {
            XCTAssertLessThanOrEqual(abs(c[e.source, e.target] - s.sourcePotential[e.source] - s.targetPotential[e.target]),
                                     1e-11, "complementary slackness, \(label)", file: file, line: line)
        }
        assertClose(s.dualObjective, s.cost, atol: 1e-12, "strong duality, \(label)", file: file, line: line)
    }

    /// Random sizes 1–60 × 1–60 in 1–3 dimensions, uniform and random weights, shifted
    /// clouds and random non-metric cost matrices, both the dense pricing and the sparse
    /// candidate graph with 2 neighbours (which forces several certification rounds):
    /// the cost agrees with successive shortest paths to 1e-12 (costs are O(1)–O(10)).
    func testAgreesWithShortestPathsAndIsCertified() throws {
        var g = RandomGenerator(seed: 71)
        for trial in 0..<40 {
            let n = 1 + Int(g.uniform() * 60), m = 1 + Int(g.uniform() * 60), d = 1 + trial % 3
            let problem: TransportProblem
            if trial % 4 == 3 {
                let c = Matrix(rows: n, columns: m, elements: (0..<(n * m)).map { _ in g.uniform() })
                problem = try TransportProblem(costMatrix: c, sourceWeights: Self.weights(n, &g), targetWeights: Self.weights(m, &g))
            } else {
                let x = Self.cloud(n, d, &g), y = Self.cloud(m, d, &g, shift: trial % 4 == 2 ? 3 : 0)
                let a = trial % 2 == 0 ? try DiscreteMeasure.uniform(x) : try DiscreteMeasure(points: x, weights: Self.weights(n, &g))
                problem = try TransportProblem(source: a, target: try DiscreteMeasure(points: y, weights: Self.weights(m, &g)))
            }
            let reference = try ShortestPathTransportSolver().solve(problem).cost
            for solver in [NetworkSimplexTransportSolver(), NetworkSimplexTransportSolver(candidateCount: 2, denseLimit: 0, violationsPerRow: 2)] {
                let s = try solver.solve(problem)
                let label = "trial \(trial), \(n)×\(m), d = \(d), dense limit \(solver.denseLimit)"
                assertClose(s.cost, reference, atol: 1e-12, label)
                assertCertified(s, problem, label)
            }
        }
    }

    /// 700 × 499 Gaussian clouds (sparse graph, certified on the full matrix) against
    /// successive shortest paths, and ExactTransport picks this solver for unequal sizes.
    func testUnequalCloudsAgainstShortestPaths() throws {
        var g = RandomGenerator(seed: 72)
        let problem = try TransportProblem(sourcePoints: Self.cloud(300, 2, &g), targetPoints: Self.cloud(199, 2, &g))
        let start = Date()
        let s = try ExactTransport.solve(problem)
        let seconds = Date().timeIntervalSince(start)
        let reference = try ShortestPathTransportSolver().solve(problem)
        assertClose(s.cost, reference.cost, atol: 1e-12)
        assertCertified(s, problem, "300×199")
        print("network simplex 300×199: \(seconds) s, \(s.iterations) pivots")
    }
}
