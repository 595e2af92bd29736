import Foundation
import NumericalCore

/// A weighted Gaussian mixture Σᵢ wᵢ N(mᵢ, Sᵢ) on ℝᵈ (weights non-negative, summing to one).
///
/// Mean Σ wᵢ mᵢ; covariance Σ wᵢ (Sᵢ + mᵢmᵢᵀ) − m mᵀ (law of total covariance);
/// log-density by log-sum-exp over components; sampling draws a component, then a point.
public struct GaussianMixture: Distribution, Equatable {
    public let weights: [Double]
    public let components: [Gaussian]

    /// Tolerance on |Σ wᵢ − 1|.
    public static let weightTolerance = 1e-9

    public init(weights: [Double], components: [Gaussian]) throws {
        guard !components.isEmpty else { throw ProbabilityError.empty("a mixture needs at least one component") }
        guard weights.count == components.count else {
            throw ProbabilityError.dimensionMismatch("the mixture has \(weights.count) weights but \(components.count) components; give one weight per component")
        }
        let d = components[0].dimension
        guard components.allSatisfy({ $0.dimension == d }) else {
            throw ProbabilityError.dimensionMismatch("mixture components have different dimensions \(components.map(\.dimension)); all must be \(d)")
        }
        guard weights.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw ProbabilityError.invalidWeights("mixture weights \(weights) must be non-negative")
        }
        let total = weights.reduce(0, +)
        guard abs(total - 1) <= GaussianMixture.weightTolerance else {
            throw ProbabilityError.invalidWeights("mixture weights \(weights) sum to \(total); they must sum to 1")
        }
        self.weights = weights
        self.components = components
    }

    /// A single Gaussian as a one-component mixture.
    public init(_ gaussian: Gaussian) {
        self.weights = [1]
        self.components = [gaussian]
    }

    public var dimension: Int { components[0].dimension }

    public var mean: [Double] {
        var m = [Double](repeating: 0, count: dimension)
        for (w, c) in zip(weights, components) { for j in 0..<dimension { m[j] += w * c.mean[j] } }
        return m
    }

    public var covariance: Matrix {
        let d = dimension
        let m = mean
        var s = Matrix(rows: d, columns: d)
        for (w, c) in zip(weights, components) {
            for i in 0..<d { for j in 0..<d { s[i, j] += w * (c.covariance[i, j] + c.mean[i] * c.mean[j]) } }
        }
        for i in 0..<d { for j in 0..<d { s[i, j] -= m[i] * m[j] } }
        return s.symmetrized
    }

    public func logDensity(_ point: [Double]) -> Double {
        var terms = [Double]()
        terms.reserveCapacity(components.count)
        for (w, c) in zip(weights, components) where w > 0 { terms.append(Foundation.log(w) + c.logDensity(point)) }
        guard let top = terms.max(), top.isFinite else { return -.infinity }
        return top + Foundation.log(terms.reduce(0) { $0 + exp($1 - top) })
    }

    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        var out = Matrix(rows: count, columns: dimension)
        var counts = [Int](repeating: 0, count: components.count)
        var labels = [Int](repeating: 0, count: count)
        for i in 0..<count { labels[i] = generator.categorical(weights); counts[labels[i]] += 1 }
        let draws = components.indices.map { components[$0].sample(count: counts[$0], using: &generator) }
        var next = [Int](repeating: 0, count: components.count)
        for i in 0..<count {
            let k = labels[i]
            for j in 0..<dimension { out[i, j] = draws[k][next[k], j] }
            next[k] += 1
        }
        return out
    }
}
