import ArgumentParser
import Experiments
import Foundation
import OptimalTransport

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Recompute a run's metrics from its saved samples and print the table.",
        discussion: "Every method is compared with the reference method at every step; the table is written to RUN_DIR/metrics-eval.csv (metrics.csv is left untouched).")

    @Argument(help: "A run folder written by 'jko run'.")
    var runDirectory: String

    @Option(parsing: .upToNextOption, help: "Metrics to compute (default: w2 sliced bures symkl mmd).")
    var metrics: [CloudDistance] = [.w2, .sliced, .bures, .symkl, .mmd]

    @Option(help: "Entropic regularisation ε for the sinkhorn metric.")
    var epsilon: Double = 0.01

    func validate() throws {
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be a positive number, got \(epsilon)") }
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
        let evaluation = RunEvaluation(metrics: metrics, epsilon: epsilon)
        let url = URL(fileURLWithPath: runDirectory)
        let table = try evaluation.evaluate(run: url)
        print(table.render())
        print("wrote \(url.appendingPathComponent("metrics-eval.csv").path)")
    }
}
