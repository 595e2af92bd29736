import Foundation

/// The figures of one benchmark suite (`jko bench NAME`), printed as a table or as one
/// JSON object (`--json`).
public struct BenchmarkReport: Sendable {
    /// One measured figure.
    public struct Entry: Sendable {
        public var key: String
        public var value: Double
        public var unit: String
        /// The goal it is measured against, in words (e.g. "≤ 20 ms"), if any.
        public var goal: String?
        public init(key: String, value: Double, unit: String, goal: String? = nil) {
            self.key = key; self.value = value; self.unit = unit; self.goal = goal
        }
    }

    public var suite: String
    public var entries: [Entry] = []
    /// Context lines (machine, thread count, reference timings).
    public var notes: [String] = []

    public init(suite: String) { self.suite = suite }

    public mutating func add(_ key: String, _ value: Double, unit: String, goal: String? = nil) {
        entries.append(Entry(key: key, value: value, unit: unit, goal: goal))
    }

    public func value(_ key: String) -> Double? { entries.first { $0.key == key }?.value }

    /// `{"suite": …, "figures": {key: value, …}, "units": {…}, "goals": {…}, "notes": […]}`.
    public var json: String {
        var object: [String: Any] = ["suite": suite, "notes": notes]
        object["figures"] = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value.isFinite ? $0.value as Any : NSNull()) })
        object["units"] = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.unit) })
        object["goals"] = Dictionary(uniqueKeysWithValues: entries.compactMap { e in e.goal.map { (e.key, $0) } })
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// An aligned text table: key, value, unit, goal.
    public var table: String {
        let keyWidth = max(6, entries.map(\.key.count).max() ?? 0)
        var lines = ["== \(suite) =="]
        for e in entries {
            let v = abs(e.value) >= 1e4 || (abs(e.value) < 1e-2 && e.value != 0) ? String(format: "%.4g", e.value) : String(format: "%.4f", e.value)
            lines.append(e.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + "  " + v + " " + e.unit + (e.goal.map { "   (goal \($0))" } ?? ""))
        }
        lines += notes.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

/// Wall-clock timing for benchmarks: best of `repeats` runs (the machine is shared, so
/// the minimum is the stable figure).
public enum Stopwatch {
    public static func best(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return best
    }
}
