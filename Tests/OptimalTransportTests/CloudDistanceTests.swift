import Foundation
import NumericalCore
import OptimalTransport
import Probability
import XCTest
import _TestSupport

/// Sliced W₂, Gaussian-fit SymKL, MMD, k-NN KL estimates and the named metrics.
final class CloudDistanceTests: XCTestCase {
    static func cloud(_ n: Int, _ d: Int, _ g: inout RandomGenerator, shift: [Double]? = nil) -> Matrix {
        var m = Matrix(rows: n, columns: d, elements: (0..<(n * d)).map { _ in g.normal() })
        if let shift { for i in 0..<n { for k in 0..<d { m[i, k] += shift[k] } } }
        return m
    }

    /// In 1D every direction is ±1, so SW₂ = W₂ exactly; for a translate y = x + τ each
    /// slice moves by θ·τ, so SW₂² = mean of (θ·τ)², whose expectation is |τ|²/d (within 5 %
    /// at L = 4096 seeded directions: the Monte Carlo relative sd is √(2/L)·… ≈ 2 %).
    /// Same seed, same value; SW₂ ≤ W₂.
    func testSlicedWasserstein() throws {
        var g = RandomGenerator(seed: 41)
        let x1 = Self.cloud(300, 1, &g), y1 = Self.cloud(200, 1, &g, shift: [0.7])
        assertClose(try SlicedWasserstein(directionCount: 3).distance(x1, y1),
                    try ExactTransport.wassersteinDistance(x1, y1), rtol: 1e-12)

        let x = Self.cloud(400, 3, &g)
        var y = x
        for i in 0..<400 { y[i, 0] += 1; y[i, 1] -= 2; y[i, 2] += 0.5 }
        let sliced = SlicedWasserstein(directionCount: 4096, seed: 7)
        assertClose(try sliced.squaredDistance(x, y), 5.25 / 3, rtol: 0.05)
        XCTAssertEqual(try sliced.squaredDistance(x, y), try sliced.squaredDistance(x, y))

        let z = Self.cloud(400, 3, &g, shift: [0.3, 0, 0])
        XCTAssertLessThanOrEqual(try SlicedWasserstein().distance(x, z), try ExactTransport.wassersteinDistance(x, z))
        XCTAssertThrowsError(try SlicedWasserstein(directionCount: 0).distance(x, z))
    }

    /// Fits by construction: A = {(±1, 0), (0, ±1)} (mean 0, covariance (2/3)I), B = 2A + (3, 4)
    /// (covariance (8/3)I). SymKL = ½ tr(S₂⁻¹S₁ + S₁⁻¹S₂) − d + ½ Δmᵀ(S₁⁻¹ + S₂⁻¹)Δm
    /// = ½(½ + 8) − 2 + ½·25·(3/2 + 3/8) = 25.6875.
    func testGaussianFitSymmetricKL() throws {
        let a = Matrix([[1, 0], [-1, 0], [0, 1], [0, -1]])
        var b = a
        for i in 0..<4 { b[i, 0] = 2 * a[i, 0] + 3; b[i, 1] = 2 * a[i, 1] + 4 }
        assertClose(try GaussianFitDivergence.symmetricKL(a, b), 25.6875, rtol: 1e-12)
        assertClose(try CloudDistance.symkl.evaluate(a, b), 25.6875, rtol: 1e-12)
        XCTAssertThrowsError(try GaussianFitDivergence.symmetricKL(Matrix([[0, 0], [1, 1]]), b)) { error in
            XCTAssertTrue("\(error)".contains("needs more than 2 points"), "\(error)")
        }
    }

    /// Hand value: x = {0}, y = {1}, σ = 1: biased MMD² = 2 − 2e^{−1/2}. Median heuristic on
    /// x = {0, 1}, y = {3}: pairwise distances {1, 2, 3}, median 2. Population value for
    /// N(0, I₂) vs N(μ, I₂), σ = 1: E k = (σ²/(σ² + 2))^{d/2} e^{−|Δ|²/(2(σ² + 2))}, so
    /// MMD² = (2/3)(1 − e^{−|μ|²/6}); the unbiased estimate at n = m = 1500 is within 0.02
    /// (about 2.5 sd: the sampling error of the cloud means alone moves it by ≈ 0.007).
    func testMaximumMeanDiscrepancy() throws {
        let fixed = MaximumMeanDiscrepancy(bandwidth: 1)
        assertClose(try fixed.squaredDistance(Matrix([[0.0]]), Matrix([[1.0]]), unbiased: false), 2 - 2 * exp(-0.5), rtol: 1e-14)
        assertClose(MaximumMeanDiscrepancy().resolvedBandwidth(Matrix([[0.0], [1]]), Matrix([[3.0]])), 2, rtol: 0)
        var g = RandomGenerator(seed: 42)
        let x = Self.cloud(1500, 2, &g), y = Self.cloud(1500, 2, &g, shift: [0.6, -0.8])
        assertClose(try fixed.squaredDistance(x, y), 2.0 / 3 * (1 - exp(-1.0 / 6)), atol: 0.02)
        XCTAssertThrowsError(try MaximumMeanDiscrepancy(bandwidth: -1).squaredDistance(x, y))
    }

    /// k-NN estimates against closed-form Gaussian KLs (2D, n = 3000 from N(0, I), q =
    /// N((0.5, 0), 0.8² I)): KL(ρ‖q), KL(q‖ρ) and their sum within 0.05 (estimator bias +
    /// sampling error, seeded). q is narrower than ρ on purpose: the reverse estimate needs
    /// ρ's density where q puts mass, and the k-NN density is biased in ρ's sparse tails.
    func testNearestNeighbourKLAgainstKnownDensity() throws {
        var g = RandomGenerator(seed: 43)
        let x = Self.cloud(3000, 2, &g)
        let rho = try Gaussian(mean: [0, 0], standardDeviation: 1)
        let q = try Gaussian(mean: [0.5, 0], standardDeviation: 0.8)
        let estimator = NearestNeighborDivergence(neighbourCount: 5, referenceSampleCount: 3000, seed: 3)
        assertClose(try estimator.klDivergence(x, to: q), rho.klDivergence(to: q), atol: 0.05)
        assertClose(try estimator.reverseKLDivergence(x, from: q), q.klDivergence(to: rho), atol: 0.05)
        assertClose(try estimator.symmetricKL(x, q), rho.symmetricKL(q), atol: 0.05)
    }

    /// Every named metric runs and agrees with the type it names; identical clouds give 0
    /// (Sinkhorn's S_ε(α, α) = 0 is tested in SinkhornTests: the cross term of a cloud with
    /// itself converges slowly at small ε, the kernel being nearly diagonal).
    func testNamedMetrics() throws {
        var g = RandomGenerator(seed: 44)
        let x = Self.cloud(120, 2, &g), y = Self.cloud(100, 2, &g, shift: [1, 0])
        assertClose(try CloudDistance.w2.evaluate(x, y), try ExactTransport.wassersteinDistance(x, y), rtol: 1e-14)
        assertClose(try CloudDistance.bures.evaluate(x, y), try BuresWasserstein.distanceBetweenFits(x, y), rtol: 1e-14)
        for metric in CloudDistance.allCases {
            let value = try metric.evaluate(x, y, epsilon: 0.05)
            XCTAssertTrue(value.isFinite && value > 0, "\(metric): \(value)")
            if metric != .sinkhorn { assertClose(try metric.evaluate(x, x), 0, atol: 1e-6, "\(metric)") }
        }
    }
}
