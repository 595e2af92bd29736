import Foundation
import NumericalCore
@testable import OptimalTransport
import XCTest
import _TestSupport

/// The clustered problem on which Sinkhorn used to stop inside its plateau: two 800-point
/// 2D clouds of the same 6 tight clusters (std 0.05, centres uniform in [−4, 4]², each point
/// in a uniformly drawn cluster, so the cluster masses differ and mass must cross between
/// clusters), seeded. Convention: OT_ε = min ⟨C, π⟩ + ε KL(π ‖ a⊗b), C = |x − y|².
final class SinkhornClusteredTests: XCTestCase {
    static func clusteredClouds(seed: UInt64, count: Int = 800) -> (Matrix, Matrix) {
        var g = RandomGenerator(seed: seed)
        let centres = (0..<6).map { _ in [8 * g.uniform() - 4, 8 * g.uniform() - 4] }
        func cloud() -> Matrix {
            var e = [Double]()
            for _ in 0..<count {
                let c = centres[min(5, Int(g.uniform() * 6))]
                e += [c[0] + 0.05 * g.normal(), c[1] + 0.05 * g.normal()]
            }
            return Matrix(rows: count, columns: 2, elements: e)
        }
        let x = cloud()
        return (x, cloud())
    }

    /// A certificate computed here from the potentials alone (no solver status is trusted):
    /// the plan π = a⊗b·exp((f ⊕ g − C)/ε), its L1 marginal error, the primal objective
    /// ⟨C, π⟩ + ε KL(π ‖ a⊗b) (generalised KL) and the dual ⟨a, f⟩ + ⟨b, g⟩ − ε(Σπ − 1).
    static func certificate(_ x: Matrix, _ y: Matrix, f: [Double], g: [Double], epsilon: Double)
        -> (marginalError: Double, primal: Double, dual: Double) {
        let n = x.rows, m = y.rows, a = 1 / Double(n), b = 1 / Double(m)
        var rows = [Double](repeating: 0, count: n), columns = [Double](repeating: 0, count: m)
        var transport = 0.0, kl = 0.0, mass = 0.0
        for i in 0..<n {
            for j in 0..<m {
                let dx = x[i, 0] - y[j, 0], dy = x[i, 1] - y[j, 1], c = dx * dx + dy * dy
                let t = (f[i] + g[j] - c) / epsilon, p = a * b * exp(t)
                rows[i] += p; columns[j] += p; mass += p
                transport += p * c
                kl += p * t - p + a * b
            }
        }
        let error = rows.reduce(0) { $0 + abs($1 - a) } + columns.reduce(0) { $0 + abs($1 - b) }
        let dual = f.reduce(0, +) * a + g.reduce(0, +) * b - epsilon * (mass - 1)
        return (error, transport + epsilon * kl, dual)
    }

    /// OT_ε(α, β) certified: marginal error ≤ 1e-12 and primal = dual to 1e-12 (relative).
    func certifiedOT(_ x: Matrix, _ y: Matrix, epsilon: Double, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
        let s = try SinkhornSolver(epsilon: epsilon, tolerance: 5e-13, maximumIterations: 2_000)
            .solve(TransportProblem(sourcePoints: x, targetPoints: y))
        let cert = Self.certificate(x, y, f: s.sourcePotential, g: s.targetPotential, epsilon: epsilon)
        XCTAssertLessThanOrEqual(cert.marginalError, 1e-12, "ε = \(epsilon)", file: file, line: line)
        // Gap = ⟨f, π1 − a⟩ + ⟨g, πᵀ1 − b⟩ ≲ marginal error × max|potential| (≈ 1e-12 · 30) plus
        // the round-off of n·m = 640 000 summands: 1e-11 relative.
        assertClose(cert.primal, cert.dual, rtol: 1e-11, "primal vs dual, ε = \(epsilon)", file: file, line: line)
        return cert.dual
    }

