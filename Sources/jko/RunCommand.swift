import ArgumentParser
import Experiments
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment from a preset or a TOML config file into a run folder.",
        discussion: """
            Writes runs/NAME/ (or --out): config.toml, run.json, log.txt, metrics.csv, samples/*.npy, density/*.npy \
            and checkpoints/METHOD/step-KKKK.safetensors (the two latest steps). With --resume, continues a run \
            that was stopped or killed from its last complete step; the command must resolve the same config.
            """)

    @Argument(help: "A preset name (see 'jko config list') or a path to a .toml config file.")
    var config: String

    @OptionGroup var options: RunOptions

    @Option(help: "The run folder (default: runs/NAME).")
    var out: String?

    @Flag(help: "Overwrite an existing run folder.")
    var force = false

    @Flag(help: "Continue the run in the existing folder from its last complete JKO step (same preset or file, --set and --seed as before).")
    var resume = false

    @Option(help: ArgumentHelp("Columns of metrics.csv to print, comma-separated (default: all; step first if listed). metrics.csv always holds every column.", valueName: "a,b,…"))
    var columns: String?

    @Option(help: "Print every N-th step (and the last); default: about 5 rows.")
    var every: Int?

    func validate() throws {
        if resume && force {
            throw ValidationError("--resume continues the existing run folder and --force replaces it; pass only one of them")
        }
        if let every, every < 1 { throw ValidationError("--every must be ≥ 1, got \(every)") }
        if let columns, columns.split(separator: ",").isEmpty { throw ValidationError("--columns needs at least one column name, e.g. --columns step,t") }
    }

    /// The table as `--columns` and `--every` ask (unknown columns: an error naming the known ones).
    func printed(_ table: MetricsTable, dimension: Int, steps: Int) throws -> String {
        let stride = every ?? max(1, steps / 5)
        guard let columns else { return table.render(columns: table.terminalColumns(dimension: dimension), every: stride) }
        let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let unknown = names.filter { !table.columns.contains($0) }
        if !unknown.isEmpty {
            throw ValidationError("no column \(unknown.joined(separator: ", ")) in this run's metrics.csv (it is written); its columns are \(table.columns.joined(separator: ", "))")
        }
        return table.render(columns: names, every: stride)
    }

    func run() throws {
        if resume { return try resumeRun() }
        let (resolved, folder) = try RunLauncher.prepare(source: config, overrides: options.overrides(for: config), seed: options.seed,
                                                         out: out, force: force)
        let progress = ProgressReporter(label: resolved.name, total: resolved.flow.steps + 1)
        let table = try ExperimentRunner(config: resolved, folder: folder)
            .run(source: config, command: CommandLine.arguments.joined(separator: " "), progress: progress)
        print(try printed(table, dimension: resolved.dimension, steps: resolved.flow.steps))
        print("wrote \(folder.url.path)")
    }

    func resumeRun() throws {
        let (resolved, folder) = try RunLauncher.prepareResume(source: config, overrides: options.overrides(for: config), seed: options.seed, out: out)
        let progress = ProgressReporter(label: resolved.name, total: resolved.flow.steps + 1)
        let resumption = try ExperimentRunner(config: resolved, folder: folder)
            .resume(command: CommandLine.arguments.joined(separator: " "), source: config, progress: progress)
        for note in resumption.notes { print("note: \(note)") }
        if resumption.wasComplete {
            print("the run in \(folder.url.path) is already complete (steps 0…\(resolved.flow.steps)); nothing to do")
            return
        }
        print(try printed(resumption.table, dimension: resolved.dimension, steps: resolved.flow.steps))
        let start = resumption.lastCompleteStep.map { "resumed at step \($0)" } ?? "no complete step to resume from, ran from step 0"
        print("\(start); wrote \(folder.url.path)")
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the default experiment (ou-2d) into runs/demo, then the 1D particle JKO next to the analytic flow (ou-1d) into runs/demo/ou-1d, then the neural S-JKO flow beside them (neural-ou-1d --quick) into runs/demo/neural-ou-1d.")

    @Option(help: "The demo's run folder (replaced only if it holds an earlier demo).")
    var out = "runs/demo"

    func run() throws {
        let (config, folder) = try RunLauncher.prepareDemo(out: out, overrides: [])
        print("jko demo: \(config.name), K = \(config.flow.steps) steps of h = \(config.flow.timeStep)")
        print("analytic Ornstein–Uhlenbeck ρ_t vs the exact Gaussian JKO iterates; w2/symkl = their gap (O(h))\n")
        let table = try ExperimentRunner(config: config, folder: folder)
            .run(source: "demo", command: "jko demo", progress: ProgressReporter(label: "demo", total: config.flow.steps + 1))
        print(table.render(columns: ["step", "t", "analytic_mean_1", "analytic_mean_2", "analytic_cov_11", "analytic_cov_22",
                                     "gaussian_jko_cov_11", "w2_gaussian_jko", "symkl_gaussian_jko"], every: 4))
        print("\nwrote \(folder.url.path)/metrics.csv and samples/step-0000…\(String(format: "%04d", config.flow.steps)).npy")

        // The 1D particle JKO scheme next to the analytic solution (and finite volumes).
        let particleConfig = try ConfigLoader.resolve("ou-1d", overrides: [])
        let particleFolder = try RunFolder.create(at: folder.url.appendingPathComponent("ou-1d"), force: true)
        print("\njko demo: ou-1d, \(particleConfig.particles.count) particles, K = \(particleConfig.flow.steps) steps of h = \(particleConfig.flow.timeStep)")
        print("analytic ρ_t vs the Lagrangian particle JKO (Newton iterations per step) and finite volumes; w2exact = exact 1D W₂\n")
        let particleTable = try ExperimentRunner(config: particleConfig, folder: particleFolder)
            .run(source: "demo", command: "jko demo", progress: ProgressReporter(label: "demo ou-1d", total: particleConfig.flow.steps + 1))
        print(particleTable.render(columns: ["step", "t", "analytic_mean_1", "particle_jko_mean_1", "analytic_cov_11", "particle_jko_cov_11",
                                             "particle_jko_newton_iterations", "w2exact_particle_jko_vs_analytic",
                                             "w2exact_particle_jko_vs_gaussian_jko", "w2exact_finite_volume_vs_analytic"], every: 4))
        print("\nwrote \(particleFolder.url.path)/metrics.csv, samples/ and density/")

        // The neural flow (S-JKO, trained on target samples only) beside the exact columns.
        let neuralConfig = try ConfigLoader.resolve("neural-ou-1d", overrides: Presets.quickOverrides("neural-ou-1d") ?? [])
        let neuralFolder = try RunFolder.create(at: folder.url.appendingPathComponent("neural-ou-1d"), force: true)
        print("\njko demo: neural-ou-1d --quick, S-JKO trained on samples of ν only, beside the analytic flow, particle JKO and finite volumes")
        print("w2_vs_particle_jko = exact W₂ from \(neuralConfig.neural.w2SampleCount) neural samples to the particle-JKO iterate; w2floor = the same for a sample of that iterate (noise)\n")
        let neuralTable = try ExperimentRunner(config: neuralConfig, folder: neuralFolder)
            .run(source: "demo", command: "jko demo", progress: ProgressReporter(label: "demo neural-ou-1d", total: neuralConfig.flow.steps + 1))
        print(neuralTable.render(columns: ["step", "t", "analytic_mean_1", "neural_sjko_mean_1", "analytic_cov_11", "neural_sjko_cov_11",
                                           "neural_sjko_w2_vs_particle_jko", "neural_sjko_w2floor_vs_particle_jko",
                                           "neural_sjko_w2_vs_analytic", "neural_sjko_w2floor_vs_analytic"], every: 2))
        print("\nwrote \(neuralFolder.url.path)/metrics.csv, samples/, training/ and checkpoints/")
    }
}
