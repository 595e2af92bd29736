import Foundation
import MessagePassing
import NumericalCore

extension ExperimentRunner {
    /// What ``resume(command:progress:)`` found and did.
    public struct Resumption {
        /// The last complete step k the run continued after, or nil when no step was
        /// complete (the run started again at step 0).
        public let lastCompleteStep: Int?
        /// Whether every step 0…K was already complete (then no step was run).
        public let wasComplete: Bool
        /// The metrics of steps 0…K.
        public let table: MetricsTable
        /// What was repaired or passed over on the way (also in `log.txt`).
        public var notes: [String] = []
    }

    /// Continues the run in ``folder`` (made by ``run(source:command:progress:)`` with this
    /// same config) from its last complete step.
    ///
    /// First every finished step is checked: `metrics.csv` must parse and its `step`
    /// column read 0, 1, 2, … (a deleted middle row is found by its step, and refused);
    /// every method's samples and, for methods that write them, densities of each listed
    /// step must read back as `[n, d]` finite arrays. Step k is complete when its files
    /// are, and every method's checkpoint of step k reads back (checksums, method, step)
    /// and restores; the steps are tried from the last good row down, so a damaged latest
    /// checkpoint, or a damaged file of the latest step, falls back to the step before
    /// (whose checkpoint is kept). A damaged file with no checkpoint before it is refused,
    /// naming the file. A missing or unreadable `run.json` is written again from the config.
    /// Then the rows after k and every per-step file after k are removed, `log.txt` gets
    /// `resumed at step k`, and steps k + 1…K run as in an uninterrupted run, giving the
    /// same numbers bit for bit.
    ///
    /// Under `mpirun` every rank reads the folder (a shared file system) and restores its
    /// methods from the same checkpoint files; the ranks check that they found the same
    /// last complete step and wait for each other (a barrier) before rank 0, the only writer,
    /// changes anything in the folder.
    public func resume(command: String, source: String = "resume", progress: ProgressReporter? = nil) throws -> Resumption {
        let methods = try makeMethods()
        let saved = FileSystem.kind(folder.metricsURL.path).exists ? try MetricsTable.read(folder.metricsURL) : MetricsTable()
        var notes = [String]()
        if let repaired = try repairManifest(source: source, command: command) { notes.append(repaired) }
        let damaged = firstDamagedFile(rowCount: saved.rows.count)
        let last = lastCompleteStep(methods, rowCount: damaged?.step ?? saved.rows.count, notes: &notes)
        let world = Communicator.world
        if world.size > 1 {
            let rootLast = world.broadcast(last ?? -1)
            guard rootLast == (last ?? -1) else {
                throw ResumeError.ranksDisagree(path: folder.url.path, rank: world.rank, step: last, rootStep: rootLast < 0 ? nil : rootLast)
            }
            world.barrier()
        }
        if let damaged {
            guard let last else { throw ResumeError.damagedStep(path: damaged.path, reason: damaged.reason, step: damaged.step) }
            notes.append("\(damaged.path): \(damaged.reason); recomputing from step \(last)")
        }
        if last == config.flow.steps {
            notes.forEach(folder.log)
            return Resumption(lastCompleteStep: last, wasComplete: true, table: saved, notes: notes)
        }
        try folder.removeSteps(after: last ?? -1, methods: config.methods, reference: config.methods[0])
        let kept = saved.prefix(rows: (last ?? -1) + 1)
        if folder.writes && kept.rows.isEmpty {
            try? FileManager.default.removeItem(at: folder.metricsURL)
        } else if folder.writes {
            try AtomicFile.write(kept.csv, to: folder.metricsURL)
        }
        folder.log("jko \(JKOKitVersion.current): \(command)")
        notes.forEach(folder.log)
        folder.log(last.map { "resumed at step \($0)" } ?? "no complete step to resume from; restarted at step 0")
        let first = (last ?? -1) + 1
        let table = try run(last == nil ? makeMethods() : methods, steps: first...config.flow.steps, after: kept, progress: progress)
        return Resumption(lastCompleteStep: last, wasComplete: false, table: table, notes: notes)
    }

    /// Writes `run.json` again from the config when it is missing, unreadable or lists
    /// other methods (a kill before its write, a damaged copy); returns a note saying so.
    func repairManifest(source: String, command: String) throws -> String? {
        let problem: String
        do {
            let manifest = try folder.manifest()
            guard manifest.methods != config.methods || manifest.seed != config.seed else { return nil }
            problem = "it lists other methods or another seed than config.toml"
        } catch let error as RunFolder.RunFolderError {
            guard case let .badManifest(_, reason) = error else { throw error }
            problem = reason
        }
        try RunManifest(config: config, source: source, command: command).write(to: folder)
        return "\(folder.manifestURL.path): \(problem); wrote it again from config.toml"
    }

    /// The first missing or damaged samples or density file among steps 0..<rowCount, in
    /// step order (every method's samples, then densities of the methods that write them).
    func firstDamagedFile(rowCount: Int) -> (step: Int, path: String, reason: String)? {
        let reference = config.methods[0]
        let withDensity = config.methods.filter { method in
            !folder.steps(in: folder.densityURL(step: 0, method: method, reference: reference).deletingLastPathComponent(), fileExtension: "npy").isEmpty
        }
        let cells = config.dimension == 1 ? [config.grid.cells] : Array(repeating: config.grid.cells, count: config.dimension)
        for step in 0..<rowCount {
            for method in config.methods {
                do {
                    _ = try folder.checkedSamples(step: step, method: method, reference: reference, dimension: config.dimension)
                } catch let RunFolder.RunFolderError.badSamples(path, reason) {
                    return (step, path, reason)
                } catch { return (step, folder.samplesURL(step: step, method: method, reference: reference).path, "\(error)") }
            }
            for method in withDensity {
                let file = folder.densityURL(step: step, method: method, reference: reference)
                guard FileSystem.kind(file.path).exists else { return (step, file.path, "it is missing") }
                do {
                    let density = try NPYArray(contentsOf: file)
                    guard density.shape == cells, density.values.allSatisfy(\.isFinite) else {
                        return (step, file.path, "it holds shape \(density.shape) (or non-finite values), not the run's grid \(cells)")
                    }
                } catch { return (step, file.path, "it is unreadable (\(error))") }
            }
        }
        return nil
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
