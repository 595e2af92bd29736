import NeuralNetworks
import NumericalCore
import XCTest
import _TestSupport

/// Initialisers: PyTorch's fan conventions, the bounds of the uniform cases, the sample
/// moments of the normal cases, and reproducibility from a seed.
final class InitializerTests: XCTestCase {
    func testFansFollowPyTorch() {
        XCTAssertTrue(Initializer.fans(ofWeightShape: [128, 2]) == (2, 128))
        XCTAssertTrue(Initializer.fans(ofWeightShape: [16, 3, 3, 3]) == (27, 144))
    }

    func testUniformBoundsAndVariance() {
        // [out, in] = [200, 50]: 10 000 draws.
        let cases: [(Initializer, Double)] = [
            (.linearDefault, 1 / 50.0.squareRoot()),
            (.kaimingUniform(), 2.0.squareRoot() * (3 / 50.0).squareRoot()),
            (.xavierUniform(), (6 / 250.0).squareRoot()),
        ]
        for (initializer, bound) in cases {
            var rng = RandomGenerator(seed: 7)
            let w: [Double] = initializer.values(shape: [200, 50], generator: &rng)
            XCTAssertEqual(w.count, 10_000)
            XCTAssertLessThanOrEqual(w.map(abs).max()!, bound)
            XCTAssertGreaterThan(w.map(abs).max()!, 0.99 * bound, "\(initializer) should fill its interval")
            // Var U(−b, b) = b²/3; the sample variance of 10⁴ draws is within ~3% (5σ ≈ 4.5%).
            let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
            assertClose(variance, bound * bound / 3, rtol: 0.05, "\(initializer)")
        }
    }

    func testNormalStandardDeviations() {
        let cases: [(Initializer, Double)] = [
            (.kaimingNormal(), (2 / 50.0).squareRoot()),
            (.xavierNormal(gain: 2), 2 * (2 / 250.0).squareRoot()),
        ]
        for (initializer, sigma) in cases {
            var rng = RandomGenerator(seed: 11)
            let w: [Double] = initializer.values(shape: [200, 50], generator: &rng)
            let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
            // Sample variance of 10⁴ normals: relative σ = √(2/10⁴) ≈ 1.4%; 5%.
            assertClose(variance, sigma * sigma, rtol: 0.05, "\(initializer)")
        }
    }

    func testSeedFixesTheValues() {
        var a = RandomGenerator(seed: 3), b = RandomGenerator(seed: 3)
        let x: [Float] = Initializer.linearDefault.values(shape: [4, 3], generator: &a)
        let y: [Float] = Initializer.linearDefault.values(shape: [4, 3], generator: &b)
        XCTAssertEqual(x, y)
        var c = RandomGenerator(seed: 4)
        let z: [Float] = Initializer.linearDefault.values(shape: [4, 3], generator: &c)
        XCTAssertNotEqual(x, z)
        let constants: [Float] = Initializer.constant(0.5).values(shape: [2, 2], generator: &c)
        XCTAssertEqual(constants, [0.5, 0.5, 0.5, 0.5])
    }
}
