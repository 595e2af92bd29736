import Foundation

extension NotebookRunner {
    /// Runs every command of `blocks` in order in one fresh scratch folder and returns each
    /// block's output body: the standard output of its command, or, for a block of several
    /// commands, each command's output after a `$ jko …` line. The scratch folder's path in
    /// the output is made relative (`runs/x`, not `/tmp/…/runs/x`); trailing blanks and
    /// trailing empty lines are dropped. The folder is removed afterwards, unless `keep` is
    /// given: then it is `keep`'s folder (its commands ran in `keep/work`) and the caller
    /// removes it.
    func execute(_ blocks: [NotebookDocument.CommandBlock], notebook: String, keep: URL? = nil) throws -> (outputs: [[String]], timings: [Timing]) {
        let root = keep ?? Self.scratchFolder()
        let work = root.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: root) } }
        var outputs: [[String]] = [], timings: [Timing] = []
        for block in blocks {
            var body: [String] = []
            for command in block.commands {
                log("\(notebook):\(command.line): \(command.text)")
                let start = Date()
                let lines = try runCommand(command, in: work, captureFolder: root)
                let seconds = Date().timeIntervalSince(start)
                timings.append(Timing(line: command.line, command: command.text, seconds: seconds))
                log(String(format: "  %.1f s", seconds))
                if block.commands.count > 1 { body.append("$ \(command.text)") }
                body += lines
            }
            outputs.append(OutputExpectation.normalised(body))
        }
        return (outputs, timings)
    }

    /// A fresh, not yet created scratch folder path under the temporary directory.
    static func scratchFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("jko-notebook-\(UUID().uuidString)")
    }

    /// One command as a child process in `work`; its standard output as lines.
    func runCommand(_ command: NotebookCommandLine, in work: URL, captureFolder: URL) throws -> [String] {
        let outURL = captureFolder.appendingPathComponent("stdout"), errURL = captureFolder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = command.arguments
        process.currentDirectoryURL = work
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
            throw NotebookError.commandFailed(line: command.line, command: command.text, status: process.terminationStatus,
                                              stderr: Self.relative(stderr, to: work))
        }
        return Self.relative(stdout, to: work).components(separatedBy: "\n")
    }

    /// `text` with the scratch folder's absolute path (as given and with symbolic links
    /// resolved) replaced by a relative one.
    static func relative(_ text: String, to work: URL) -> String {
        var result = text
        for path in Set([work.path, work.resolvingSymlinksInPath().path, work.standardizedFileURL.path]) {
            result = result.replacingOccurrences(of: path + "/", with: "").replacingOccurrences(of: path, with: ".")
        }
        return result
    }
}
