import Foundation
import NumericalCore

/// The `spiral` toy of the official S-JKO code (Jae-Moo/Scalable-JKO `dataset.py`, `Spiral`):
/// an Archimedean spiral arm with Gaussian noise,
///
///   θ = 3π√U − π/2 (U ~ U[0, 1)),   r = θ + π,   x = r (cos θ, sin θ) + 0.25 ε,
///
/// so θ has density 2(θ + π/2)/(3π)² on [−π/2, 5π/2] and r runs from π/2 to 7π/2.
/// Independent rows. A ``PointSampler`` only (the density needs a line integral).
public struct Spiral: PointSampler {
    public init() {}

    public var dimension: Int { 2 }

    /// The noise-free point at angle θ, length 2.
    public static func centre(angle theta: Double) -> [Double] {
        let r = theta + Double.pi
        return [r * cos(theta), r * sin(theta)]
    }

    /// `count` independent rows, `[count, 2]`.
    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        var out = Matrix(rows: count, columns: 2)
        for i in 0..<count {
            let theta = generator.uniform().squareRoot() * 3 * Double.pi - 0.5 * Double.pi
            let c = Spiral.centre(angle: theta)
            out[i, 0] = c[0] + 0.25 * generator.normal()
            out[i, 1] = c[1] + 0.25 * generator.normal()
        }
        return out
    }
}
