import Foundation
import GradientFlows
import NeuralNetworks
import NumericalCore
import Probability

/// `jko sample`: samples of step K of a run. Methods with a closed form (`analytic`,
/// `gaussian-jko`) draw fresh samples of any count, neural methods too (one pass of the
/// step's saved sampler weights, `samplers/METHOD/step-KKKK.safetensors`); others return a seeded random subset
/// (without replacement) of the samples the run saved.
public enum SampleExport {
    /// The most values (samples × dimension) one export may hold: 10⁸ (0.8 GB as float64).
    public static let maximumValueCount = 100_000_000

    public enum SampleError: Error, CustomStringConvertible {
        case stepOutOfRange(step: Int, steps: Int)
        case unknownMethod(String, [String])
        case tooMany(requested: Int, saved: Int, method: String)
        case tooLarge(requested: Int, dimension: Int)
        public var description: String {
            switch self {
            case let .stepOutOfRange(step, steps): return "step \(step) is outside the run's steps 0…\(steps); pick a step in that range"
            case let .unknownMethod(m, all): return "the run has no method '\(m)'; it has \(all.joined(separator: ", "))"
            case let .tooLarge(n, d): return "\(n) samples of dimension \(d) exceed the \(SampleExport.maximumValueCount) values (0.8 GB) one file may hold; ask for at most \(SampleExport.maximumValueCount / max(d, 1)) samples"
            case let .tooMany(n, saved, m): return "method '\(m)' saved only \(saved) samples per step, fewer than the \(n) requested; ask for at most \(saved)"
            }
        }
    }

    public static func samples(of folder: RunFolder, step: Int, count: Int, seed: Int, method: String? = nil) throws -> Matrix {
        let config = try folder.config()
        guard (0...config.flow.steps).contains(step) else { throw SampleError.stepOutOfRange(step: step, steps: config.flow.steps) }
        let (values, overflow) = count.multipliedReportingOverflow(by: config.dimension)
        guard !overflow, values <= maximumValueCount else { throw SampleError.tooLarge(requested: count, dimension: config.dimension) }
        let chosen = method ?? config.methods[0]
        guard config.methods.contains(chosen) else { throw SampleError.unknownMethod(chosen, config.methods) }
        var rng = RandomGenerator(seed: UInt64(seed))
        switch chosen {
        case "analytic":
            let flow = try OrnsteinUhlenbeckFlow(start: config.startDistribution(), target: config.targetDistribution())
            return try flow.sample(count: count, at: config.time(ofStep: step), using: &rng)
        case "gaussian-jko":
            let jko = try GaussianJKO(target: config.targetDistribution(), timeStep: config.flow.timeStep)
            return try jko.iterates(from: config.startDistribution().components[0], stepCount: step)[step].sample(count: count, using: &rng)
        case "neural-sjko" where config.target.kind == "images":
            let method = try ImageJKOMethod(name: chosen, config: config, generator: MethodRegistry.generator(seed: config.seed, methodIndex: 0))
            return try method.samples(fromSampler: SafeTensorsFile(contentsOf: folder.samplerURL(step: step, method: chosen)), count: count, using: &rng)
        case "neural-sjko", "neural-chain":
            let method = try NeuralJKOMethod(name: chosen, config: config, generator: MethodRegistry.generator(seed: config.seed, methodIndex: 0))
            return try method.samples(fromSampler: SafeTensorsFile(contentsOf: folder.samplerURL(step: step, method: chosen)), count: count, using: &rng)
        default:
            let saved = try folder.loadSamples(step: step, method: chosen, reference: config.methods[0])
            guard count <= saved.rows else { throw SampleError.tooMany(requested: count, saved: saved.rows, method: chosen) }
            var order = Array(0..<saved.rows)
            order.shuffle(using: &rng)
            var out = Matrix(rows: count, columns: saved.columns)
            for i in 0..<count { for j in 0..<saved.columns { out[i, j] = saved[order[i], j] } }
            return out
        }
    }
}
