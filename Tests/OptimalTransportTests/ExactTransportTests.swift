import NumericalCore
import OptimalTransport
import XCTest
import _TestSupport

/// Exact solvers against brute force, LP certificates and each other.
final class ExactTransportTests: XCTestCase {
    /// min over all permutations σ of (1/n) Σᵢ C[i, σ(i)]: the brute-force reference.
    static func bruteForceAssignment(_ c: Matrix) -> Double {
        let n = c.rows
        var perm = Array(0..<n), best = Double.infinity
        func visit(_ k: Int, _ partial: Double) {
            if partial >= best { return }
            if k == n { best = partial; return }
            for t in k..<n {
                perm.swapAt(k, t)
                visit(k + 1, partial + c[k, perm[k]])
                perm.swapAt(k, t)
            }
        }
        visit(0, 0)
        return best / Double(n)
    }

    static func cloud(_ n: Int, _ d: Int, _ g: inout RandomGenerator, scale: Double = 1) -> Matrix {
        Matrix(rows: n, columns: d, elements: (0..<(n * d)).map { _ in scale * g.normal() })
    }

    /// n ≤ 7, random clouds in 2D and random non-metric cost matrices: LAPJV and the
    /// shortest-path solver both reach the brute-force optimum to 1e-12 (costs are O(1),
    /// so this is rounding-level agreement).
    func testMatchesBruteForceOverPermutations() throws {
        var g = RandomGenerator(seed: 11)
        for trial in 0..<30 {
            let n = 1 + trial % 7
            let problem: TransportProblem
            if trial % 2 == 0 {
                problem = try TransportProblem(sourcePoints: Self.cloud(n, 2, &g), targetPoints: Self.cloud(n, 2, &g))
            } else {
                let c = Matrix(rows: n, columns: n, elements: (0..<(n * n)).map { _ in g.uniform() })
                let w = [Double](repeating: 1 / Double(n), count: n)
                problem = try TransportProblem(costMatrix: c, sourceWeights: w, targetWeights: w)
            }
            let reference = Self.bruteForceAssignment(problem.costMatrix)
            let lap = try AssignmentSolver().solve(problem)
            let ssp = try ShortestPathTransportSolver().solve(problem)
            assertClose(lap.cost, reference, atol: 1e-12, "LAPJV, trial \(trial)")
            assertClose(ssp.cost, reference, atol: 1e-12, "shortest paths, trial \(trial)")
            XCTAssertNotNil(lap.assignment)
            XCTAssertEqual(Set(lap.assignment ?? []).count, n)
        }
    }

    /// Weighted case against a second method: weights in multiples of 1/6 are the same
    /// measure as 6 unit atoms of mass 1/6 (an atom of weight k/6 repeated k times), whose
    /// OT cost is a brute-force minimum over the 720 permutations of 6 items.
    func testWeightedMatchesExpandedBruteForce() throws {
        var g = RandomGenerator(seed: 12)
        for _ in 0..<5 {
            let x = Self.cloud(3, 2, &g), y = Self.cloud(4, 2, &g)
            let a = [1.0, 2, 3].map { $0 / 6 }, b = [2.0, 1, 1, 2].map { $0 / 6 }
            let problem = try TransportProblem(source: DiscreteMeasure(points: x, weights: a),
                                               target: DiscreteMeasure(points: y, weights: b))
            let rowsOf = [0, 1, 1, 2, 2, 2], colsOf = [0, 0, 1, 2, 3, 3]
            var expanded = Matrix(rows: 6, columns: 6)
            for r in 0..<6 { for c in 0..<6 { expanded[r, c] = problem.costMatrix[rowsOf[r], colsOf[c]] } }
            let solution = try ExactTransport.solve(problem)
            assertClose(solution.cost, Self.bruteForceAssignment(expanded), atol: 1e-12)
            XCTAssertLessThan(solution.marginalError, 1e-14)
            XCTAssertLessThanOrEqual(solution.entries.count, 3 + 4 - 1)
        }
    }

    /// Checks the LP optimality certificate: fᵢ + gⱼ ≤ Cᵢⱼ everywhere, equality on the
    /// support of π, and primal = dual, all to `tolerance`.
    func assertCertificate(_ s: ExactTransportSolution, _ c: Matrix, tolerance: Double,
                           file: StaticString = #filePath, line: UInt = #line) {
        var worstViolation = 0.0, worstSlack = 0.0
        for i in 0..<c.rows {
            for j in 0..<c.columns {
                worstViolation = max(worstViolation, s.sourcePotential[i] + s.targetPotential[j] - c[i, j])
            }
        }
        for e in s.entries { worstSlack = max(worstSlack, abs(c[e.source, e.target] - s.sourcePotential[e.source] - s.targetPotential[e.target])) }
        XCTAssertLessThanOrEqual(worstViolation, tolerance, "dual feasibility", file: file, line: line)
        XCTAssertLessThanOrEqual(worstSlack, tolerance, "complementary slackness", file: file, line: line)
        assertClose(s.dualObjective, s.cost, atol: tolerance, "strong duality", file: file, line: line)
        XCTAssertLessThanOrEqual(s.marginalError, 1e-13, "marginals", file: file, line: line)
    }

