import Foundation
import NumericalCore

/// The `checkerboard` toy of the official S-JKO code (Jae-Moo/Scalable-JKO `dataset.py`,
/// `CheckerBoard`): x uniform on [−2π, 2π]², kept where sin x₁ and sin x₂ have opposite signs,
/// then divided by 3.
///
/// (The official code draws 3n uniform points, zeroes those where the signs agree, drops the
/// zeros and returns the first n: the same law as rejection sampling, done here until n points
/// are kept; acceptance ½.) The law is uniform on 8 of the 16 squares of side π/3 that tile
/// [−2π/3, 2π/3]², density 9/(8π²) there. Per axis the square centres are (2i − 3)π/6,
/// i = 0…3, each axis value used by two squares, so the mean is 0 and
///
///   Var xᵢ = (4/3)π²/9 = 4π²/27 ≈ 1.4622,   Cov(x₁, x₂) = −(π²/4)/9 = −π²/36 ≈ −0.2742
///
/// (the squares pair a centre in {−3π/2, π/2} with one in {−π/2, 3π/2}, before the /3).
public struct Checkerboard: Distribution {
    public init() {}

    public var dimension: Int { 2 }
    public var mean: [Double] { [0, 0] }
    public var covariance: Matrix {
        let v = 4 * Double.pi * Double.pi / 27, c = -Double.pi * Double.pi / 36
        return Matrix([[v, c], [c, v]])
    }

    /// log(9/(8π²)) on the board's dark squares, −∞ elsewhere.
    public func logDensity(_ point: [Double]) -> Double {
        precondition(point.count == 2, "Checkerboard: point has length \(point.count), expected 2")
        let x = 3 * point[0], y = 3 * point[1]
        let box = 2 * Double.pi
        guard abs(x) <= box, abs(y) <= box, sin(x) * sin(y) < 0 else { return -.infinity }
        return log(9 / (8 * Double.pi * Double.pi))
    }

    /// `count` independent points, `[count, 2]`.
    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        var out = Matrix(rows: count, columns: 2)
        let box = 2 * Double.pi
        var row = 0
        while row < count {
            let x = box * (2 * generator.uniform() - 1), y = box * (2 * generator.uniform() - 1)
            guard sin(x) * sin(y) < 0 else { continue }
            out[row, 0] = x / 3
            out[row, 1] = y / 3
            row += 1
        }
        return out
    }
}
