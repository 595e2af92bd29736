import NumericalCore
import Probability

/// The affine optimal transport map of one exact Gaussian JKO step,
///
///   T(x) = m' + M (x − m),
///
/// from the iterate N(m, S) to the next one N(m', M S M). M is symmetric positive definite
/// (the Brenier map between two Gaussians is the gradient of a convex quadratic), so T is
/// the optimal map for the squared distance and W₂²(ρ, T#ρ) = E|T(X) − X|².
/// Figures draw it as arrows x → T(x); `displacement(at:)` is T(x) − x.
public struct GaussianJKOMap: Sendable, Equatable {
    /// The mean m of the iterate the map starts from, length d.
    public let sourceMean: [Double]
    /// The symmetric positive definite slope M, `[d, d]`.
    public let slope: Matrix
    /// The mean m' = T(m) of the next iterate, length d.
    public let newMean: [Double]

    public init(sourceMean: [Double], slope: Matrix, newMean: [Double]) {
        precondition(slope.rows == sourceMean.count && slope.columns == sourceMean.count && newMean.count == sourceMean.count,
                     "GaussianJKOMap: the slope is \(slope.rows)×\(slope.columns) but the means have lengths \(sourceMean.count) and \(newMean.count)")
        self.sourceMean = sourceMean
        self.slope = slope
        self.newMean = newMean
    }

    /// The dimension d.
    public var dimension: Int { sourceMean.count }

    /// T(x) = m' + M(x − m) for one point of length d.
    public func callAsFunction(_ point: [Double]) -> [Double] {
        precondition(point.count == dimension, "GaussianJKOMap: point has length \(point.count), expected \(dimension)")
        return Vector.add(newMean, slope * Vector.subtract(point, sourceMean))
    }

    /// T(x) − x for one point of length d.
    public func displacement(at point: [Double]) -> [Double] {
        Vector.subtract(self(point), point)
    }

    /// T applied to every row of `points` `[n, d]`; returns `[n, d]`.
    public func apply(toRows points: Matrix) -> Matrix {
        precondition(points.columns == dimension, "GaussianJKOMap: points have \(points.columns) columns, expected \(dimension)")
        let d = dimension
        var out = Matrix(rows: points.rows, columns: d)
        for i in 0..<points.rows {
            for r in 0..<d {
                var s = newMean[r]
                for c in 0..<d { s += slope[r, c] * (points[i, c] - sourceMean[c]) }
                out[i, r] = s
            }
        }
        return out
    }

    /// T#N(m, S) = N(m', M S M) for a Gaussian with this map's source mean m.
    public func pushForward(_ gaussian: Gaussian) throws -> Gaussian {
        precondition(gaussian.dimension == dimension, "GaussianJKOMap: the Gaussian has dimension \(gaussian.dimension), expected \(dimension)")
        let shift = Vector.subtract(gaussian.mean, sourceMean)
        return try Gaussian(mean: Vector.add(newMean, slope * shift),
                            covariance: (slope * gaussian.covariance * slope).symmetrized)
    }
}