    /// n = 500: dual feasibility and complementary slackness to 1e-9, uniform (LAPJV) and
    /// weighted with unequal sizes (shortest paths).
    func testDualCertificateAtFiveHundredPoints() throws {
        var g = RandomGenerator(seed: 13)
        let uniform = try TransportProblem(sourcePoints: Self.cloud(500, 2, &g), targetPoints: Self.cloud(500, 2, &g))
        assertCertificate(try AssignmentSolver().solve(uniform), uniform.costMatrix, tolerance: 1e-9)

        func weights(_ n: Int) -> [Double] {
            let w = (0..<n).map { _ in 0.1 + g.uniform() }
            let s = w.reduce(0, +)
            return w.map { $0 / s }
        }
        let weighted = try TransportProblem(
            source: DiscreteMeasure(points: Self.cloud(500, 2, &g), weights: weights(500)),
            target: DiscreteMeasure(points: Self.cloud(300, 2, &g), weights: weights(300)))
        let solution = try ShortestPathTransportSolver().solve(weighted)
        XCTAssertTrue(solution.converged)
        assertCertificate(solution, weighted.costMatrix, tolerance: 1e-9)
    }

    /// On 1D data the sorting solver and the d-dimensional solvers agree to 1e-12:
    /// uniform equal sizes (LAPJV) and weighted unequal sizes (shortest paths).
    func testOneDimensionalSolverEqualsGeneralSolver() throws {
        var g = RandomGenerator(seed: 14)
        let x = Self.cloud(300, 1, &g), y = Self.cloud(300, 1, &g, scale: 2)
        let a = try DiscreteMeasure.uniform(x), b = try DiscreteMeasure.uniform(y)
        let sorted = try QuantileTransport.solve(source: a, target: b)
        let general = try AssignmentSolver().solve(TransportProblem(source: a, target: b))
        assertClose(sorted.cost, general.cost, atol: 1e-12)

        let wa = (0..<40).map { _ in g.uniform() }, wb = (0..<25).map { _ in g.uniform() }
        let p = try DiscreteMeasure(points: Self.cloud(40, 1, &g), weights: wa.map { $0 / wa.reduce(0, +) })
        let q = try DiscreteMeasure(points: Self.cloud(25, 1, &g), weights: wb.map { $0 / wb.reduce(0, +) })
        let problem = try TransportProblem(source: p, target: q)
        let sortedWeighted = try QuantileTransport.solve(source: p, target: q)
        assertClose(sortedWeighted.cost, try ShortestPathTransportSolver().solve(problem).cost, atol: 1e-12)
        assertCertificate(sortedWeighted, problem.costMatrix, tolerance: 1e-12)
        // The O(n + m) sorted-values routine used by sliced W₂ agrees with the general one.
        let xs = x.elements.sorted(), ys = Array(y.elements.sorted().prefix(170))
        let merged = xs.withUnsafeBufferPointer { u in ys.withUnsafeBufferPointer { v in QuantileTransport.squaredDistanceOfSorted(u, v) } }
        assertClose(merged, try QuantileTransport.solve(source: a, target: .line(ys)).cost, atol: 1e-12)
    }

    /// W₂(N(0, I)ⁿ, N(μ, I)ⁿ) → |μ| as n grows (2D, |μ| = 1.25): the empirical error
    /// shrinks with n (≈ √(log n / n) in 2D) and is below 0.05 at n = 2000.
    func testEmpiricalW2ApproachesMeanShift() throws {
        var g = RandomGenerator(seed: 15)
        let mu = [0.75, -1.0]
        var errors = [Double]()
        for n in [50, 400, 2000] {
            let x = Self.cloud(n, 2, &g)
            var y = Self.cloud(n, 2, &g)
            for i in 0..<n { y[i, 0] += mu[0]; y[i, 1] += mu[1] }
            errors.append(abs(try ExactTransport.wassersteinDistance(x, y) - 1.25))
        }
        XCTAssertLessThan(errors[2], errors[0])
        XCTAssertLessThan(errors[2], 0.05, "errors \(errors)")
    }
}
