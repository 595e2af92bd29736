@testable import Experiments
import NumericalCore
import Probability
import XCTest

/// Mode coverage against the mixture toys: a perfect sampler covers every mode with the
/// closed-form high-quality fraction P(χ²₂ ≤ 9) = 1 − e^{−4.5}; a sampler of three modes
/// covers three; a cloud far from every centre covers none.
final class ModeCoverageTests: XCTestCase {
    func testPerfectPartialAndMissingSamplers() throws {
        var generator = RandomGenerator(seed: 3)
        let toy = StratifiedGaussianMixture.eightGaussians
        let n = 4000
        let perfect = ModeCoverage(toy.sample(count: n, using: &generator), mixture: toy.mixture)
        XCTAssertEqual(perfect.modes, 8)
        // Binomial standard error √(0.989 · 0.011 / 4000) ≈ 0.0016: 5 of them.
        XCTAssertEqual(perfect.quality, 1 - exp(-4.5), accuracy: 0.008)

        let three = try StratifiedGaussianMixture(centres: Array(toy.mixture.components.prefix(3).map(\.mean)), variance: 0.4)
        let partial = ModeCoverage(three.sample(count: n, using: &generator), mixture: toy.mixture)
        XCTAssertEqual(partial.modes, 3)
        XCTAssertEqual(partial.quality, 1 - exp(-4.5), accuracy: 0.008)

        let centre = Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in generator.normal() })
        let missing = ModeCoverage(centre, mixture: toy.mixture)
        XCTAssertEqual(missing.modes, 0)
        XCTAssertEqual(missing.quality, 0)
    }
}
