import Foundation

/// Checks, runs and verifies markdown notebooks (`jko notebook`; conventions in
/// ``NotebookDocument`` and `notebooks-md/README.md`).
///
/// - ``check(_:)`` runs nothing heavy: the document parses, every command parses as a `jko`
///   command line (through `parse`, the command tree of the executable), every command
///   block has its output block and every output block its command, every embedded figure
///   is `figures/ID.png` of an existing recipe `ID`, exists, and its caption names
///   `` `jko figure ID` ``.
/// - ``run(_:regenerateFigures:)`` runs the commands in order, each as a child process of
///   `executable` in one scratch folder per notebook (so `jko run X` then `jko plot runs/X`
///   works), replaces each output block with the command's standard output, writes the
///   file once all commands succeeded, then regenerates the embedded figures from their
///   recipes (a recipe whose run a command already made, same config and seed, draws that
///   run instead of training again). Standard error (progress lines) is not captured; the
///   scratch folder's path is written as a relative path, so the output holds no absolute
///   paths.
/// - ``verify(_:)`` runs the commands the same way and reports every output block that
///   differs from the committed one (``OutputExpectation``); it writes nothing.
public struct NotebookRunner {
    /// A finding of `check` or `verify`: the notebook, the line, one sentence.
    public struct Problem: CustomStringConvertible, Sendable {
        public let file: String
        public let line: Int?
        public let message: String
        /// True for what a plain run fixes (a missing output block, a missing figure file).
        public var fixedByRunning = false
        public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
    }

    /// One command that ran, with its wall-clock time (reported on standard error only).
    public struct Timing: Sendable {
        public let line: Int
        public let command: String
        public let seconds: Double
    }

    /// The `jko` executable the commands run with.
    public let executable: URL
    /// Parses the words after `jko` without running them: nil when they parse, else the message.
    public let parse: ([String]) -> String?
    /// Receives progress lines (the command that starts, its time); the CLI sends them to stderr.
    public var log: (String) -> Void

    public init(executable: URL, parse: @escaping ([String]) -> String?, log: @escaping (String) -> Void = { _ in }) {
        self.executable = executable
        self.parse = parse
        self.log = log
    }

    // MARK: - Check

    /// Every problem `--check` finds in the notebook at `url` (empty: it passes).
    public func check(_ url: URL) -> [Problem] {
        let name = url.lastPathComponent
        func problem(_ line: Int?, _ message: String) -> Problem { Problem(file: name, line: line, message: message) }
        let document: NotebookDocument, blocks: [NotebookDocument.CommandBlock]
        do {
            document = try load(url)
            blocks = try document.commandBlocks()
        } catch let error as NotebookError {
            return [problem(error.line, error.description)]
        } catch {
            return [problem(nil, "\(error)")]
        }
        var problems: [Problem] = []
        for block in blocks {
            for command in block.commands {
                if let message = parse(command.arguments) {
                    let oneLine = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                    problems.append(problem(command.line, "'\(command.text)' does not parse: \(oneLine)"))
                }
            }
            if block.output == nil {
                var missing = problem(block.line, "this ```jko block has no ```output block after it; run 'jko notebook \(name)' to add it")
                missing.fixedByRunning = true
                problems.append(missing)
            }
        }
        for figure in document.figures() {
            if let (message, fixed) = Self.figureProblem(figure, notebookFolder: url.deletingLastPathComponent()) {
                var found = problem(figure.line, message)
                found.fixedByRunning = fixed
                problems.append(found)
            }
        }
        return problems
    }

    /// The recipe ID of an embedded figure `…/figures/ID.png`, or nil if the path is not of that form.
    static func recipeID(of path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        guard url.pathExtension == "png", url.deletingLastPathComponent().lastPathComponent == "figures" else { return nil }
        return url.deletingPathExtension().lastPathComponent
    }

