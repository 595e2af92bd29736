import Foundation

/// A map from a data interval to the unit interval [0, 1] (and back), linear or
/// logarithmic, with its tick positions and labels.
///
/// The log scale maps x to (log₁₀x − log₁₀lower)/(log₁₀upper − log₁₀lower); it needs
/// 0 < lower < upper, and non-positive values map to NaN (they are not drawn).
public struct Scale: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case linear
        case log
    }

    public var kind: Kind
    public var domain: Interval

    public init(_ kind: Kind = .linear, domain: Interval) {
        self.kind = kind
        self.domain = domain
    }

    /// The position of `value` in [0, 1] (outside when `value` is outside the domain).
    public func normalized(_ value: Double) -> Double {
        switch kind {
        case .linear:
            return domain.span > 0 ? (value - domain.lower) / domain.span : 0.5
        case .log:
            guard value > 0, domain.lower > 0 else { return .nan }
            let span = log10(domain.upper) - log10(domain.lower)
            return span > 0 ? (log10(value) - log10(domain.lower)) / span : 0.5
        }
    }

    /// The inverse of `normalized`.
    public func value(atNormalized t: Double) -> Double {
        switch kind {
        case .linear:
            return domain.lower + t * domain.span
        case .log:
            return pow(10, log10(domain.lower) + t * (log10(domain.upper) - log10(domain.lower)))
        }
    }

    /// Nice tick positions inside the domain, about `targetCount` of them.
    public func ticks(targetCount: Int = 5) -> [Double] {
        switch kind {
        case .linear: return NiceTicks.linear(domain, targetCount: targetCount)
        case .log: return NiceTicks.logarithmic(domain, targetCount: targetCount)
        }
    }

    /// Labels for the given ticks, written with the precision their spacing needs.
    public func labels(for ticks: [Double]) -> [String] {
        switch kind {
        case .linear: return TickFormatter.linearLabels(ticks)
        case .log:
            // Plain decimals when every tick reads well that way (0.01 … 1000), else 10ⁿ throughout.
            if ticks.allSatisfy({ $0 >= 0.01 && $0 <= 1000 }) { return ticks.map(TickFormatter.compact) }
            return ticks.map(TickFormatter.logLabel)
        }
    }
}
