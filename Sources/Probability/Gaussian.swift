import Foundation
import NumericalCore

/// The Gaussian N(m, S) on ℝᵈ with a full symmetric positive definite covariance S.
///
/// log ρ(x) = −½ (x−m)ᵀ S⁻¹ (x−m) − ½ log det S − (d/2) log 2π.
/// Sampling: x = m + L z with S = L Lᵀ (Cholesky), z ~ N(0, I).
public struct Gaussian: Distribution, Equatable {
    public let mean: [Double]
    public let covariance: Matrix
    /// Lower Cholesky factor L of the covariance, `[d, d]`.
    public let choleskyFactor: Matrix
    /// S⁻¹, `[d, d]`.
    public let precision: Matrix
    /// log det S.
    public let logDeterminant: Double

    public var dimension: Int { mean.count }

    /// Validates the shapes and the positive definiteness of `covariance`.
    public init(mean: [Double], covariance: Matrix) throws {
        guard !mean.isEmpty else { throw ProbabilityError.empty("a Gaussian needs a mean of length at least 1") }
        guard covariance.rows == mean.count, covariance.columns == mean.count else {
            throw ProbabilityError.dimensionMismatch(
                "the covariance is \(covariance.rows)×\(covariance.columns) but the mean has length \(mean.count); give a \(mean.count)×\(mean.count) covariance")
        }
        guard mean.allSatisfy({ $0.isFinite }), covariance.elements.allSatisfy({ $0.isFinite }) else {
            throw ProbabilityError.invalidCovariance("the mean or covariance contains NaN or infinity")
        }
        do {
            let eigen = try covariance.symmetricEigen()
            guard let smallest = eigen.values.first, smallest > 0 else {
                throw LinearAlgebraError.notPositiveDefinite(smallestEigenvalue: eigen.values.first ?? 0)
            }
            let l = try covariance.cholesky()
            self.choleskyFactor = l
            self.precision = eigen.apply { 1 / $0 }
            self.logDeterminant = 2 * l.diagonalElements.reduce(0) { $0 + Foundation.log($1) }
        } catch let error as LinearAlgebraError {
            throw ProbabilityError.invalidCovariance("the covariance \(covariance.nestedRows) is not valid: \(error); it must be symmetric positive definite")
        }
        self.mean = mean
        self.covariance = covariance.symmetrized
    }

    /// Isotropic N(m, σ² I).
    public init(mean: [Double], standardDeviation: Double) throws {
        try self.init(mean: mean, covariance: (standardDeviation * standardDeviation) * Matrix.identity(mean.count))
    }

    public func logDensity(_ point: [Double]) -> Double {
        let d = dimension
        precondition(point.count == d, "logDensity: point has length \(point.count), expected \(d)")
        let diff = Vector.subtract(point, mean)
        let quad = Vector.dot(diff, precision * diff)
        return -0.5 * quad - 0.5 * logDeterminant - 0.5 * Double(d) * Foundation.log(2 * Double.pi)
    }

    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        let d = dimension
        var out = Matrix(rows: count, columns: d)
        var z = [Double](repeating: 0, count: d)
        for i in 0..<count {
            for j in 0..<d { z[j] = generator.normal() }
            for r in 0..<d {
                var s = mean[r]
                for c in 0...r { s += choleskyFactor[r, c] * z[c] }
                out[i, r] = s
            }
        }
        return out
    }

    /// KL(self ‖ other) = ½ [tr(S₂⁻¹S₁) + (m₂−m₁)ᵀS₂⁻¹(m₂−m₁) − d + log det S₂ − log det S₁].
    public func klDivergence(to other: Gaussian) -> Double {
        precondition(other.dimension == dimension, "klDivergence: dimensions \(dimension) and \(other.dimension) differ")
        let diff = Vector.subtract(other.mean, mean)
        let traceTerm = (other.precision * covariance).trace
        let quad = Vector.dot(diff, other.precision * diff)
        return 0.5 * (traceTerm + quad - Double(dimension) + other.logDeterminant - logDeterminant)
    }

    /// KL(p‖q) + KL(q‖p), the symmetric KL between Gaussians (log-determinants cancel).
    public func symmetricKL(_ other: Gaussian) -> Double {
        klDivergence(to: other) + other.klDivergence(to: self)
    }

    /// The Gaussian with the empirical mean and (unbiased) covariance of a cloud `[n, d]`.
    public static func fit(_ points: Matrix) throws -> Gaussian {
        let (m, s) = Moments.meanAndCovariance(points)
        return try Gaussian(mean: m, covariance: s)
    }
}

/// Empirical moments of point clouds.
public enum Moments {
    /// Mean (length d) and unbiased covariance (`[d, d]`, divisor n − 1) of a cloud `[n, d]`.
    public static func meanAndCovariance(_ points: Matrix) -> (mean: [Double], covariance: Matrix) {
        let n = points.rows, d = points.columns
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += points[i, j] } }
        mean = mean.map { $0 / Double(max(n, 1)) }
        var centred = points
        for i in 0..<n { for j in 0..<d { centred[i, j] -= mean[j] } }
        let cov = (centred.transposed * centred) / Double(max(n - 1, 1))
        return (mean, cov.symmetrized)
    }
}