    /// `sinkhorn` as reported (tolerance 1e-9 on the marginal error) equals the divergence
    /// assembled from the three certified terms to 3e-8 relative (the value's error is about
    /// marginal error × potential range ≈ 1e-9 · 30), at ε = 0.01 (the case that stopped
    /// 9 % low; ε = 0.1 runs in `jko bench transport`).
    func testClusteredDivergenceMatchesItsCertifiedValue() throws {
        let (x, y) = Self.clusteredClouds(seed: 17)
        for epsilon in [0.01] {
            let reported = try CloudDistance.sinkhorn.measure(x, y, epsilon: epsilon)
            XCTAssertTrue(reported.converged, "ε = \(epsilon): \(reported.note ?? "")")
            let certified = try certifiedOT(x, y, epsilon: epsilon)
                - 0.5 * (try certifiedOT(x, x, epsilon: epsilon)) - 0.5 * (try certifiedOT(y, y, epsilon: epsilon))
            assertClose(reported.value, certified, rtol: 3e-8, "ε = \(epsilon)")
            print("clustered sinkhorn ε = \(epsilon): reported \(reported.value), certified \(certified)")
        }
    }

    /// The iteration cap reached first is a `notConverged` status with its marginal error,
    /// and `evaluate` refuses the number.
    func testIterationCapGivesNotConverged() throws {
        let (x, y) = Self.clusteredClouds(seed: 17, count: 200)
        let s = try SinkhornSolver(epsilon: 0.01, maximumIterations: 30, newtonPolish: false)
            .solve(TransportProblem(sourcePoints: x, targetPoints: y))
        XCTAssertEqual(s.status, .notConverged)
        XCTAssertGreaterThan(s.marginalError, 1e-9)
        let divergence = try SinkhornDivergence(solver: SinkhornSolver(epsilon: 0.01, maximumIterations: 30, newtonPolish: false))
            .evaluate(.uniform(x), .uniform(y))
        XCTAssertEqual(divergence.status, .notConverged)
        XCTAssertGreaterThan(divergence.marginalError, 1e-9)
    }
}

/// ε below what Double resolves for the data's scale is refused with the smallest usable ε.
final class SinkhornEpsilonRangeTests: XCTestCase {
    func testRejectsEpsilonBelowTheDoubleResolution() throws {
        var g = RandomGenerator(seed: 83)
        let x = Matrix(rows: 20, columns: 2, elements: (0..<40).map { _ in g.normal() })
        let y = Matrix(rows: 20, columns: 2, elements: (0..<40).map { _ in g.normal() })
        let problem = try TransportProblem(sourcePoints: x, targetPoints: y)
        let smallest = SinkhornSolver.smallestEpsilon(forCostScale: problem.costMatrix.maxAbs)
        assertClose(smallest, problem.costMatrix.maxAbs * 0x1p-52, rtol: 0)
        for make in [{ try SinkhornSolver(epsilon: 1e-300).solve(problem) },
                     { try UnbalancedSinkhornSolver(epsilon: 1e-300, sourcePenalty: .infinity, targetPenalty: 1).solve(problem) }] as [() throws -> EntropicTransportSolution] {
            XCTAssertThrowsError(try make()) { error in
                XCTAssertTrue("\(error)".contains("smallest usable value \(smallest)"), "\(error)")
            }
        }
        XCTAssertThrowsError(try CloudDistance.sinkhorn.evaluate(x, y, epsilon: 1e-300)) { error in
            XCTAssertTrue("\(error)".contains("use epsilon ≥"), "\(error)")
        }
        // At the limit itself the solver runs; what it reaches there (here NaN: `diverged`) is
        // a status, and the named metric refuses the number instead of printing −inf.
        XCTAssertNoThrow(try SinkhornSolver(epsilon: smallest, maximumIterations: 3, newtonPolish: false).solve(problem))
        let xs = Matrix((0..<20).map(x.row)), limit = SinkhornSolver.smallestEpsilon(forCostScale: problem.costMatrix.maxAbs) * 4
        XCTAssertThrowsError(try CloudDistance.sinkhorn.evaluate(xs, y, epsilon: limit, maximumIterations: 50)) { error in
            XCTAssertTrue("\(error)".contains("did not converge"), "\(error)")
        }
    }
}
