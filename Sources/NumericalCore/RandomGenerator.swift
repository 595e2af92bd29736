import Foundation

/// The toolkit's one random number generator: xoshiro256** (Blackman & Vigna 2018),
/// seeded through SplitMix64 from a single `UInt64` seed that runs record.
///
/// A value type: copying it copies the stream. ``split(count:)`` derives independent
/// streams (each re-seeded from this one) for parallel loops, so results do not depend
/// on the thread count. Period 2²⁵⁶ − 1; passes BigCrush.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// A cached second normal deviate from the polar method.
    @usableFromInline var spareNormal: Double?

    public init(seed: UInt64) {
        self.seed = seed
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        spareNormal = nil
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on (0, 1): never returns 0 (safe for logarithms).
    @inlinable
    public mutating func uniformPositive() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }

    /// Standard normal deviate (Marsaglia's polar method).
    @inlinable
    public mutating func normal() -> Double {
        if let z = spareNormal { spareNormal = nil; return z }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * Foundation.log(s) / s).squareRoot()
                spareNormal = v * f
                return u * f
            }
        }
    }

    /// `count` standard normal deviates.
    public mutating func normals(_ count: Int) -> [Double] { (0..<count).map { _ in normal() } }

    /// An index drawn with probabilities proportional to `weights` (non-negative, not all 0).
    public mutating func categorical(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var u = uniform() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// `count` independent generators derived from this one (advances this stream).
    public mutating func split(count: Int) -> [RandomGenerator] {
        (0..<count).map { _ in RandomGenerator(seed: next()) }
    }
}
