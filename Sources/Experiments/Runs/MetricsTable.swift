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

    /// A line of a CSV table that does not parse (1-based line number).
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line) \(reason)" }
    }

    /// Parses a `metrics.csv` (as written by ``csv``): a header of distinct non-empty
    /// names, then rows of as many numbers. Throws ``ParseError`` naming the first bad line.
    public init(csv text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.first(where: { !$0.isEmpty }) else { return }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard names.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }), Set(names).count == names.count else {
            throw ParseError(line: 1, reason: "is not a header of distinct column names (letters, digits, '_') separated by commas; the header is damaged, which deleting lines from the end cannot fix")
        }
        columns = names
        let headerIndex = lines.firstIndex(of: header)!
        for (i, line) in lines.enumerated() where i > headerIndex && !line.isEmpty {
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            guard values.count == columns.count, values.allSatisfy({ $0 != nil }) else {
                throw ParseError(line: i + 1, reason: "is malformed (expected \(columns.count) numbers separated by commas); the file was cut short or edited")
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
                if names[indices.firstIndex(of: j)!] == "step" { return MetricsTable.format(v) }
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
