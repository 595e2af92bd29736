import Foundation

/// One `jko …` command of a notebook, as a reader types it in a shell.
///
/// Words are split like a POSIX shell does for plain words: blanks separate, `'…'` keeps
/// everything literally, `"…"` keeps everything but `\"` and `\\`, a backslash outside
/// quotes escapes the next character. There is no shell around the command: unquoted
/// `| > < ; & $ \`` are refused (a pipe or a loop belongs in an ```` ```sh ```` block, which is
/// not run), so every command is one `jko` invocation whose output can be captured.
public struct NotebookCommandLine: Sendable, Equatable {
    /// The 1-based line of the command's first line in the notebook.
    public let line: Int
    /// The command as written (continuation lines joined by a space).
    public let text: String
    /// The words after the leading `jko`.
    public let arguments: [String]

    /// The commands of a `jko` block body whose first line is `firstLine`.
    static func parse(block: [String], firstLine: Int) throws -> [NotebookCommandLine] {
        var commands: [NotebookCommandLine] = []
        var pending = "", pendingLine = 0
        for (offset, raw) in block.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (line.isEmpty || line.hasPrefix("#")) { continue }
            if pending.isEmpty { pendingLine = firstLine + offset }
            if line.hasSuffix("\\") {
                pending += String(line.dropLast()).trimmingCharacters(in: .whitespaces) + " "
                continue
            }
            pending += line
            commands.append(try command(pending, line: pendingLine))
            pending = ""
        }
        if !pending.isEmpty { commands.append(try command(pending, line: pendingLine)) }
        return commands
    }

    static func command(_ text: String, line: Int) throws -> NotebookCommandLine {
        let words = try split(text, line: line)
        guard words.first == "jko" else {
            throw NotebookError.notAJKOCommand(line: line, text: text)
        }
        if words.dropFirst().first == "notebook" {
            throw NotebookError.nestedNotebook(line: line)
        }
        return NotebookCommandLine(line: line, text: text, arguments: Array(words.dropFirst()))
    }

    /// Shell-style word splitting without expansions (see the type's comment).
    static func split(_ text: String, line: Int) throws -> [String] {
        var words: [String] = [], word = "", inWord = false
        var characters = Array(text)[...]
        while let c = characters.popFirst() {
            switch c {
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            case "'":
                inWord = true
                guard let end = characters.firstIndex(of: "'") else { throw NotebookError.unclosedQuote(line: line) }
                word += String(characters[..<end])
                characters = characters[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let d = characters.popFirst() {
                    if d == "\"" { closed = true; break }
                    if d == "\\", let e = characters.first, e == "\"" || e == "\\" { word.append(characters.removeFirst()); continue }
                    word.append(d)
                }
                if !closed { throw NotebookError.unclosedQuote(line: line) }
            case "\\":
                inWord = true
                if let next = characters.popFirst() { word.append(next) }
            case "|", ">", "<", ";", "&", "$", "`":
                throw NotebookError.shellSyntax(line: line, character: c)
            default:
                inWord = true
                word.append(c)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
