import Foundation

/// Per-step metrics: ordered named columns, one row per JKO step, written to
/// `metrics.csv` as each step completes (header `step,t,…`), so an interrupted run
/// keeps every finished step.
public struct MetricsTable: Sendable {
    public private(set) var columns: [String] = []
    public private(set) var rows: [[Double]] = []

    public init() {}

    /// Appends a row; the first row fixes the columns, later rows must repeat them.
    public mutating func append(_ row: [(String, Double)]) {
        if columns.isEmpty { columns = row.map(\.0) }
        precondition(row.map(\.0) == columns, "metrics row columns \(row.map(\.0)) differ from \(columns)")
        rows.append(row.map(\.1))
    }

    /// The first `count` rows (steps 0…count − 1), same columns.
    public func prefix(rows count: Int) -> MetricsTable {
        var out = self
        out.rows = Array(rows.prefix(count))
        return out
    }

    public func column(_ name: String) -> [Double]? {
        guard let j = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[j] }
    }

    /// CSV text: header line, then one line per row (shortest round-trip decimals).
    public var csv: String {
        ([columns.joined(separator: ",")] + rows.map { row in
            row.map { MetricsTable.format($0) }.joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }

    static func format(_ v: Double) -> String {
        if v.rounded() == v && abs(v) < 1e15 { return String(Int(v)) }
        return "\(v)"
    }

    /// Parses a `metrics.csv` (as written by ``csv``).
    public init(csv text: String) throws {
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard let header = lines.first else { return }
        columns = header.split(separator: ",").map(String.init)
        for (i, line) in lines.dropFirst().enumerated() {
            let values = line.split(separator: ",").map { Double($0) }
            guard values.count == columns.count, values.allSatisfy({ $0 != nil }) else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "metrics.csv line \(i + 2) is malformed (expected \(columns.count) numbers separated by commas); the file was cut short or edited: delete the broken lines from the end (jko run --resume then recomputes those steps) or run the experiment again"])
            }
            rows.append(values.map { $0! })
        }
    }

    /// A fixed-width text table of the chosen columns (all when nil), for the terminal.
    public func render(columns chosen: [String]? = nil, every stride: Int = 1) -> String {
        let names = (chosen ?? columns).filter { columns.contains($0) }
        let indices = names.map { columns.firstIndex(of: $0)! }
        let cells: [[String]] = rows.enumerated().filter { $0.offset % stride == 0 || $0.offset == rows.count - 1 }.map { _, row in
            indices.map { j in
                let v = row[j]
                if names[indices.firstIndex(of: j)!] == "step" { return String(Int(v)) }
                return String(format: abs(v) < 1e-3 && v != 0 ? "%.3e" : "%.5f", v)
            }
        }
        let widths = names.indices.map { c in max(names[c].count, cells.map { $0[c].count }.max() ?? 0) }
        func line(_ items: [String]) -> String {
            zip(items, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
        }
        return ([line(names)] + cells.map(line)).joined(separator: "\n")
    }
}
