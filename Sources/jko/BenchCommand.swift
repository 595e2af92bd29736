import ArgumentParser
import Experiments

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark suite and print its figures (build in release: make bench).")

    @Argument(help: "The suite to run; omit to list them.")
    var suite: String?

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    @Flag(help: "Smaller sizes, for a quick smoke run.")
    var quick = false

    func run() throws {
        guard let suite else {
            for s in BenchmarkSuites.all { print("\(s.name): \(s.summary)") }
            return
        }
        guard let body = BenchmarkSuites.named(suite) else {
            throw ValidationError("no benchmark suite '\(suite)'; use one of \(BenchmarkSuites.names.joined(separator: ", "))")
        }
        let report = try body(quick)
        print(json ? report.json : report.table)
    }
}
