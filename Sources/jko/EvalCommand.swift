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

    @Flag(help: "Write sinkhorn values that did not reach their tolerance (listed after the table) instead of NaN, and exit 0.")
    var acceptUnconverged = false

    func validate() throws {
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be a positive number, got \(epsilon)") }
    }

    func run() throws {
        var evaluation = RunEvaluation(metrics: metrics, epsilon: epsilon)
        evaluation.acceptUnconverged = acceptUnconverged
        let url = URL(fileURLWithPath: runDirectory)
        let report = try evaluation.evaluateReporting(run: url)
        print(report.table.render())
        print("wrote \(url.appendingPathComponent("metrics-eval.csv").path)")
        if !report.unconverged.isEmpty {
            let what = acceptUnconverged ? "kept (--accept-unconverged)" : "written as NaN"
            FileHandle.standardError.write(Data(("\(report.unconverged.count) value(s) did not converge and were \(what):\n"
                + report.unconverged.map { "  " + $0 }.joined(separator: "\n") + "\n").utf8))
            if !acceptUnconverged { throw ExitCode(1) }
        }
    }
}
