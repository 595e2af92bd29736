/// The generator's full position in its stream as exact Doubles, so a run checkpoint
/// (a float64 file) can continue the stream bit for bit.
///
/// Layout, shape `[12]`: the seed and the four xoshiro words s₀…s₃, each as two 32-bit
/// halves (high, then low; integers below 2³² are exact in a Double), then `1` and the
/// cached second normal deviate of ``RandomGenerator/normal()``, or `0` and `0` when none
/// is cached.
extension RandomGenerator {
    /// The number of values in a ``snapshot``.
    public static let snapshotCount = 12

    /// The stream position, see the layout above.
    public var snapshot: [Double] {
        var out = [Double]()
        out.reserveCapacity(Self.snapshotCount)
        for word in [seed, s0, s1, s2, s3] {
            out.append(Double(word >> 32))
            out.append(Double(word & 0xFFFF_FFFF))
        }
        out.append(spareNormal == nil ? 0 : 1)
        out.append(spareNormal ?? 0)
        return out
    }

    /// The generator at a position saved by ``snapshot``; `nil` when `snapshot` does not
    /// have that layout (wrong count, a half that is not an integer in [0, 2³²), a flag
    /// other than 0 or 1), so a corrupt checkpoint is never silently accepted.
    public init?(snapshot: [Double]) {
        guard snapshot.count == Self.snapshotCount else { return nil }
        var words = [UInt64]()
        for i in 0..<5 {
            let high = snapshot[2 * i], low = snapshot[2 * i + 1]
            guard [high, low].allSatisfy({ $0 >= 0 && $0 < 0x1p32 && $0.rounded() == $0 }) else { return nil }
            words.append(UInt64(high) << 32 | UInt64(low))
        }
        let flag = snapshot[10], spare = snapshot[11]
        guard flag == 0 || flag == 1, spare.isFinite else { return nil }
        self.init(seed: words[0])
        (s0, s1, s2, s3) = (words[1], words[2], words[3], words[4])
        spareNormal = flag == 1 ? spare : nil
    }
}
