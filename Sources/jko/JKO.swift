import ArgumentParser
import Experiments

/// `jko`: the command-line face of JKOKit. Parsing and printing only; the work lives in
/// the Experiments module. The entry point is ``Main`` (MPI start and failure).
struct JKO: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jko",
        abstract: "Wasserstein gradient flows, exact and neural, side by side.",
        version: JKOKitVersion.current,
        subcommands: [
            DemoCommand.self,
            RunCommand.self,
            ConfigCommand.self,
            SampleCommand.self,
            BenchCommand.self,
            DistanceCommand.self,
            EvalCommand.self,
            PlotCommand.self,
            FigureCommand.self,
            NotebookCommand.self,
        ]
    )
}

/// Options shared by commands that start a run.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp("Override one config key (TOML value syntax), repeatable.", valueName: "key=value"))
    var overrides: [String] = []

    @Option(parsing: .unconditional, help: "Seed of every random choice (overrides the config's seed).")
    var seed: Int?

    @Flag(help: "The preset's quick size (fewer training iterations and samples; well under a minute), applied before --set.")
    var quick = false

    /// The `--set` overrides, after the preset's quick ones when `--quick` is given.
    @Option(help: "The data folder of an image run (sets images.data; nothing is downloaded).")
    var data: String?

    func overrides(for source: String) throws -> [String] {
        let overrides = self.overrides + (data.map { ["images.data=\"\($0)\""] } ?? [])
        guard quick else { return overrides }
        guard let quickOnes = Presets.quickOverrides(source) else {
            throw ValidationError("--quick applies to the built-in presets ('jko config list'); for a config file set flow.steps and neural.*_iterations with --set")
        }
        return quickOnes + overrides
    }

    func validate() throws {
        if let seed, seed < 0 { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
    }
}

/// A failure reported as one sentence (no usage text after it, unlike ValidationError).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
