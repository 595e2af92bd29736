import Foundation
import NumericalCore
import OptimalTransport
import Probability

/// The smallest gap a sample-based metric can show (DESIGN.md §1.4): the same estimator, at
/// the same sample size n, between two independent samples of the reference law. A method
/// whose curve sits on its floor is as close to the reference as the metric can tell.
///
/// Each metrics column names its estimator (see `ExperimentRunner.gapMetrics`):
///
/// | column          | estimator                                                   | floor |
/// |-----------------|-------------------------------------------------------------|-------|
/// | `w2cloud_M`     | exact W₂ between two clouds of n = `output.cloud_w2_count`  | cloud W₂ of two reference clouds, ≈ 0.13–0.17 in 2D at n = 1000 |
/// | `w2fit_M`       | Bures–W₂ between the Gaussian fits of two n-samples         | the same on two reference samples |
/// | `symklfit_M`    | symmetric KL between those fits                             | ≈ d(d+3)/(2n) |
/// | `w2exact_A_vs_B`| exact 1D W₂ between quantile functions (particles, grids, closed forms) | none: no sampling (only quantisation, below the plotted range) |
/// | `w2_M`, `symkl_M` | exact between two Gaussian states                         | none |
public enum NoiseFloor {
    public enum Estimator: String, CaseIterable, Sendable {
        case cloudW2
        case fitW2
        case fitSymmetricKL

        /// The estimator behind a metrics column, or nil when the column has no sampling noise.
        public init?(column: String) {
            if column.hasPrefix("w2cloud_") { self = .cloudW2 }
            else if column.hasPrefix("w2fit_") { self = .fitW2 }
            else if column.hasPrefix("symklfit_") { self = .fitSymmetricKL }
            else { return nil }
        }

        /// The metric between two samples `[n, d]`, exactly as the run computes it.
        public func evaluate(_ a: Matrix, _ b: Matrix) throws -> Double {
            switch self {
            case .cloudW2:
                return try ExactTransport.wassersteinDistance(a, b)
            case .fitW2:
                return try BuresWasserstein.distance(Gaussian.fit(a), Gaussian.fit(b))
            case .fitSymmetricKL:
                return try Gaussian.fit(a).symmetricKL(Gaussian.fit(b))
            }
        }

        /// Legend text of the floor, e.g. "floor: exact W₂ of two reference clouds, n = 1000".
        public func legend(sampleCount n: Int) -> String {
            switch self {
            case .cloudW2: return "floor: W₂ of two reference clouds, n = \(n)"
            case .fitW2: return "floor: W₂ of fits to two reference samples, n = \(n)"
            case .fitSymmetricKL: return "floor: SymKL of fits to two reference samples, n = \(n)"
            }
        }
    }

    /// The estimator on `repeats` pairs of independent samples of n points from `draw`
    /// (called twice per pair with the one generator seeded by `seed`: first sample a, then b).
    public static func values(_ estimator: Estimator, sampleCount n: Int, repeats: Int, seed: UInt64,
                              draw: (Int, inout RandomGenerator) -> Matrix?) -> [Double] {
        var rng = RandomGenerator(seed: seed)
        var out: [Double] = []
        for _ in 0..<repeats {
            guard let a = draw(n, &rng), let b = draw(n, &rng), a.rows == n, b.rows == n,
                  let value = try? estimator.evaluate(a, b), value.isFinite else { continue }
            out.append(value)
        }
        return out
    }

    /// Lowest, median and highest of the repeated floor values.
    public struct Band: Equatable, Sendable {
        public let lower: Double
        public let median: Double
        public let upper: Double

        public init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            lower = sorted[0]
            upper = sorted[sorted.count - 1]
            median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : 0.5 * (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2])
        }
    }
}

extension RunFigureData {
    /// A sampler of the reference law at `step`, and what it draws from: the closed form
    /// (analytic flow, exact Gaussian JKO iterate), or else the reference's saved density grid
    /// (piecewise constant on its cells, uniform inside a cell). Nil when the reference has
    /// neither (then no floor is drawn, never one from reused samples).
    public func referenceSampler(step: Int) -> ((Int, inout RandomGenerator) -> Matrix)? {
        let t = config.time(ofStep: step)
        if reference == "analytic", let flow = analyticFlow, let marginal = try? flow.marginal(at: t) {
            return { n, rng in marginal.sample(count: n, using: &rng) }
        }
        if reference == "gaussian-jko", let iterate = gaussianIterate(step: step) {
            return { n, rng in iterate.sample(count: n, using: &rng) }
        }
        guard let grid = GridDensity(folder: folder, step: step, method: reference, reference: reference) else { return nil }
        return { n, rng in grid.sample(count: n, using: &rng) }
    }

    /// The floor band of `estimator` at each of `steps` (steps without a sampler are left out).
    func floorBands(_ estimator: Estimator, sampleCount n: Int, steps: [Int], repeats: Int) -> [(step: Int, band: NoiseFloor.Band)] {
        steps.compactMap { step in
            guard let draw = referenceSampler(step: step) else { return nil }
            let seed = UInt64(config.seed) &* 1_000_003 &+ UInt64(step) &* 7919 &+ UInt64(Estimator.allCases.firstIndex(of: estimator)!)
            let values = NoiseFloor.values(estimator, sampleCount: n, repeats: repeats, seed: seed, draw: draw)
            return NoiseFloor.Band(values).map { (step, $0) }
        }
    }

    typealias Estimator = NoiseFloor.Estimator
}
