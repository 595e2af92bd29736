import Foundation
import NumericalCore

/// Noisy circles, the `twocircles` toy of the official S-JKO code (Jae-Moo/Scalable-JKO
/// `dataset.py`, `Circles(centers=[[0,0],[0,0]], radius=[4,8], sigmas=[0.2,0.2])`):
/// row i lies on circle i mod k, x = cᵢ + rᵢ u + σᵢ ε with u uniform on the unit circle
/// (a normalised Gaussian) and ε ~ N(0, I).
///
/// The batch is stratified like the official one: the rows cycle through the circles
/// (radius 4, 8, 4, 8, …). For `twoCircles` the mean is 0 and the covariance
/// ((4² + 8²)/4 + 0.2²) I = 20.04 I. No closed-form density here (it needs the Bessel
/// function I₀), so this is a ``PointSampler`` only.
public struct ConcentricCircles: PointSampler {
    /// Circle centres (2D each), radii and noise standard deviations, one per circle.
    public let centres: [[Double]], radii: [Double], noise: [Double]

    public init(centres: [[Double]], radii: [Double], noise: [Double]) {
        precondition(!centres.isEmpty && centres.count == radii.count && radii.count == noise.count && centres.allSatisfy { $0.count == 2 },
                     "ConcentricCircles: give one 2D centre, one radius and one noise level per circle")
        self.centres = centres
        self.radii = radii
        self.noise = noise
    }

    /// `twocircles`: radii 4 and 8 about the origin, noise std 0.2.
    public static let twoCircles = ConcentricCircles(centres: [[0, 0], [0, 0]], radii: [4, 8], noise: [0.2, 0.2])

    public var dimension: Int { 2 }

    /// `count` rows, row i on circle i mod k, `[count, 2]`.
    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        var out = Matrix(rows: count, columns: 2)
        for i in 0..<count {
            let k = i % centres.count
            var ux = 0.0, uy = 0.0, norm = 0.0
            while norm == 0 { ux = generator.normal(); uy = generator.normal(); norm = (ux * ux + uy * uy).squareRoot() }
            out[i, 0] = centres[k][0] + radii[k] * ux / norm + noise[k] * generator.normal()
            out[i, 1] = centres[k][1] + radii[k] * uy / norm + noise[k] * generator.normal()
        }
        return out
    }
}
