import Foundation
import NumericalCore

extension ExperimentRunner {
    /// What ``resume(command:progress:)`` found and did.
    public struct Resumption {
        /// The last complete step k the run continued after, or nil when no step was
        /// complete (the run started again at step 0).
        public let lastCompleteStep: Int?
        /// Whether every step 0…K was already complete (then nothing was changed).
        public let wasComplete: Bool
        /// The metrics of steps 0…K.
        public let table: MetricsTable
    }

    /// Continues the run in ``folder`` (made by ``run(source:command:progress:)`` with this
    /// same config) from its last complete step.
    ///
    /// Step k is complete when `metrics.csv` has its row and every method's checkpoint of
    /// step k reads back (checksums, method, step) and restores; the steps are tried from
    /// the last row down, so a missing or damaged latest checkpoint falls back to the one
    /// before. Then the rows after k and every per-step file after k (samples, densities,
    /// checkpoints, interrupted writes) are removed, `log.txt` gets `resumed at step k`,
    /// and steps k + 1…K run as in an uninterrupted run, giving the same numbers bit for
    /// bit. A run already complete is left untouched.
    public func resume(command: String, progress: ProgressReporter? = nil) throws -> Resumption {
        let methods = try makeMethods()
        let saved = FileManager.default.fileExists(atPath: folder.metricsURL.path)
            ? try MetricsTable(csv: String(contentsOf: folder.metricsURL, encoding: .utf8)) : MetricsTable()
        var notes = [String]()
        let last = lastCompleteStep(methods, rowCount: saved.rows.count, notes: &notes)
        if last == config.flow.steps {
            return Resumption(lastCompleteStep: last, wasComplete: true, table: saved)
        }
        try folder.removeSteps(after: last ?? -1, methods: config.methods, reference: config.methods[0])
        let kept = saved.prefix(rows: (last ?? -1) + 1)
        if kept.rows.isEmpty {
            try? FileManager.default.removeItem(at: folder.metricsURL)
        } else {
            try AtomicFile.write(kept.csv, to: folder.metricsURL)
        }
        folder.log("jko \(JKOKitVersion.current): \(command)")
        notes.forEach(folder.log)
        folder.log(last.map { "resumed at step \($0)" } ?? "no complete step to resume from; restarted at step 0")
        let first = (last ?? -1) + 1
        let table = try run(last == nil ? makeMethods() : methods, steps: first...config.flow.steps, after: kept, progress: progress)
        return Resumption(lastCompleteStep: last, wasComplete: false, table: table)
    }

    /// The largest step k < `rowCount` whose checkpoints restore every method (leaving
    /// them restored to it), or nil; each step passed over adds a note saying why.
    func lastCompleteStep(_ methods: [FlowMethod], rowCount: Int, notes: inout [String]) -> Int? {
        var candidates = Set(0..<rowCount)
        for method in methods { candidates.formIntersection(folder.checkpointSteps(method: method.name)) }
        candidates: for step in candidates.sorted(by: >) {
            for method in methods {
                do {
                    try method.restore(step: step, from: folder.loadCheckpoint(step: step, method: method.name))
                } catch {
                    notes.append("the checkpoint of step \(step) of method '\(method.name)' is unusable (\(error)); trying an earlier step")
                    continue candidates
                }
            }
            return step
        }
        return nil
    }
}
