import Foundation
import NumericalCore

/// An equal-weight Gaussian mixture sampled the way the official S-JKO code samples its
/// `8gaussian` and `25gaussian` toys (Jae-Moo/Scalable-JKO `dataset.py`,
/// `MixMultiVariateNormal`, `SquareGaussian`): every batch holds the same number of draws
/// from each component (stratified), not a multinomial split.
///
/// The law of one row is the mixture (1/k) Σᵢ N(mᵢ, σ² I), whose density, mean and
/// covariance are those of ``mixture``. A batch of n rows has ⌊n/k⌋ (+1 for the first
/// n mod k components) rows per component, in random row order.
public struct StratifiedGaussianMixture: Distribution {
    /// The mixture; all weights equal 1/k.
    public let mixture: GaussianMixture

    /// Components N(mᵢ, variance·I) with equal weights.
    public init(centres: [[Double]], variance: Double) throws {
        let components = try centres.map { try Gaussian(mean: $0, standardDeviation: variance.squareRoot()) }
        mixture = try GaussianMixture(weights: [Double](repeating: 1 / Double(centres.count), count: centres.count),
                                      components: components)
    }

    /// `8gaussians`: centres 12(cos 2πk/8, sin 2πk/8), k = 0…7, covariance 0.4 I (the official
    /// `MixMultiVariateNormal(radius=12, num=8, sigma=0.4)`, where 0.4 is passed to torch's
    /// `MultivariateNormal` as the covariance matrix 0.4 I, so the std is √0.4 ≈ 0.632).
    /// Mean 0, covariance (12²/2 + 0.4) I = 72.4 I.
    public static let eightGaussians: StratifiedGaussianMixture = {
        let centres = (0..<8).map { k -> [Double] in
            let angle = 2 * Double.pi * Double(k) / 8
            return [12 * cos(angle), 12 * sin(angle)]
        }
        return try! StratifiedGaussianMixture(centres: centres, variance: 0.4)
    }()

    /// `25gaussians`: centres on the grid {−6, −3, 0, 3, 6}², covariance 0.005 I (the official
    /// `SquareGaussian(num=25, sigma=0.005)`, again a covariance). Mean 0, covariance
    /// (18 + 0.005) I.
    public static let twentyFiveGaussians: StratifiedGaussianMixture = {
        let ticks: [Double] = [-6, -3, 0, 3, 6]
        let centres = ticks.flatMap { x in ticks.map { y in [x, y] } }
        return try! StratifiedGaussianMixture(centres: centres, variance: 0.005)
    }()

    public var dimension: Int { mixture.dimension }
    public var mean: [Double] { mixture.mean }
    public var covariance: Matrix { mixture.covariance }
    public func logDensity(_ point: [Double]) -> Double { mixture.logDensity(point) }

    /// `count` rows, stratified over the components, in random order, `[count, 2]`.
    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        let d = dimension
        var out = Matrix(rows: count, columns: d)
        var row = 0
        for (component, n) in zip(mixture.components, Stratification.counts(total: count, groups: mixture.components.count)) {
            let draws = component.sample(count: n, using: &generator)
            for i in 0..<n { for j in 0..<d { out[row, j] = draws[i, j] }; row += 1 }
        }
        Stratification.shuffleRows(&out, using: &generator)
        return out
    }
}
