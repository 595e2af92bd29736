import Foundation

/// A markdown notebook as a sequence of prose and fenced blocks, kept line for line so that
/// writing it back changes nothing but the output blocks the runner replaces.
///
/// Conventions (documented for authors in `notebooks-md/README.md`):
/// - a fence whose info string is `jko` holds commands as a reader types them, one per line
///   (`jko run ou-2d --set flow.steps=10`; a trailing `\` continues a line; blank lines and
///   `# comment` lines are skipped);
/// - the fence right after it (only blank lines between) with info string `output …` holds
///   what the commands print on standard output (`output mc rtol=0.05 atol=1e-3` marks a
///   Monte-Carlo block compared within that tolerance, see ``OutputExpectation``);
/// - `![alt](../figures/ID.png)` embeds the figure of recipe `ID`; its caption (the rest of
///   the image's paragraph, or the next paragraph) names `` `jko figure ID` ``.
/// Any other fence (```` ```sh ````, ```` ```toml ````) is prose: never run, never checked.
public struct NotebookDocument: Sendable {
    /// A fenced block: `opening` is the opening fence line as written (e.g. ```` ```jko ````),
    /// `info` its trimmed info string, `line` its 1-based line number in the file.
    public struct Fence: Sendable {
        public let opening: String
        public let info: String
        public var body: [String]
        public let line: Int
    }

    public enum Segment: Sendable {
        case prose([String], line: Int)
        case fence(Fence)
    }

    /// A `jko` block with its commands and, if present, the segment index of its output block.
    public struct CommandBlock: Sendable {
        public let segment: Int
        public let line: Int
        public let commands: [NotebookCommandLine]
        public let output: Int?
    }

    /// An embedded image: its link target as written, the line of the link, and its caption.
    public struct FigureReference: Sendable {
        public let path: String
        public let line: Int
        public let caption: String
    }

    public var segments: [Segment]
    /// Whether the file ended with a newline (kept when writing back).
    let endsWithNewline: Bool

    public init(text: String) throws {
        var lines = text.components(separatedBy: "\n")
        endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { lines.removeLast() }
        var segments: [Segment] = [], prose: [String] = [], proseStart = 1
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("```") {
                if !prose.isEmpty { segments.append(.prose(prose, line: proseStart)) }
                prose = []
                let opening = line, start = index + 1
                var body: [String] = []
                index += 1
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "```" {
                    body.append(lines[index])
                    index += 1
                }
                guard index < lines.count else { throw NotebookError.unclosedFence(line: start) }
                let info = String(opening.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                segments.append(.fence(Fence(opening: opening, info: info, body: body, line: start)))
                index += 1
                proseStart = index + 1
            } else {
                if prose.isEmpty { proseStart = index + 1 }
                prose.append(line)
                index += 1
            }
        }
        if !prose.isEmpty { segments.append(.prose(prose, line: proseStart)) }
        self.segments = segments
    }

    /// The document as markdown text, fences and prose exactly as parsed or replaced.
    public var text: String {
        var lines: [String] = []
        for segment in segments {
            switch segment {
            case let .prose(prose, _): lines += prose
            case let .fence(fence): lines += [fence.opening] + fence.body + ["```"]
            }
        }
        return lines.joined(separator: "\n") + (endsWithNewline ? "\n" : "")
    }

    /// Whether a fence is a command block (`jko`) or an output block (`output …`).
    static func isCommand(_ fence: Fence) -> Bool { fence.info == "jko" }
    static func isOutput(_ fence: Fence) -> Bool { fence.info == "output" || fence.info.hasPrefix("output ") }

    /// The `jko` blocks in order, each paired with the output block right after it (blank
    /// prose lines between are allowed). Throws for an output block that follows no command
    /// block and for a command line that is not a single `jko` invocation.
    public func commandBlocks() throws -> [CommandBlock] {
        var blocks: [CommandBlock] = [], claimed = Set<Int>()
        for (i, segment) in segments.enumerated() {
            guard case let .fence(fence) = segment, Self.isCommand(fence) else { continue }
            let commands = try NotebookCommandLine.parse(block: fence.body, firstLine: fence.line + 1)
            if commands.isEmpty { throw NotebookError.emptyCommandBlock(line: fence.line) }
            var next = i + 1
            if next < segments.count, case let .prose(prose, _) = segments[next],
               prose.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { next += 1 }
            var output: Int?
            if next < segments.count, case let .fence(candidate) = segments[next], Self.isOutput(candidate) {
                _ = try OutputExpectation(info: candidate.info, line: candidate.line)
                output = next
                claimed.insert(next)
            }
            blocks.append(CommandBlock(segment: i, line: fence.line, commands: commands, output: output))
        }
        for (i, segment) in segments.enumerated() {
            if case let .fence(fence) = segment, Self.isOutput(fence), !claimed.contains(i) {
                throw NotebookError.orphanOutput(line: fence.line)
            }
        }
        return blocks
    }

    /// Every `![alt](path)` in the prose (outside inline code spans) with its caption: the
    /// text after the link in its paragraph, or, when the link stands alone, the next paragraph.
    public func figures() -> [FigureReference] {
        let pattern = try! NSRegularExpression(pattern: #"!\[[^\]]*\]\(([^)\s]+)\)"#)
        var found: [FigureReference] = []
        for (s, segment) in segments.enumerated() {
            guard case let .prose(lines, firstLine) = segment else { continue }
            for (i, line) in lines.enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                // An image written inside an inline code span (`![…](…)`) is an example, not a figure.
                let code = Self.codeSpan.matches(in: line, range: range).map(\.range)
                for match in pattern.matches(in: line, range: range)
                where !code.contains(where: { NSLocationInRange(match.range.location, $0) }) {
                    let path = String(line[Range(match.range(at: 1), in: line)!])
                    let rest = String(line[Range(match.range, in: line)!.upperBound...])
                    found.append(FigureReference(path: path, line: firstLine + i,
                                                 caption: caption(after: rest, lines: lines, index: i, segment: s)))
                }
            }
        }
        return found
    }

    private static let codeSpan = try! NSRegularExpression(pattern: "`[^`]*`")

    private func caption(after rest: String, lines: [String], index: Int, segment: Int) -> String {
        func blank(_ s: String) -> Bool { s.trimmingCharacters(in: .whitespaces).isEmpty }
        var paragraph = [rest]
        var j = index + 1
        while j < lines.count, !blank(lines[j]) { paragraph.append(lines[j]); j += 1 }
        if paragraph.contains(where: { !blank($0) }) { return paragraph.joined(separator: " ") }
        while j < lines.count, blank(lines[j]) { j += 1 }
        var next: [String] = []
        while j < lines.count, !blank(lines[j]) { next.append(lines[j]); j += 1 }
        return next.joined(separator: " ")
    }

    /// Replaces (or inserts, right after the command block) the output block of `block`.
    mutating func setOutput(of block: CommandBlock, to body: [String]) {
        if let index = block.output, case let .fence(old) = segments[index] {
            segments[index] = .fence(Fence(opening: old.opening, info: old.info, body: body, line: old.line))
        } else {
            let fence = Fence(opening: "```output", info: "output", body: body, line: 0)
            segments.insert(.fence(fence), at: block.segment + 1)
            segments.insert(.prose([""], line: 0), at: block.segment + 1)
        }
    }
}
