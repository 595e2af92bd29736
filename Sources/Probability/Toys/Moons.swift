import Foundation
import NumericalCore

/// The `moon` toy of the official S-JKO code (Jae-Moo/Scalable-JKO `dataset.py`, `Moon`): two
/// interleaved half circles, scaled by 10, with Gaussian noise of std 0.5. For a batch of n the
/// parameter runs over an even grid, not random draws:
///
///   s_j = π j/(m − 1), j = 0…m−1 (numpy's `linspace(0, π, m)`),
///   upper moon 10(cos s_j + ½, −sin s_j + 0.2) + 0.5 ε,  lower moon 10(cos s_j − ½, sin s_j − 0.2) + 0.5 ε.
///
/// The official code uses m = ⌊n/2⌋ for both moons (returning 2⌊n/2⌋ points); here the upper
/// moon gets ⌈n/2⌉ points so a batch has exactly n rows (identical for even n). Rows are
/// returned in random order. Mean (0, 0) up to the noise (the grid is symmetric about π/2);
/// the covariance follows from the grid sums (see the tests). A ``PointSampler`` only.
public struct Moons: PointSampler {
    public init() {}

    public var dimension: Int { 2 }

    /// Noise-free point j of a moon with m grid points (`upper` or lower), length 2.
    public static func centre(_ j: Int, of m: Int, upper: Bool) -> [Double] {
        let s = m > 1 ? Double.pi * Double(j) / Double(m - 1) : 0
        return upper ? [10 * (cos(s) + 0.5), 10 * (-sin(s) + 0.2)] : [10 * (cos(s) - 0.5), 10 * (sin(s) - 0.2)]
    }

    /// `count` rows, `[count, 2]`.
    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        var out = Matrix(rows: count, columns: 2)
        let upperCount = (count + 1) / 2, lowerCount = count / 2
        var row = 0
        for (m, upper) in [(upperCount, true), (lowerCount, false)] {
            for j in 0..<m {
                let c = Moons.centre(j, of: m, upper: upper)
                out[row, 0] = c[0] + 0.5 * generator.normal()
                out[row, 1] = c[1] + 0.5 * generator.normal()
                row += 1
            }
        }
        Stratification.shuffleRows(&out, using: &generator)
        return out
    }
}
