import ArgumentParser
import Experiments
import Foundation
import OptimalTransport

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Recompute a run's metrics from its saved samples and print the table.",
        discussion: "Every method is compared with the reference method at every step; the table is written to RUN_DIR/metrics-eval.csv (metrics.csv is left untouched). The MMD uses the first --mmd-count samples of each cloud (its sampling error grows like count^-1/2).")

    @Argument(help: "A run folder written by 'jko run'.")
    var runDirectory: String

    @Option(parsing: .upToNextOption, help: "Metrics to compute (default: w2 sliced bures symkl mmd).")
    var metrics: [CloudDistance] = [.w2, .sliced, .bures, .symkl, .mmd]

    @Option(help: "Entropic regularisation ε for the sinkhorn metric.")
    var epsilon: Double = 0.01

    @Option(help: "Samples per cloud for the MMD (O(n²) work per step and method).")
    var mmdCount: Int = RunEvaluation.defaultMMDCount

    func validate() throws {
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be a positive number, got \(epsilon)") }
        guard mmdCount >= 2 else { throw ValidationError("--mmd-count must be ≥ 2, got \(mmdCount)") }
    }

    @Option(help: "Fresh samples per step for an image run's FD-FMNIST, coverage and precision/recall.")
    var imageSamples = 10_000

    func run() throws {
        let runURL = URL(fileURLWithPath: runDirectory)
        if let config = try? RunFolder.open(runURL).config(), config.target.kind == "images" {
            let table = try ImageRunEvaluation(sampleCount: imageSamples).evaluate(run: runURL) { print($0) }
            print(table.render())
            print("wrote \(runURL.appendingPathComponent("metrics-eval.csv").path)")
            return
        }
        let evaluation = RunEvaluation(metrics: metrics, epsilon: epsilon, mmdCount: mmdCount)
        let url = URL(fileURLWithPath: runDirectory)
        let steps = (try? RunFolder.open(url).config().flow.steps) ?? 0
        let (table, folder) = try evaluation.compute(run: url, progress: ProgressReporter(label: "eval", total: steps + 1))
        print(table.render())
        fflush(stdout)
        do { try evaluation.write(table, to: folder) } catch {
            throw CommandFailure("the table above could not be saved: \(error)")
        }
        print("wrote \(RunEvaluation.outputURL(folder).path)")
    }
}
