import Autodiff
import Foundation
import MessagePassing
import NumericalCore
import OptimalTransport
import Probability

/// Runs an experiment into a run folder: for k = 0…K, every method's state, its samples,
/// and one `metrics.csv` row with each method's metrics (prefixed by the method name) and
/// the gap of every other method to the reference method (the first in `methods`):
///
/// - `w2_METHOD`, `symkl_METHOD`: exact Bures–W₂ and symmetric KL when both states are
///   Gaussians; otherwise `w2fit_METHOD`, `symklfit_METHOD` between the Gaussian fits of
///   the two sample clouds, and in 2D+ `w2cloud_METHOD`, the exact W₂ between the first
///   `output.cloud_w2_count` samples of each (with a sampling floor);
/// - `w2exact_A_vs_B`: exact 1D W₂ between every pair of methods with a quantile function.
///
/// Metrics are appended after each step, then every method's checkpoint of the step
/// (``RunFolder/saveCheckpoint(_:step:method:)``), so a run stopped by an error or killed
/// keeps every finished step on disk (the error names the step) and
/// ``resume(command:progress:)`` continues it from its last complete step.
///
/// Under `mpirun -np P` every rank runs this same loop (the neural methods train
/// data-parallel, ``DataParallelMethod``; every other column is computed on every rank, so
/// all ranks make the same collective calls in the same order), and only rank 0 writes the
/// folder (``RunFolder/writes``). At the start rank 0 prints and logs P and the bytes
/// all-reduced per training iteration.
public struct ExperimentRunner {
    public let config: ExperimentConfig
    public let folder: RunFolder

    public init(config: ExperimentConfig, folder: RunFolder) {
        self.config = config
        self.folder = folder
    }

    public struct StepFailure: Error, CustomStringConvertible {
        public let step: Int
        public let method: String
        public let underlying: Error

        public init(step: Int, method: String, underlying: Error) {
            self.step = step
            self.method = method
            self.underlying = underlying
        }

        public var description: String {
            step == 0
                ? "step 0 of method '\(method)' failed: \(underlying); no step was saved, so fix the cause and run again"
                : "step \(step) of method '\(method)' failed: \(underlying); steps 0…\(step - 1) are saved in the run folder, and --resume continues from there"
        }
    }

    /// Writes run.json, then config.toml (a kill between the two leaves a folder that
    /// `--resume` refuses as not a run and `--force` may replace), then runs every step.
    @discardableResult
    public func run(source: String, command: String, progress: ProgressReporter? = nil) throws -> MetricsTable {
        try RunManifest(config: config, source: source, command: command).write(to: folder)
        if folder.writes {
            try AtomicFile.write(ConfigLoader.render(config, header: "Resolved config of run '\(config.name)' (jko \(JKOKitVersion.current), seed \(config.seed))"),
                                 to: folder.configURL)
        }
        folder.log("jko \(JKOKitVersion.current): \(command)")
        return try run(makeMethods(), steps: 0...config.flow.steps, after: MetricsTable(), progress: progress)
    }

    /// Fresh methods of the config, each with its own random stream.
    func makeMethods() throws -> [FlowMethod] {
        try config.methods.enumerated().map { i, name in
            try MethodRegistry.make(name, config: config, generator: MethodRegistry.generator(seed: config.seed, methodIndex: i))
        }
    }

    /// Runs `steps` (the steps before them are in `table` and in the methods' state) and
    /// returns the table with their rows appended.
    func run(_ methods: [FlowMethod], steps: ClosedRange<Int>, after table: MetricsTable,
             progress: ProgressReporter?) throws -> MetricsTable {
        let reference = config.methods[0]
        var table = table
        progress?.begin(at: steps.lowerBound)
        for case let neural as NeuralJKOMethod in methods { neural.progress = progress }
        for case let images as ImageJKOMethod in methods { images.progress = progress }
        for case let classifier as ClassifierMethod in methods { classifier.progress = progress }
        let verification = NeuralVerification(config: config)
        if let line = Self.parallelSummary(methods, ranks: Communicator.world.size) {
            folder.log(line)
            if folder.writes { print(line) }
        }
        for step in steps {
            var row: [(String, Double)] = [("step", Double(step)), ("t", config.time(ofStep: step))]
            var states = [MethodState]()
            for method in methods {
                let state: MethodState
                do { state = try method.advance(to: step) } catch {
                    folder.log("error: step \(step), method \(method.name): \(error)")
                    throw StepFailure(step: step, method: method.name, underlying: error)
                }
                try saving(step) {
                    try folder.saveSamples(state.samples, step: step, method: method.name, reference: reference)
                    if let density = state.density {
                        try folder.saveDensity(density, grid: config.finiteVolumeGrid(), step: step, method: method.name, reference: reference)
                    }
                }
                if let losses = state.lossHistory, folder.writes {
                    let url = folder.trainingURL(step: step, method: method.name)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try NPYArray(losses).write(to: url)
                }
                if let line = state.logLine { folder.log(line) }
                if let grid = state.sampleGrid, folder.writes { try AtomicFile.write(grid, to: folder.sampleGridURL(step: step)) }
                if let weights = state.samplerFile, folder.writes {
                    let url = folder.samplerURL(step: step, method: method.name)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try weights.write(to: url)
                }
                row += state.metrics.map { ("\(method.name.replacingOccurrences(of: "-", with: "_"))_\($0.0)", $0.1) }
                states.append(state)
            }
            for (method, state) in zip(methods.dropFirst(), states.dropFirst()) {
                row += try gapMetrics(state, states[0], method: method.name)
            }
            row += exactGapMetrics(states, methods: methods.map(\.name))
            let references = zip(methods, states).filter { !($0.0 is NeuralJKOMethod) }.map { ($0.0.name, $0.1) }
            for (method, state) in zip(methods, states) where method is NeuralJKOMethod {
                row += try verification.metrics(step: step, neural: (method.name, state), references: references)
            }
            table.append(row)
            if folder.writes { try saving(step) {
                try AtomicFile.write(table.csv, to: folder.metricsURL)
                for method in methods {
                    try folder.saveCheckpoint(method.checkpoint(), step: step, method: method.name)
                }
            } }
            // The step's evaluation passes leave large idle buffers; resident memory should
            // measure what the run holds, not the largest pass so far.
            TensorMemory.releaseIdle()
            progress?.update(done: step + 1, detail: "step \(step)/\(config.flow.steps)")
        }
        progress?.finish()
        folder.log("finished \(config.flow.steps) steps")
        return table
    }

