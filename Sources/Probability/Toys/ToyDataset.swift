import NumericalCore

/// The 2D toy data sets of the official S-JKO code (Jae-Moo/Scalable-JKO, `dataset.py`,
/// "Toy Datasets"), with its definitions: scales, radii, noise and how a batch is stratified.
/// The generative toys of the neural JKO flow from an N(0, I) prior to one of them.
///
/// | case | official key / class | law |
/// |---|---|---|
/// | `8gaussians` | `8gaussian` / `MixMultiVariateNormal` | 8 Gaussians, centres 12(cos 2πk/8, sin 2πk/8), covariance 0.4 I |
/// | `25gaussians` | `25gaussian` / `SquareGaussian` | 25 Gaussians on {−6, −3, 0, 3, 6}², covariance 0.005 I |
/// | `twocircles` | `twocircles` / `Circles` | circles of radius 4 and 8 about 0, Gaussian noise of std 0.2 |
/// | `checkerboard` | `checkerboard` / `CheckerBoard` | uniform on 8 squares of side π/3 in [−2π/3, 2π/3]² |
/// | `moons` | `moon` / `Moon` | two interleaved half circles of radius 10, noise std 0.5 |
/// | `spiral` | `spiral` / `Spiral` | r = θ + π, θ = 3π√U − π/2, noise std 0.25 |
///
/// The mixtures and the checkerboard have a closed-form density (``distribution``); the
/// others are ``PointSampler``s only.
public enum ToyDataset: String, CaseIterable, Sendable {
    case eightGaussians = "8gaussians"
    case twentyFiveGaussians = "25gaussians"
    case twoCircles = "twocircles"
    case checkerboard
    case moons
    case spiral

    /// Every toy is planar.
    public static let dimension = 2

    /// The sampler of the data set.
    public var sampler: any PointSampler {
        switch self {
        case .eightGaussians: return StratifiedGaussianMixture.eightGaussians
        case .twentyFiveGaussians: return StratifiedGaussianMixture.twentyFiveGaussians
        case .twoCircles: return ConcentricCircles.twoCircles
        case .checkerboard: return Checkerboard()
        case .moons: return Moons()
        case .spiral: return Spiral()
        }
    }

    /// The data set as a ``Distribution`` when its density is closed-form, else nil.
    public var distribution: (any Distribution)? {
        switch self {
        case .eightGaussians: return StratifiedGaussianMixture.eightGaussians
        case .twentyFiveGaussians: return StratifiedGaussianMixture.twentyFiveGaussians
        case .checkerboard: return Checkerboard()
        case .twoCircles, .moons, .spiral: return nil
        }
    }
}

/// Helpers shared by the stratified toy samplers.
enum Stratification {
    /// How `count` draws split over `groups` equal strata: ⌊count/groups⌋ each, plus one for the
    /// first `count mod groups` (the official code requires `groups` to divide the batch).
    static func counts(total count: Int, groups: Int) -> [Int] {
        (0..<groups).map { count / groups + ($0 < count % groups ? 1 : 0) }
    }

    /// Shuffles the rows of `points` in place (Fisher–Yates), so that any prefix of a
    /// stratified sample is a representative subsample.
    static func shuffleRows(_ points: inout Matrix, using generator: inout RandomGenerator) {
        let d = points.columns
        guard points.rows > 1 else { return }
        for i in stride(from: points.rows - 1, to: 0, by: -1) {
            let j = Int.random(in: 0...i, using: &generator)
            guard j != i else { continue }
            for c in 0..<d {
                let t = points[i, c]; points[i, c] = points[j, c]; points[j, c] = t
            }
        }
    }
}
