import Foundation

/// A value read from a config file or a `--set key=value` override, before it is checked
/// against the schema: numbers keep whether they were written as integers.
public indirect enum ConfigValue: Equatable, Sendable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case string(String)
    case bool(Bool)
    case array([ConfigValue])

    /// The kind of value, as named in error messages ("a string", "an array", …).
    public var kindDescription: String {
        switch self {
        case .integer: return "an integer"
        case .number: return "a number"
        case .string: return "a string"
        case .bool: return "a boolean"
        case .array: return "an array"
        }
    }

    /// The value as written in TOML (`0.05`, `"ou-2d"`, `[[1.0, 0.0], [0.0, 1.0]]`).
    public var description: String {
        switch self {
        case let .integer(i): return String(i)
        case let .number(d): return ConfigValue.format(d)
        case let .string(s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case let .bool(b): return b ? "true" : "false"
        case let .array(a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// Shortest round-tripping decimal for a Double, always with a decimal point or exponent.
    public static func format(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        let s = "\(d)"
        return s.contains(".") || s.contains("e") ? s : s + ".0"
    }

    // MARK: Typed views (nil when the value has another shape)

    public var doubleValue: Double? {
        switch self {
        case let .integer(i): return Double(i)
        case let .number(d): return d
        default: return nil
        }
    }

    public var integerValue: Int? {
        switch self {
        case let .integer(i): return i
        case let .number(d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        default: return nil
        }
    }

    public var vectorValue: [Double]? {
        guard case let .array(a) = self else { return nil }
        let out = a.compactMap(\.doubleValue)
        return out.count == a.count ? out : nil
    }

    public var matrixValue: [[Double]]? {
        guard case let .array(a) = self else { return nil }
        let out = a.compactMap(\.vectorValue)
        return out.count == a.count ? out : nil
    }

    public var matrixListValue: [[[Double]]]? {
        guard case let .array(a) = self else { return nil }
        let out = a.compactMap(\.matrixValue)
        return out.count == a.count ? out : nil
    }

    public var stringListValue: [String]? {
        guard case let .array(a) = self else { return nil }
        let out = a.compactMap { v -> String? in if case let .string(s) = v { return s } else { return nil } }
        return out.count == a.count ? out : nil
    }

    // MARK: Building values from Swift

    public static func vector(_ v: [Double]) -> ConfigValue { .array(v.map { .number($0) }) }
    public static func matrix(_ m: [[Double]]) -> ConfigValue { .array(m.map(vector)) }
    public static func matrixList(_ m: [[[Double]]]) -> ConfigValue { .array(m.map(matrix)) }
    public static func stringList(_ s: [String]) -> ConfigValue { .array(s.map { .string($0) }) }
}
