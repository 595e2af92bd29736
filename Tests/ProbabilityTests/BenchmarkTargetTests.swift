import NumericalCore
import Probability
import XCTest
import _TestSupport

/// The random OU benchmark target (scikit-learn's make_spd_matrix covariance, b ~ N(0, I)).
final class BenchmarkTargetTests: XCTestCase {
    /// The same draws as the construction: G (d² uniforms), u (d uniforms), b (d normals).
    func redraw(dimension d: Int, seed: UInt64) -> (u: [Double], b: [Double]) {
        var rng = RandomGenerator(seed: seed)
        for _ in 0..<(d * d) { _ = rng.uniform() }
        let u = (0..<d).map { _ in rng.uniform() }
        return (u, rng.normals(d))
    }

    /// Σ = Q(11ᵀ + diag u)Qᵀ with Q orthogonal: tr Σ = d + Σuᵢ, tr Σ² = ‖11ᵀ + diag u‖_F², one
    /// eigenvalue ≥ d + min u (Weyl) and the other d − 1 interlacing the sorted uᵢ; b is the
    /// normal draw; the same seed gives the same target, another seed another one.
    func testSpectrumAndMeanFollowTheConstruction() throws {
        for (d, seed) in [(1, 3), (2, 0), (6, 11), (32, 5)] as [(Int, UInt64)] {
            let target = try Gaussian.benchmarkTarget(dimension: d, seed: seed)
            let (u, b) = redraw(dimension: d, seed: seed)
            XCTAssertEqual(target.dimension, d)
            assertClose(target.mean, b, atol: 0)
            assertClose(target.covariance.trace, Double(d) + u.reduce(0, +), rtol: 1e-12)
            var core = Matrix(rows: d, columns: d, repeating: 1)
            for i in 0..<d { core[i, i] += u[i] }
            let sigmaSquared = target.covariance * target.covariance
            assertClose(sigmaSquared.trace, core.frobeniusNorm * core.frobeniusNorm, rtol: 1e-12)
            let lambda = try target.covariance.symmetricEigen().values, sorted = u.sorted()
            XCTAssertGreaterThanOrEqual(lambda[d - 1], Double(d) + sorted[0] - 1e-9)
            for i in 0..<(d - 1) {
                XCTAssertGreaterThanOrEqual(lambda[i], sorted[i] - 1e-12, "d = \(d), eigenvalue \(i)")
                XCTAssertLessThanOrEqual(lambda[i], sorted[i + 1] + 1e-12, "d = \(d), eigenvalue \(i)")
            }
            XCTAssertEqual(try Gaussian.benchmarkTarget(dimension: d, seed: seed), target)
        }
        XCTAssertNotEqual(try Gaussian.benchmarkTarget(dimension: 4, seed: 1).covariance,
                          try Gaussian.benchmarkTarget(dimension: 4, seed: 2).covariance)
        XCTAssertThrowsError(try Gaussian.benchmarkTarget(dimension: 0, seed: 0)) { error in
            XCTAssertEqual("\(error)", "the random target needs a dimension of at least 1 (got 0)")
        }
    }
}
