import ArgumentParser
import Experiments
import Foundation

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run markdown notebooks: their ```jko commands fill the ```output blocks after them, and their figures are regenerated.",
        discussion: """
            Conventions: notebooks-md/README.md. Without a flag, runs each notebook's commands in order in a scratch folder, \
            writes their standard output into the output blocks (the file is written only when every command succeeded) and \
            regenerates every embedded figures/ID.png with 'jko figure ID'. --check runs nothing heavy (commands parse, output \
            blocks belong to commands, figures exist and their captions name 'jko figure ID'); --verify re-runs the commands and \
            fails when an output block differs from the committed one. Times of each command go to standard error.
            """)

    @Argument(help: "Markdown notebooks (e.g. notebooks-md/*.md).")
    var files: [String]

    @Flag(help: "Check without running anything heavy.")
    var check = false

    @Flag(help: "Re-run the commands and fail if an output block differs from the committed one; writes nothing.")
    var verify = false

    @Flag(help: "Rewrite the output blocks but leave the figures alone.")
    var noFigures = false

    func validate() throws {
        if check && verify { throw ValidationError("give --check or --verify, not both (--verify checks first)") }
        if noFigures && (check || verify) { throw ValidationError("--no-figures applies to a plain run; --check and --verify write no figures") }
        for file in files where !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("no notebook at \(file); give the path of a markdown file such as notebooks-md/01-….md")
        }
    }

    func run() throws {
        let runner = NotebookRunner(executable: Self.executable, parse: Self.parse, log: Self.log)
        var failures: [NotebookRunner.Problem] = []
        for file in files {
            let url = URL(fileURLWithPath: file)
            if check {
                let problems = runner.check(url)
                failures += problems
                print(problems.isEmpty ? "\(file): ok" : problems.map(\.description).joined(separator: "\n"))
            } else if verify {
                let start = Date()
                let (problems, _) = try runner.verify(url)
                failures += problems
                let time = String(format: "%.0f s", Date().timeIntervalSince(start))
                print(problems.isEmpty ? "\(file): every output block matches (\(time))" : problems.map(\.description).joined(separator: "\n"))
            } else {
                let start = Date()
                let timings = try runner.run(url, regenerateFigures: !noFigures)
                print(String(format: "%@: ran %d commands (%.0f s of commands, %.0f s in all)", file, timings.count,
                             timings.map(\.seconds).reduce(0, +), Date().timeIntervalSince(start)))
            }
        }
        if !failures.isEmpty { throw ExitCode.failure }
    }

    /// This executable: the commands of a notebook run with the same build.
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// Parses `jko ARGUMENTS` with the command tree (validation included) without running it.
    static func parse(_ arguments: [String]) -> String? {
        do {
            _ = try JKO.parseAsRoot(arguments)
            return nil
        } catch {
            return JKO.message(for: error)
        }
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
