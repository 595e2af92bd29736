import Foundation
import NumericalCore

/// The sliced 2-Wasserstein distance between two uniform clouds (Rabin, Peyré, Delon &
/// Bernot 2011; Bonneel et al. 2015):
///
///   SW₂²(μ, ν) = E_{θ ~ U(S^{d−1})} W₂²(θ·μ, θ·ν)  ≈  (1/L) Σₗ W₂²(θₗ·μ, θₗ·ν),
///
/// a Monte Carlo average over L random directions θₗ (normalised Gaussian vectors drawn
/// from a seeded ``RandomGenerator``: the same seed gives the same value). Each 1D W₂² is
/// exact (sorting, clouds of any sizes n and m). SW₂ ≤ W₂ (projection is 1-Lipschitz);
/// for two Gaussians N(m₁, I), N(m₂, I), SW₂² = |m₁ − m₂|²/d; in 1D, SW₂ = W₂. Cost O(L (n log n + m log m)); directions run in
/// parallel on all cores.
public struct SlicedWasserstein: Sendable {
    /// Number of random directions L (≥ 1).
    public var directionCount: Int
    /// Seed of the directions.
    public var seed: UInt64

    public init(directionCount: Int = 128, seed: UInt64 = 0) {
        self.directionCount = directionCount
        self.seed = seed
    }

    /// SW₂ between two clouds `[n, d]` and `[m, d]` (uniform weights).
    public func distance(_ source: Matrix, _ target: Matrix) throws -> Double {
        try squaredDistance(source, target).squareRoot()
    }

    /// SW₂² between two clouds `[n, d]` and `[m, d]` (uniform weights).
    public func squaredDistance(_ source: Matrix, _ target: Matrix) throws -> Double {
        _ = try DiscreteMeasure.uniform(source)
        _ = try DiscreteMeasure.uniform(target)
        guard source.columns == target.columns else {
            throw TransportError.dimensionMismatch(
                "the clouds have \(source.columns) and \(target.columns) columns; sliced W₂ needs points of the same dimension")
        }
        guard directionCount >= 1 else {
            throw TransportError.invalidParameter("directionCount is \(directionCount); use at least one direction")
        }
        let d = source.columns
        var generator = RandomGenerator(seed: seed)
        var directions = [[Double]]()
        for _ in 0..<directionCount {
            var theta = [Double](repeating: 0, count: d)
            var norm = 0.0
            while norm < 1e-12 {
                for k in 0..<d { theta[k] = generator.normal() }
                norm = Vector.norm(theta)
            }
            directions.append(theta.map { $0 / norm })
        }
        var values = [Double](repeating: 0, count: directionCount)
        values.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            Parallel.forEachChunk(count: directionCount, minimumChunk: 1) { range in
                for l in range {
                    let x = Self.project(source, directions[l]).sorted()
                    let y = Self.project(target, directions[l]).sorted()
                    o[l] = x.withUnsafeBufferPointer { u in
                        y.withUnsafeBufferPointer { v in QuantileTransport.squaredDistanceOfSorted(u, v) }
                    }
                }
            }
        }
        return values.reduce(0, +) / Double(directionCount)
    }

    /// θ · xᵢ for every row of a cloud.
    static func project(_ points: Matrix, _ theta: [Double]) -> [Double] {
        let n = points.rows, d = points.columns
        var out = [Double](repeating: 0, count: n)
        points.elements.withUnsafeBufferPointer { p in
            for i in 0..<n {
                var s = 0.0
                for k in 0..<d { s += p[i * d + k] * theta[k] }
                out[i] = s
            }
        }
        return out
    }
}
