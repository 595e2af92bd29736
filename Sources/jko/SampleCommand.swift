import ArgumentParser
import Experiments
import Foundation
import NumericalCore

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write samples of step K of a run as a NumPy .npy file [count, d].")

    @Argument(help: "A run folder written by 'jko run'.")
    var runFolder: String

    @Option(parsing: .unconditional, help: "The JKO step K.")
    var step: Int

    @Option(parsing: .unconditional, help: "Number of samples.")
    var count: Int = 1000

    @Option(help: "Output .npy file.")
    var out: String

    @Option(parsing: .unconditional, help: "Seed of the draw.")
    var seed: Int = 0

    @Option(help: "Method to sample (default: the run's reference method).")
    var method: String?

    func validate() throws {
        if step < 0 { throw ValidationError("--step must be ≥ 0, got \(step)") }
        if count < 1 { throw ValidationError("--count must be ≥ 1, got \(count)") }
        if count > SampleExport.maximumValueCount {
            throw ValidationError("--count \(count) is more than the \(SampleExport.maximumValueCount) samples one file may hold (0.8 GB per coordinate); ask for fewer and run the command again with other seeds for more")
        }
        if seed < 0 { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
    }

    func run() throws {
        let folder = try RunFolder.open(URL(fileURLWithPath: runFolder))
        let points = try SampleExport.samples(of: folder, step: step, count: count, seed: seed, method: method)
        // Under mpirun every rank has the gathered samples; rank 0 alone writes them.
        guard folder.writes else { return }
        try NPYArray(points).write(to: URL(fileURLWithPath: out))
        print("wrote \(out): \(points.rows)×\(points.columns) float64 samples of step \(step)")
    }
}
