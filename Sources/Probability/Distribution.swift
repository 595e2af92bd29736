import Foundation
import NumericalCore

/// A probability distribution on ℝᵈ that can be sampled and whose log-density is known.
///
/// Samples come back as a point cloud `[count, dimension]` (row-major ``Matrix``).
public protocol Distribution: PointSampler {
    var dimension: Int { get }
    /// E[X], length `dimension`.
    var mean: [Double] { get }
    /// Cov[X], `[dimension, dimension]`.
    var covariance: Matrix { get }
    /// `count` independent draws, `[count, dimension]`.
    func sample(count: Int, using generator: inout RandomGenerator) -> Matrix
    /// log ρ(x) for one point of length `dimension` (normalised density).
    func logDensity(_ point: [Double]) -> Double
}

extension Distribution {
    /// log ρ at every row of a `[n, dimension]` cloud.
    public func logDensity(points: Matrix) -> [Double] {
        precondition(points.columns == dimension, "logDensity: points have \(points.columns) columns, expected \(dimension)")
        return (0..<points.rows).map { logDensity(points.row($0)) }
    }

    /// ρ(x).
    public func density(_ point: [Double]) -> Double { exp(logDensity(point)) }
}

/// Errors in describing a distribution, each a sentence naming the problem and the fix.
public enum ProbabilityError: Error, CustomStringConvertible, Equatable {
    case dimensionMismatch(String)
    case invalidCovariance(String)
    case invalidWeights(String)
    case empty(String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(s), let .invalidCovariance(s), let .invalidWeights(s), let .empty(s): return s
        }
    }
}