    /// The line saying how a run is spread over `ranks` processes: P and, for each
    /// data-parallel method, the bytes each rank all-reduces per training iteration
    /// (4 × (map + potential parameters + 2 losses)); nil in a single process.
    static func parallelSummary(_ methods: [FlowMethod], ranks: Int) -> String? {
        guard ranks > 1 else { return nil }
        let parts = methods.compactMap { $0 as? DataParallelMethod }.map { method in
            String(format: "%@ all-reduces %d bytes (%.2f MB) per iteration", method.name, method.allReduceBytesPerIteration,
                   Double(method.allReduceBytesPerIteration) / 1e6)
        }
        let what = parts.isEmpty ? "no method trains data-parallel (every rank computes the same columns)" : parts.joined(separator: "; ")
        return "data-parallel over \(ranks) ranks (rank 0 writes the run folder): \(what)"
    }

    /// Runs the writes of one step; a failure (a full disk, a removed folder) is logged and
    /// thrown as ``StepWriteFailure`` naming the step.
    func saving(_ step: Int, _ body: () throws -> Void) throws {
        do { try body() } catch {
            folder.log("error: step \(step) could not be saved: \(error)")
            throw StepWriteFailure(step: step, underlying: error)
        }
    }

    /// A step computed but not saved: the message names the step and the file.
    public struct StepWriteFailure: Error, CustomStringConvertible {
        public let step: Int
        public let underlying: Error

        public var description: String {
            let saved = step == 0 ? "no step is saved" : "steps 0…\(step - 1) are saved, and --resume continues from there once the cause is fixed"
            return "step \(step) could not be saved: \(underlying); \(saved)"
        }
    }

    /// `w2exact_A_vs_B`: exact 1D W₂ between every pair of methods that report a quantile
    /// function (particles, cell densities, closed forms on a fine grid).
    func exactGapMetrics(_ states: [MethodState], methods: [String]) -> [(String, Double)] {
        var out = [(String, Double)]()
        for i in states.indices {
            for j in (i + 1)..<max(i + 1, states.count) {
                guard let a = states[i].quantiles, let b = states[j].quantiles else { continue }
                let tag = { (name: String) in name.replacingOccurrences(of: "-", with: "_") }
                out.append(("w2exact_\(tag(methods[j]))_vs_\(tag(methods[i]))", a.squaredDistance(to: b).squareRoot()))
            }
        }
        return out
    }

    func gapMetrics(_ state: MethodState, _ reference: MethodState, method: String) throws -> [(String, Double)] {
        let tag = method.replacingOccurrences(of: "-", with: "_")
        if let a = state.gaussian, let b = reference.gaussian {
            return [("w2_\(tag)", try BuresWasserstein.distance(a, b)), ("symkl_\(tag)", a.symmetricKL(b))]
        }
        let a = try Gaussian.fit(state.samples), b = try Gaussian.fit(reference.samples)
        var out = [("w2fit_\(tag)", try BuresWasserstein.distance(a, b)), ("symklfit_\(tag)", a.symmetricKL(b))]
        let n = min(config.output.cloudW2Count, state.samples.rows, reference.samples.rows)
        if config.dimension >= 2 && n > 0 {
            // Exact W₂ between the first n samples of each cloud (independent draws, so this
            // carries a sampling floor of order n^{-1/2}…n^{-1/d}; see the metrics figure).
            out.append(("w2cloud_\(tag)", try ExactTransport.wassersteinDistance(state.samples.firstRows(n), reference.samples.firstRows(n))))
        }
        return out
    }
}