    /// The problem with an embedded figure, if any, and whether a plain run fixes it.
    static func figureProblem(_ figure: NotebookDocument.FigureReference, notebookFolder: URL) -> (String, Bool)? {
        guard let id = recipeID(of: figure.path) else {
            return ("the figure '\(figure.path)' is not a recipe figure; embed figures/ID.png made by 'jko figure ID'", false)
        }
        guard FigureRecipes.named(id) != nil else {
            return ("no figure recipe '\(id)' makes '\(figure.path)'; run 'jko figure --list' for the recipes, or add one in Sources/Experiments/Figures", false)
        }
        guard figure.caption.contains("`jko figure \(id)`") else {
            return ("the caption of '\(figure.path)' does not name the command that regenerates it; write `jko figure \(id)` in it", false)
        }
        let file = notebookFolder.appendingPathComponent(figure.path).standardizedFileURL
        guard FileManager.default.fileExists(atPath: file.path) else {
            return ("the figure '\(figure.path)' does not exist; run 'jko notebook' on this file (or 'jko figure \(id) --out \(file.deletingLastPathComponent().lastPathComponent)' from its parent folder)", true)
        }
        return nil
    }

    // MARK: - Run and verify

    /// Runs the notebook, rewrites its output blocks and (by default) regenerates its
    /// figures. Throws before changing the file if the notebook has problems other than
    /// missing output blocks or figure files, or if a command fails.
    @discardableResult
    public func run(_ url: URL, regenerateFigures: Bool = true) throws -> [Timing] {
        let problems = check(url).filter { !$0.fixedByRunning }
        if let first = problems.first { throw RunnerError.problems(problems, first: first) }
        var document = try load(url)
        let blocks = try document.commandBlocks()
        // The scratch folder lives until the figures are drawn: a recipe whose run a command
        // already made (same config and seed) draws that run instead of training again.
        let scratch = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (outputs, timings) = try execute(blocks, notebook: url.lastPathComponent, keep: scratch)
        for (block, body) in zip(blocks, outputs).reversed() { document.setOutput(of: block, to: body) }
        try Data(document.text.utf8).write(to: url, options: .atomic)
        if regenerateFigures {
            let folder = url.deletingLastPathComponent()
            let byFolder = Dictionary(grouping: document.figures()) {
                folder.appendingPathComponent($0.path).standardizedFileURL.deletingLastPathComponent()
            }
            for (target, figures) in byFolder.sorted(by: { $0.key.path < $1.key.path }) {
                var ids: [String] = []
                for id in figures.compactMap({ Self.recipeID(of: $0.path) }) where !ids.contains(id) { ids.append(id) }
                let start = Date()
                try FigureRecipes.render(ids, into: target, reusing: scratch.appendingPathComponent("work/runs")) { log("wrote \($0.lastPathComponent)") }
                log(String(format: "%@: %d figures in %.1f s", url.lastPathComponent, ids.count, Date().timeIntervalSince(start)))
            }
        }
        return timings
    }

    /// Re-runs the notebook's commands and returns every output block that differs from the
    /// committed one (empty: the notebook verifies). Writes nothing.
    public func verify(_ url: URL) throws -> (problems: [Problem], timings: [Timing]) {
        let checked = check(url)
        if !checked.isEmpty { return (checked, []) }
        let document = try load(url)
        let blocks = try document.commandBlocks()
        let (outputs, timings) = try execute(blocks, notebook: url.lastPathComponent)
        var problems: [Problem] = []
        for (block, fresh) in zip(blocks, outputs) {
            guard let index = block.output, case let .fence(fence) = document.segments[index] else { continue }
            let expectation = try OutputExpectation(info: fence.info, line: fence.line)
            if let d = expectation.firstDifference(committed: fence.body, fresh: fresh) {
                let kind = expectation.isMonteCarlo ? "beyond the block's tolerance" : "differs"
                problems.append(Problem(file: url.lastPathComponent, line: fence.line + 1 + d.index,
                                        message: "the output of '\(block.commands[0].text)' \(kind): committed '\(d.committed)', now '\(d.fresh)'; if the change is intended, run 'jko notebook \(url.lastPathComponent)' and commit the result"))
            }
        }
        return (problems, timings)
    }

    func load(_ url: URL) throws -> NotebookDocument {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw NotebookError.unreadable(path: url.path, reason: "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NotebookError.unreadable(path: url.path, reason: "it is not UTF-8 text")
        }
        return try NotebookDocument(text: text)
    }

    public enum RunnerError: Error, CustomStringConvertible {
        case problems([Problem], first: Problem)
        public var description: String {
            guard case let .problems(all, first) = self else { return "" }
            return all.count == 1 ? "\(first)" : "\(first) (and \(all.count - 1) more: run 'jko notebook --check')"
        }
    }
}
