import Foundation

/// Tick placement in the spirit of Heckbert ("Nice numbers for graph labels", Graphics
/// Gems, 1990) and Wilkinson's extended search (Talbot, Lin & Hanrahan, 2010): the step is a
/// "nice" number q·10ᵏ with q ∈ {1, 2, 2.5, 5}, ticks are the multiples of the step inside the
/// interval, and among candidate steps the one whose tick count is closest to the target wins,
/// with a small penalty for the less simple mantissas (1 < 5 < 2 < 2.5).
public enum NiceTicks {
    /// Mantissas and their simplicity penalties, added to |count − target|.
    static let mantissas: [(value: Double, penalty: Double)] = [(1, 0), (5, 0.25), (2, 0.25), (2.5, 1.5)]

    /// Multiples of a nice step inside `interval`, about `targetCount` of them (at least two
    /// when the interval is not degenerate).
    public static func linear(_ interval: Interval, targetCount: Int = 5) -> [Double] {
        let target = Double(max(2, targetCount))
        guard interval.span > 0, interval.span.isFinite else { return [interval.lower] }
        let rough = interval.span / target
        let exponent = floor(log10(rough))
        var best: (step: Double, score: Double)?
        for k in [exponent - 1, exponent, exponent + 1] {
            for (q, penalty) in mantissas {
                let step = q * pow(10, k)
                let count = tickCount(interval, step: step)
                guard count >= 2 else { continue }
                let score = abs(Double(count) - target) + penalty
                if best == nil || score < best!.score - 1e-12 { best = (step, score) }
            }
        }
        guard let step = best?.step else { return [interval.lower, interval.upper] }
        return multiples(of: step, in: interval)
    }

    /// The step a tick list uses (0 when it has fewer than two ticks).
    public static func step(of ticks: [Double]) -> Double {
        ticks.count >= 2 ? ticks[1] - ticks[0] : 0
    }

    /// Ticks for a log scale: the powers of ten inside the interval (every second or third one
    /// when there are many decades); when fewer than two decades fit, 2× and 5× multiples are
    /// added, and failing that linear ticks are used.
    public static func logarithmic(_ interval: Interval, targetCount: Int = 5) -> [Double] {
        guard interval.lower > 0, interval.upper > interval.lower else { return linear(interval, targetCount: targetCount) }
        let tolerance = 1e-9
        let first = Int(ceil(log10(interval.lower) - tolerance))
        let last = Int(floor(log10(interval.upper) + tolerance))
        if last - first + 1 >= 2 {
            let decades = last - first + 1
            let stride = max(1, Int(ceil(Double(decades) / Double(max(2, targetCount + 1)))))
            return Swift.stride(from: first, through: last, by: 1)
                .filter { ($0 - first) % stride == 0 }
                .map { pow(10, Double($0)) }
        }
        var ticks: [Double] = []
        for k in (first - 1)...(last + 1) {
            for q in [1.0, 2.0, 5.0] {
                let v = q * pow(10, Double(k))
                if v >= interval.lower * (1 - tolerance), v <= interval.upper * (1 + tolerance) { ticks.append(v) }
            }
        }
        return ticks.count >= 2 ? ticks : linear(interval, targetCount: targetCount)
    }

    /// The interval widened outwards to multiples of the nice step chosen for it
    /// (Heckbert's "loose" labelling), for axes that should start and end on a tick.
    public static func looseBounds(_ interval: Interval, targetCount: Int = 5) -> Interval {
        let ticks = linear(interval, targetCount: targetCount)
        let step = NiceTicks.step(of: ticks)
        guard step > 0 else { return interval }
        return Interval(floor(interval.lower / step + 1e-9) * step, ceil(interval.upper / step - 1e-9) * step)
    }

    static func tickCount(_ interval: Interval, step: Double) -> Int {
        let first = ceil(interval.lower / step - 1e-9)
        let last = floor(interval.upper / step + 1e-9)
        return max(0, Int(last - first) + 1)
    }

    static func multiples(of step: Double, in interval: Interval) -> [Double] {
        let first = Int(ceil(interval.lower / step - 1e-9))
        let last = Int(floor(interval.upper / step + 1e-9))
        guard first <= last else { return [] }
        // Multiply integers by the step (no accumulated rounding); snap −0 and 1e-17 noise to 0.
        return (first...last).map { i in
            let v = Double(i) * step
            return abs(v) < step * 1e-9 ? 0 : v
        }
    }
}
