import Foundation

/// A notebook that cannot be read, checked or run: one sentence naming the line and the fix.
/// Lines are 1-based lines of the markdown file; the runner prefixes the file name.
public enum NotebookError: Error, CustomStringConvertible, Equatable {
    case unclosedFence(line: Int)
    case emptyCommandBlock(line: Int)
    case orphanOutput(line: Int)
    case badOutputInfo(line: Int, info: String)
    case notAJKOCommand(line: Int, text: String)
    case nestedNotebook(line: Int)
    case unclosedQuote(line: Int)
    case shellSyntax(line: Int, character: Character)
    case commandFailed(line: Int, command: String, status: Int32, stderr: String)
    case unreadable(path: String, reason: String)

    public var line: Int? {
        switch self {
        case let .unclosedFence(line), let .emptyCommandBlock(line), let .orphanOutput(line), let .badOutputInfo(line, _),
             let .notAJKOCommand(line, _), let .nestedNotebook(line), let .unclosedQuote(line), let .shellSyntax(line, _),
             let .commandFailed(line, _, _, _):
            return line
        case .unreadable: return nil
        }
    }

    public var description: String {
        switch self {
        case .unclosedFence:
            return "a fenced block opened here is never closed; add a line with ``` after it"
        case .emptyCommandBlock:
            return "this ```jko block holds no command; write the command (jko …) or remove the block"
        case .orphanOutput:
            return "this ```output block follows no ```jko block; put it right after the command whose output it shows, or remove it"
        case let .badOutputInfo(_, info):
            return "the info string '\(info)' is not 'output' or 'output mc rtol=R atol=A' (mc needs rtol or atol > 0, and only mc takes tolerances)"
        case let .notAJKOCommand(_, text):
            return "'\(text)' does not start with 'jko'; a ```jko block holds jko commands only (other shell lines go in a ```sh block, which is not run)"
        case .nestedNotebook:
            return "a notebook cannot run 'jko notebook'; run the other notebook on its own"
        case .unclosedQuote:
            return "a quote in this command is never closed; close it"
        case let .shellSyntax(_, character):
            return "unquoted '\(character)' is shell syntax, and a ```jko command runs without a shell; quote it, or move the line to a ```sh block (not run)"
        case let .commandFailed(_, command, status, stderr):
            let tail = stderr.split(separator: "\n").suffix(3).joined(separator: " / ")
            return "'\(command)' exited with status \(status)\(tail.isEmpty ? "" : ": \(tail)"); fix the command or the code, then run the notebook again (the file was not changed)"
        case let .unreadable(path, reason):
            return "cannot read the notebook \(path): \(reason)"
        }
    }
}
