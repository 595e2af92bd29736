import NumericalCore
import Probability

/// Mode coverage of a sample against an equal-weight isotropic Gaussian mixture (the
/// `8gaussians` and `25gaussians` toys), the GAN literature's count (Srivastava et al. 2017,
/// VEEGAN): a sample is of **high quality** when it lies within 3 standard deviations of its
/// nearest centre; a mode is **covered** when at least a quarter of its fair share,
/// n/(4M), of the n samples are high-quality samples assigned to it.
///
/// A perfect sampler covers all M modes and has a high-quality fraction of
/// P(χ²₂ ≤ 9) = 1 − e^{−4.5} ≈ 0.989 in 2D.
struct ModeCoverage {
    /// Modes covered (0…M).
    let modes: Int
    /// Fraction of the samples within 3σ of their nearest centre.
    let quality: Double

    init(_ points: Matrix, mixture: GaussianMixture) {
        let centres = mixture.components.map(\.mean)
        let radius = 3 * mixture.components[0].covariance[0, 0].squareRoot()
        var counts = [Int](repeating: 0, count: centres.count)
        var good = 0
        for i in 0..<points.rows {
            let p = points.row(i)
            var best = 0, bestDistance = Double.infinity
            for (k, c) in centres.enumerated() {
                var s = 0.0
                for j in 0..<p.count { s += (p[j] - c[j]) * (p[j] - c[j]) }
                if s < bestDistance { bestDistance = s; best = k }
            }
            if bestDistance.squareRoot() <= radius {
                counts[best] += 1
                good += 1
            }
        }
        let needed = Double(points.rows) / Double(4 * centres.count)
        modes = counts.filter { Double($0) >= needed }.count
        quality = points.rows > 0 ? Double(good) / Double(points.rows) : 0
    }
}
