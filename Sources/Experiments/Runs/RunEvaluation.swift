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
/// run's exact-Gaussian `w2_METHOD` columns). The table is written to `metrics-eval.csv`
/// beside `metrics.csv` (which is left as the run wrote it).
///
/// Every input is checked first: `run.json`, `metrics.csv` (its step column) and each
/// samples file (present, readable, `[n, d]` with the run's d, finite); the first
/// problem is an error naming the file, never a NaN cell.
///
/// Cost: exact W₂ builds an n×m cost matrix, so it is skipped (NaN) above `exactLimit`
/// points. MMD costs O(n² d) per pair and dominated long evaluations (94 % of a 419 s
/// evaluation of a 200-step run at n = 2000), so it is computed on the first
/// `mmdCount` samples of each cloud (the samples are independent draws, so these are a
/// random subsample); its sampling error grows like mmdCount^{-1/2}.
public struct RunEvaluation: Sendable {
    /// The metrics to compute, in column order.
    public var metrics: [CloudDistance]
    /// ε of the Sinkhorn divergence (squared Euclidean cost units).
    public var epsilon: Double
    /// Largest cloud for the exact W₂ (memory n·m·8 bytes).
    public var exactLimit: Int
    /// Samples per cloud used by the MMD (`jko eval --mmd-count`).
    public var mmdCount: Int

    public static let defaultMMDCount = 500

    public init(metrics: [CloudDistance] = [.w2, .sliced, .bures, .symkl, .mmd], epsilon: Double = 0.01,
                exactLimit: Int = 5000, mmdCount: Int = RunEvaluation.defaultMMDCount) {
        self.metrics = metrics
        self.epsilon = epsilon
        self.exactLimit = exactLimit
        self.mmdCount = mmdCount
    }

    /// The file the table is written to.
    public static func outputURL(_ folder: RunFolder) -> URL { folder.url.appendingPathComponent("metrics-eval.csv") }

    /// Computes the table, writes `metrics-eval.csv` atomically, and returns the table.
    public func evaluate(run url: URL, progress: ProgressReporter? = nil) throws -> MetricsTable {
        let (table, folder) = try compute(run: url, progress: progress)
        try write(table, to: folder)
        return table
    }

    /// Computes the table without writing it (the command prints it before writing, so a
    /// folder that cannot be written still shows the numbers).
    public func compute(run url: URL, progress: ProgressReporter? = nil) throws -> (table: MetricsTable, folder: RunFolder) {
        let folder = try RunFolder.open(url).locked()
        let manifest = try folder.manifest()
        let dimension = try folder.config().dimension
        let recorded = try MetricsTable.read(folder.metricsURL)
        let steps = recorded.column("step") ?? []
        let times = recorded.column("t") ?? steps
        let reference = manifest.referenceMethod
        let others = manifest.methods.filter { $0 != reference }
        var table = MetricsTable()
        for (row, stepValue) in steps.enumerated() {
            let step = row
            var values: [(String, Double)] = [("step", stepValue), ("t", times[row])]
            let base = try folder.checkedSamples(step: step, method: reference, reference: reference, dimension: dimension)
            for method in others {
                let samples = try folder.checkedSamples(step: step, method: method, reference: reference, dimension: dimension)
                let tag = method.replacingOccurrences(of: "-", with: "_")
                for metric in metrics {
                    values.append(("sample_\(metric.rawValue)_\(tag)", measure(metric, samples, base)))
                }
            }
            table.append(values)
            progress?.update(done: row + 1, detail: "step \(step)/\(steps.count - 1)")
        }
        progress?.finish()
        return (table, folder)
    }

    /// Writes `metrics-eval.csv` atomically.
    public func write(_ table: MetricsTable, to folder: RunFolder) throws {
        guard folder.writes else { return }
        try AtomicFile.write(table.csv, to: Self.outputURL(folder))
    }

    /// One metric between two clouds; NaN where the metric does not apply (exact W₂
    /// above `exactLimit` points in 2D+).
    /// (The inputs are checked before; a metric that fails on valid clouds, e.g. a
    /// Gaussian fit of a degenerate cloud, is NaN there.)
    func measure(_ metric: CloudDistance, _ a: Matrix, _ b: Matrix) -> Double {
        if (metric == .w2 || metric == .sinkhorn) && max(a.rows, b.rows) > exactLimit && a.columns > 1 { return .nan }
        if metric == .mmd {
            return (try? metric.evaluate(a.firstRows(min(mmdCount, a.rows)), b.firstRows(min(mmdCount, b.rows)), epsilon: epsilon)) ?? .nan
        }
        return (try? metric.evaluate(a, b, epsilon: epsilon)) ?? .nan
    }
}
