import Foundation

/// How `jko notebook --verify` compares a committed output block with a fresh one.
///
/// - ```` ```output ````: exact. Every line must be the same text (trailing blanks ignored),
///   so numbers match digit for digit: the commands are seeded and deterministic on one
///   machine kind.
/// - ```` ```output mc rtol=R atol=A ````: Monte-Carlo. The two blocks must have the same
///   text once every number is taken out (same words, same columns), and each pair of
///   numbers a, b must satisfy |a − b| ≤ max(A, R·max(|a|, |b|)) (both default to 0; give at
///   least one). For outputs that depend on randomness the seed does not pin down, e.g. a
///   thread count or a sample size a reader may change.
public struct OutputExpectation: Sendable, Equatable {
    public let isMonteCarlo: Bool
    public let relativeTolerance: Double
    public let absoluteTolerance: Double

    /// Parses an info string `output [mc] [rtol=R] [atol=A]`; `line` names the block in errors.
    public init(info: String, line: Int) throws {
        let words = info.split(separator: " ").map(String.init)
        guard words.first == "output" else { throw NotebookError.badOutputInfo(line: line, info: info) }
        var mc = false, rtol = 0.0, atol = 0.0
        for word in words.dropFirst() {
            if word == "mc" { mc = true; continue }
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), value >= 0, value.isFinite,
                  parts[0] == "rtol" || parts[0] == "atol" else { throw NotebookError.badOutputInfo(line: line, info: info) }
            if parts[0] == "rtol" { rtol = value } else { atol = value }
        }
        if mc && rtol == 0 && atol == 0 { throw NotebookError.badOutputInfo(line: line, info: info) }
        if !mc && (rtol != 0 || atol != 0) { throw NotebookError.badOutputInfo(line: line, info: info) }
        isMonteCarlo = mc
        relativeTolerance = rtol
        absoluteTolerance = atol
    }

    /// The first difference between the committed block and the fresh one, as
    /// (0-based line in the block, committed line, fresh line), or nil when they agree.
    public func firstDifference(committed: [String], fresh: [String]) -> (index: Int, committed: String, fresh: String)? {
        let a = Self.normalised(committed), b = Self.normalised(fresh)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : "", y = i < b.count ? b[i] : ""
            if !(isMonteCarlo ? linesAgree(x, y) : x == y) || (i >= a.count) != (i >= b.count) { return (i, x, y) }
        }
        return nil
    }

    /// Lines without trailing blanks, trailing empty lines dropped.
    static func normalised(_ lines: [String]) -> [String] {
        var out = lines.map { line -> String in
            var s = Substring(line)
            while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
            return String(s)
        }
        while out.last == "" { out.removeLast() }
        return out
    }

    /// Same skeleton (the text with numbers replaced by a mark) and every number within tolerance.
    func linesAgree(_ x: String, _ y: String) -> Bool {
        let (skeletonX, numbersX) = Self.numbers(in: x), (skeletonY, numbersY) = Self.numbers(in: y)
        guard skeletonX == skeletonY, numbersX.count == numbersY.count else { return false }
        for (a, b) in zip(numbersX, numbersY) where abs(a - b) > max(absoluteTolerance, relativeTolerance * max(abs(a), abs(b))) {
            return false
        }
        return true
    }

    private static let numberPattern = try! NSRegularExpression(pattern: #"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"#)

    /// The line with each decimal number replaced by `#` (runs of blanks squeezed to one, so
    /// a column that widens by a digit still matches), and the numbers in order.
    static func numbers(in line: String) -> (skeleton: String, values: [Double]) {
        let range = NSRange(line.startIndex..., in: line)
        var skeleton = "", values: [Double] = [], cursor = line.startIndex
        for match in numberPattern.matches(in: line, range: range) {
            let r = Range(match.range, in: line)!
            skeleton += line[cursor..<r.lowerBound] + "#"
            values.append(Double(line[r])!)
            cursor = r.upperBound
        }
        skeleton += line[cursor...]
        let squeezed = skeleton.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return (squeezed, values)
    }
}
