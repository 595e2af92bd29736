import Foundation
import GradientFlows
import NeuralNetworks
import NumericalCore
import Probability

/// One column of a run: a way of computing ρ_k at every JKO step k = 0…K (the analytic
/// flow, the exact Gaussian JKO, a particle scheme, a neural flow, …).
///
/// The runner calls ``advance(to:)`` with k = 0, 1, …, K in order; a method keeps whatever
/// state it needs between calls. After each step the runner saves ``checkpoint()``; a
/// resumed run makes a fresh method (same config, same generator) and calls
/// ``restore(step:from:)`` with the checkpoint of its last complete step k, then goes on
/// with `advance(to: k + 1)`: the continued run must give the same numbers, bit for bit,
/// as one never interrupted. New methods plug in by conforming and being listed in
/// ``MethodRegistry``.
public protocol FlowMethod: AnyObject {
    /// The method's name in configs, file names and metric columns (`gaussian-jko`).
    var name: String { get }
    /// Computes the state at step `step` (called in order, from 0).
    func advance(to step: Int) throws -> MethodState
    /// The state after the last ``advance(to:)``: everything the next call reads (the
    /// iterate, the random stream's position), nothing it recomputes from the config.
    func checkpoint() -> MethodCheckpoint
    /// Puts a fresh method in the state it had just after `advance(to: step)` returned,
    /// from that step's ``checkpoint()``; throws ``MethodCheckpoint/Invalid`` (or the
    /// iterate's own validation error) when the checkpoint does not fit the config.
    func restore(step: Int, from checkpoint: MethodCheckpoint) throws
}

/// A method whose training runs data-parallel across the ranks of an `mpirun` job
/// (``Communicator/world``): each rank trains on its slice of every global batch and the
/// ranks all-reduce the gradients (``SJKOTrainingPair``).
public protocol DataParallelMethod: FlowMethod {
    /// Bytes each rank passes to the gradient all-reduces of one training iteration.
    var allReduceBytesPerIteration: Int { get }
}

/// What a method reports at one step.
public struct MethodState {
    /// Samples `[n, d]` of ρ_k (saved as `.npy`, used for cloud-to-cloud metrics).
    public var samples: Matrix
    /// ρ_k exactly, when it is a Gaussian (enables exact Bures–W₂ and symmetric KL).
    public var gaussian: Gaussian?
    /// Method-specific per-step metrics, unprefixed (`mean_1`, `newton_iterations`, …).
    public var metrics: [(String, Double)]
    /// ρ_k on the config's grid (`grid.*`): cell values, flat row-major `[cells]` or
    /// `[cells, cells]`; saved as `density/step-KKKK.npy` when present.
    public var density: [Double]?
    /// ρ_k's exact 1D quantile function (particles, cell densities), for exact W₂ between methods.
    public var quantiles: Wasserstein1D?
    /// Fresh samples of ρ_k on demand (neural methods: one network pass), for metrics
    /// that need larger or independent samples than ``samples``.
    public var sampler: (@Sendable (_ count: Int, _ generator: inout RandomGenerator) -> Matrix)?
    /// Training losses of the step `[entries, 2]` (potential, map), saved as
    /// `training/METHOD/step-KKKK.npy` (neural methods).
    public var lossHistory: Matrix?
    /// A line for `log.txt` (wall-clock facts such as the iteration rate, which do not
    /// belong in `metrics.csv`: a resumed run must reproduce that file bit for bit).
    public var logLine: String?
    /// The weights that sample ρ_k (neural methods), kept for every step as
    /// `samplers/METHOD/step-KKKK.safetensors` so `jko sample` can draw fresh samples of any step.
    public var samplerFile: SafeTensorsFile?
    /// A PNG of image samples of ρ_k (image runs), saved as `samples/grid-KKKK.png`.
    public var sampleGrid: Data?

    public init(samples: Matrix, gaussian: Gaussian? = nil, metrics: [(String, Double)] = [],
                density: [Double]? = nil, quantiles: Wasserstein1D? = nil) {
        self.samples = samples
        self.gaussian = gaussian
        self.metrics = metrics
        self.density = density
        self.quantiles = quantiles
    }
}

extension MethodState {
    /// Mean and covariance entries as metrics (`mean_1…`, `cov_11`, `cov_12`, …, upper triangle).
    public static func momentMetrics(mean: [Double], covariance: Matrix) -> [(String, Double)] {
        var out = [(String, Double)]()
        for (i, m) in mean.enumerated() { out.append(("mean_\(i + 1)", m)) }
        for i in 0..<covariance.rows { for j in i..<covariance.columns { out.append(("cov_\(i + 1)\(j + 1)", covariance[i, j])) } }
        return out
    }
}
