import Foundation
import NumericalCore
import Probability

/// KL and symmetric KL between the law ρ of a cloud and a distribution q with a known
/// log-density, by k-nearest-neighbour estimates.
///
/// - KL(ρ‖q) = −H(ρ) − E_ρ log q, with the Kozachenko–Leonenko entropy estimator
///   Ĥ(ρ) = ψ(n) − ψ(k) + log V_d + (d/n) Σᵢ log rᵢ, where rᵢ is the distance from xᵢ to its
///   k-th nearest neighbour among the other n − 1 points, V_d = π^{d/2}/Γ(d/2 + 1) the volume
///   of the unit ball and ψ the digamma function (Kraskov, Stögbauer & Grassberger 2004,
///   eq. 20); E_ρ log q is the sample mean of log q(xᵢ).
/// - KL(q‖ρ) = E_q log q − E_q log ρ, with M fresh samples yₗ ~ q (seeded) and the
///   bias-corrected k-NN log-density log ρ̂(y) = ψ(k) − ψ(n) − log V_d − d log sₖ(y), where
///   sₖ(y) is the distance from y to its k-th nearest point of the cloud (Wang, Kulkarni &
///   Verdú, IEEE Trans. Inf. Theory 2009).
/// - SymKL = KL(ρ‖q) + KL(q‖ρ).
///
/// Consistent as n, M → ∞ for fixed k; the bias grows with d (use d ≲ 10). Brute-force
/// neighbour search, O((n + M)·n·d), parallel over query points. Duplicate points (r = 0)
/// make the estimate −∞ and are rejected.
public struct NearestNeighborDivergence: Sendable {
    /// k ≥ 1.
    public var neighbourCount: Int
    /// M, the number of samples drawn from q for KL(q‖ρ).
    public var referenceSampleCount: Int
    /// Seed of the samples drawn from q.
    public var seed: UInt64

    public init(neighbourCount: Int = 5, referenceSampleCount: Int = 2000, seed: UInt64 = 0) {
        self.neighbourCount = neighbourCount
        self.referenceSampleCount = referenceSampleCount
        self.seed = seed
    }

    /// The estimate of KL(ρ‖q) from a cloud `[n, d]` drawn from ρ.
    public func klDivergence(_ cloud: Matrix, to reference: any Distribution) throws -> Double {
        try validate(cloud, reference)
        let n = cloud.rows, d = Double(cloud.columns)
        let radii = Self.neighbourDistances(queries: cloud, points: cloud, k: neighbourCount, excludeSelf: true)
        guard radii.allSatisfy({ $0 > 0 }) else {
            throw TransportError.invalidMeasure("the cloud has repeated points; the k-NN entropy estimate needs distinct points")
        }
        let entropy = Self.digamma(n) - Self.digamma(neighbourCount) + Self.logUnitBallVolume(cloud.columns)
            + d * radii.reduce(0) { $0 + Foundation.log($1) } / Double(n)
        let crossTerm = reference.logDensity(points: cloud).reduce(0, +) / Double(n)
        return -entropy - crossTerm
    }

    /// The estimate of KL(q‖ρ) from a cloud `[n, d]` drawn from ρ and M samples of q.
    public func reverseKLDivergence(_ cloud: Matrix, from reference: any Distribution) throws -> Double {
        try validate(cloud, reference)
        var generator = RandomGenerator(seed: seed)
        let samples = reference.sample(count: referenceSampleCount, using: &generator)
        let radii = Self.neighbourDistances(queries: samples, points: cloud, k: neighbourCount, excludeSelf: false)
        let d = Double(cloud.columns)
        let logDensityOffset = Self.digamma(neighbourCount) - Self.digamma(cloud.rows) - Self.logUnitBallVolume(cloud.columns)
        let logQ = reference.logDensity(points: samples)
        var total = 0.0
        for l in 0..<samples.rows { total += logQ[l] - (logDensityOffset - d * Foundation.log(radii[l])) }
        return total / Double(samples.rows)
    }

    /// KL(ρ‖q) + KL(q‖ρ).
    public func symmetricKL(_ cloud: Matrix, _ reference: any Distribution) throws -> Double {
        try klDivergence(cloud, to: reference) + reverseKLDivergence(cloud, from: reference)
    }

    func validate(_ cloud: Matrix, _ reference: any Distribution) throws {
        _ = try DiscreteMeasure.uniform(cloud)
        guard cloud.columns == reference.dimension else {
            throw TransportError.dimensionMismatch(
                "the cloud has \(cloud.columns) columns but the reference distribution is \(reference.dimension)-dimensional")
        }
        guard neighbourCount >= 1, cloud.rows > neighbourCount, referenceSampleCount >= 1 else {
            throw TransportError.invalidParameter(
                "k = \(neighbourCount) needs k ≥ 1 and more than k points (got \(cloud.rows)), and M = \(referenceSampleCount) ≥ 1")
        }
    }

    /// Distance from each query row to its k-th nearest row of `points` (skipping the
    /// query's own index when `excludeSelf`).
    static func neighbourDistances(queries: Matrix, points: Matrix, k: Int, excludeSelf: Bool) -> [Double] {
        let q = queries.rows, n = points.rows, d = points.columns
        var out = [Double](repeating: 0, count: q)
        queries.elements.withUnsafeBufferPointer { qb in
            points.elements.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { ob in
                    let qp = qb.baseAddress!, pp = pb.baseAddress!, o = ob.baseAddress!
                    Parallel.forEachChunk(count: q, minimumChunk: max(1, 4096 / max(n, 1))) { range in
                        var best = [Double](repeating: .infinity, count: k)   // ascending squared distances
                        for a in range {
                            for t in 0..<k { best[t] = .infinity }
                            for b in 0..<n where !(excludeSelf && a == b) {
                                var s = 0.0
                                for c in 0..<d { let t = qp[a * d + c] - pp[b * d + c]; s += t * t }
                                if s < best[k - 1] {
                                    var t = k - 1
                                    while t > 0 && best[t - 1] > s { best[t] = best[t - 1]; t -= 1 }
                                    best[t] = s
                                }
                            }
                            o[a] = best[k - 1].squareRoot()
                        }
                    }
                }
            }
        }
        return out
    }

    /// ψ(n) for a positive integer: −γ + Σ_{i<n} 1/i.
    static func digamma(_ n: Int) -> Double {
        var s = -0.577_215_664_901_532_9
        for i in stride(from: n - 1, through: 1, by: -1) { s += 1 / Double(i) }
        return s
    }

    /// log V_d = (d/2) log π − log Γ(d/2 + 1).
    static func logUnitBallVolume(_ d: Int) -> Double {
        0.5 * Double(d) * Foundation.log(Double.pi) - SpecialFunctions.logGamma(0.5 * Double(d) + 1)
    }
}
