import NumericalCore
@testable import OptimalTransport
import XCTest
import _TestSupport

/// The candidate-graph assignment (sparse solve, then certification on the full matrix)
/// against the dense LAPJV.
extension ExactTransportTests {
    /// Uniform clouds of several shapes (n, d) as problems, named for the messages.
    static func candidateCases(_ g: inout RandomGenerator) throws -> [(name: String, problem: TransportProblem)] {
        func shifted(_ c: Matrix, by mu: [Double]) -> Matrix {
            var c = c
            for i in 0..<c.rows { for k in 0..<c.columns { c[i, k] += mu[k] } }
            return c
        }
        func clustered(_ n: Int) -> Matrix {
            let centres = [[-4.0, 0], [0, 3], [5, -1], [1, 1], [-2, -5]]
            return Matrix(rows: n, columns: 2, elements: (0..<n).flatMap { i in centres[i % 5].map { $0 + 0.05 * g.normal() } })
        }
        // Points rounded to a grid of step 1/2: many duplicate points and exactly tied costs.
        func gridded(_ n: Int) -> Matrix { Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in (2 * g.normal()).rounded() / 2 }) }
        var cases = [(String, TransportProblem)]()
        for n in [150, 600] {
            cases.append(("N(0, I₂), n = \(n)", try TransportProblem(sourcePoints: cloud(n, 2, &g), targetPoints: cloud(n, 2, &g))))
        }
        cases.append(("N(0, I₃), n = 300", try TransportProblem(sourcePoints: cloud(300, 3, &g), targetPoints: cloud(300, 3, &g))))
        cases.append(("N(μ, I₂) against N(0, I₂), |μ| = 3",
                      try TransportProblem(sourcePoints: cloud(400, 2, &g), targetPoints: shifted(cloud(400, 2, &g), by: [1.8, -2.4]))))
        cases.append(("five tight clusters against N(0, 4 I₂)",
                      try TransportProblem(sourcePoints: clustered(400), targetPoints: cloud(400, 2, &g, scale: 2))))
        cases.append(("grid points with duplicates", try TransportProblem(sourcePoints: gridded(300), targetPoints: gridded(300))))
        let c = Matrix(rows: 200, columns: 200, elements: (0..<40_000).map { _ in g.uniform() })
        let w = [Double](repeating: 1.0 / 200, count: 200)
        cases.append(("uniform random cost matrix", try TransportProblem(costMatrix: c, sourceWeights: w, targetWeights: w)))
        return cases
    }

    /// With 2, 4 and 16 candidates per row and column the certified solver reaches the dense
    /// solver's optimal cost to 1e-12 (mean costs are O(1)–O(10), so this is rounding-level
    /// agreement; the certification tolerance is 1e-12 relative) and an LP certificate to 1e-9.
    func testCandidateGraphSolverEqualsDenseSolver() throws {
        var g = RandomGenerator(seed: 21)
        for (name, problem) in try Self.candidateCases(&g) {
            let dense = try AssignmentSolver(candidateCount: 0).solve(problem)
            assertCertificate(dense, problem.costMatrix, tolerance: 1e-9)
            for k in [2, 4, 16] {
                let sparse = try AssignmentSolver(candidateCount: k).solve(problem)
                assertClose(sparse.cost, dense.cost, atol: 1e-12, "\(name), \(k) candidates")
                assertCertificate(sparse, problem.costMatrix, tolerance: 1e-9)
                XCTAssertEqual(Set(sparse.assignment ?? []).count, problem.source.count, "\(name): not a permutation")
            }
        }
    }

    /// The repair paths run, on N(0, I₂) clouds with 8 candidates per row and column: the
    /// first graph misses optimal edges, so certification finds violations and the sparse
    /// repair adds them (more than one round); with no sparse repair allowed, the dense path
    /// phase finishes the violating rows. Both stay optimal. Sources on three sites give a
    /// graph far from a perfect matching (every row of a site has nearly the same nearest
    /// columns): the certified solver declines and the assignment solver runs densely.
    func testCertificationRepairsTheCandidateGraph() throws {
        var g = RandomGenerator(seed: 22)
        let clouds = try TransportProblem(sourcePoints: Self.cloud(500, 2, &g), targetPoints: Self.cloud(500, 2, &g))
        let n = clouds.source.count
        let zero = [Double](repeating: 0, count: n)
        let reference = try AssignmentSolver(candidateCount: 0).solve(clouds).cost
        for sparseRounds in [8, 0] {
            let solved = clouds.costMatrix.elements.withUnsafeBufferPointer {
                CertifiedAssignment.solve(cost: $0.baseAddress!, n: n, rowOffset: zero, columnOffset: zero, neighbors: 8,
                                          sparseRounds: sparseRounds)
            }
            let result = try XCTUnwrap(solved, "the 8-nearest graph should match all but a few rows")
            if sparseRounds > 0 {
                XCTAssertGreaterThan(result.certificationRounds, 1, "sparse repair")
            } else {
                XCTAssertGreaterThan(result.denseRows, 0, "dense finish")
            }
            let cost = (0..<n).reduce(0.0) { $0 + clouds.costMatrix[$1, result.assignment[$1]] } / Double(n)
            assertClose(cost, reference, atol: 1e-12, "\(sparseRounds) sparse rounds")
            var worst = 0.0
            for i in 0..<n {
                for j in 0..<n { worst = max(worst, result.rowPotential[i] + result.columnPotential[j] - clouds.costMatrix[i, j]) }
            }
            XCTAssertLessThanOrEqual(worst, 1e-9, "\(sparseRounds) sparse rounds: dual feasibility")
        }

        let sites = [[0.0, 0], [2, 1], [-1, 2]]
        let threeSites = try TransportProblem(sourcePoints: Matrix(rows: 300, columns: 2, elements: (0..<300).flatMap { sites[$0 % 3] }),
                                              targetPoints: Self.cloud(300, 2, &g))
        let declined = threeSites.costMatrix.elements.withUnsafeBufferPointer {
            CertifiedAssignment.solve(cost: $0.baseAddress!, n: 300, rowOffset: [Double](repeating: 0, count: 300),
                                      columnOffset: [Double](repeating: 0, count: 300), neighbors: 4)
        }
        XCTAssertNil(declined, "three source sites")
        assertClose(try AssignmentSolver(candidateCount: 4).solve(threeSites).cost,
                    try AssignmentSolver(candidateCount: 0).solve(threeSites).cost, atol: 1e-12, "three source sites")
    }
}
