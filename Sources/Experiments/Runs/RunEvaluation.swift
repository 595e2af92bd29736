import Foundation
import NumericalCore
import OptimalTransport

/// Re-measures a finished run from its saved samples (`jko eval RUN_DIR`).
///
/// For every step listed in the run's `metrics.csv` and every method other than the
/// reference one, the method's samples `samples/METHOD/step-KKKK.npy` are compared with the
/// reference samples `samples/step-KKKK.npy` by each chosen ``CloudDistance``. Columns are
/// `step`, `t`, then `sample_METRIC_METHOD` (method names with `-` written `_`, as in the
/// run's own metrics; the `sample_` prefix marks values measured on samples, unlike the
/// run's exact-Gaussian `w2_METHOD` columns). A method whose samples are missing at a step gets NaN there. The table is
/// written to `metrics-eval.csv` beside `metrics.csv` (which is left as the run wrote it).
///
/// Exact W₂ builds an n×m cost matrix: it is skipped (NaN) above `exactLimit` points.
/// A `sinkhorn` value whose solver did not reach its tolerance is written as NaN (or as
/// its value when `acceptUnconverged`) and listed in ``Report/unconverged``.
public struct RunEvaluation: Sendable {
    /// The metrics to compute, in column order.
    public var metrics: [CloudDistance]
    /// ε of the Sinkhorn divergence (squared Euclidean cost units).
    public var epsilon: Double
    /// Largest cloud for the exact W₂ (memory n·m·8 bytes).
    public var exactLimit: Int

    /// Keep values of an iterative metric that stopped on its budget (else NaN).
    public var acceptUnconverged: Bool = false

    public init(metrics: [CloudDistance] = [.w2, .sliced, .bures, .symkl, .mmd], epsilon: Double = 0.01,
                exactLimit: Int = 5000) {
        self.metrics = metrics
        self.epsilon = epsilon
        self.exactLimit = exactLimit
    }

    /// The table and one sentence per value that did not converge (step, column, why).
    public struct Report: Sendable {
        public let table: MetricsTable
        public let unconverged: [String]
    }

    /// The file the table is written to.
    public static func outputURL(_ folder: RunFolder) -> URL { folder.url.appendingPathComponent("metrics-eval.csv") }

    /// Computes the table, writes `metrics-eval.csv` atomically, and returns the table.
    public func evaluate(run url: URL) throws -> MetricsTable {
        try evaluateReporting(run: url).table
    }

    /// The same, with the values that did not converge listed.
    public func evaluateReporting(run url: URL) throws -> Report {
        var unconverged = [String]()
        let folder = try RunFolder.open(url)
        let manifest = try folder.manifest()
        guard FileManager.default.fileExists(atPath: folder.metricsURL.path) else {
            throw RunFolder.RunFolderError.missingStep(path: url.path, step: 0, method: manifest.referenceMethod)
        }
        let recorded = try MetricsTable(csv: String(contentsOf: folder.metricsURL, encoding: .utf8))
        guard let steps = recorded.column("step") else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey:
                "\(folder.metricsURL.path) has no 'step' column; it was not written by 'jko run'"])
        }
        let times = recorded.column("t") ?? steps
        let reference = manifest.referenceMethod
        let others = manifest.methods.filter { $0 != reference }
        var table = MetricsTable()
        for (row, stepValue) in steps.enumerated() {
            let step = Int(stepValue)
            var values: [(String, Double)] = [("step", stepValue), ("t", times[row])]
            let base = try? folder.loadSamples(step: step, method: reference, reference: reference)
            for method in others {
                let samples = try? folder.loadSamples(step: step, method: method, reference: reference)
                let tag = method.replacingOccurrences(of: "-", with: "_")
                for metric in metrics {
                    let column = "sample_\(metric.rawValue)_\(tag)"
                    let (value, note) = measure(metric, samples, base)
                    if let note { unconverged.append("step \(step), \(column): \(note)") }
                    values.append((column, value))
                }
            }
            table.append(values)
        }
        try AtomicFile.write(table.csv, to: Self.outputURL(folder))
        return Report(table: table, unconverged: unconverged)
    }

    /// One metric between two clouds; NaN when either is missing or the metric does not
    /// apply; a value that did not converge comes with its note (and is NaN unless accepted).
    func measure(_ metric: CloudDistance, _ a: Matrix?, _ b: Matrix?) -> (Double, String?) {
        guard let a, let b else { return (.nan, nil) }
        if (metric == .w2 || metric == .sinkhorn) && max(a.rows, b.rows) > exactLimit && a.columns > 1 { return (.nan, nil) }
        guard let result = try? metric.measure(a, b, epsilon: epsilon) else { return (.nan, nil) }
        if result.converged { return (result.value, nil) }
        return (acceptUnconverged ? result.value : .nan, result.note ?? "did not converge")
    }
}
