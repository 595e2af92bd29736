import Foundation
import GradientFlows
import NumericalCore
import OptimalTransport
import Probability

/// The columns that check a neural method against every exact method of the run, step by
/// step, each with the noise floor of its own estimator (DESIGN.md §1.4):
///
/// - `M_w2_vs_R`: exact W₂ between n = `neural.w2_sample_count` fresh samples of the neural
///   method M and R: in 1D against R's law itself (its exact quantile function), in 2D+
///   against n samples of R;
/// - `M_w2floor_vs_R`: the same estimator with an independent n-sample of R in place of
///   M's (what a perfect M would show), the mean of ``floorDraws`` draws;
/// - `M_symkl_vs_R`: symmetric KL between the Gaussian fit of N = `neural.fit_sample_count`
///   fresh samples of M and R's exact Gaussian when R is one, else the fit of N samples of R;
/// - `M_symklfloor_vs_R`: the same estimator with an independent N-sample of R in place of M.
///
/// R's samples come from its exact Gaussian, its 1D quantile function (particles, cells)
/// or its density on the grid (cell-uniform), in that order of preference. The random
/// streams are derived from the run seed and the step, so a resumed run gives the same
/// numbers.
struct NeuralVerification {
    let config: ExperimentConfig

    func metrics(step: Int, neural: (name: String, state: MethodState),
                 references: [(name: String, state: MethodState)]) throws -> [(String, Double)] {
        guard let sampler = neural.state.sampler else { return [] }
        let tag = neural.name.replacingOccurrences(of: "-", with: "_")
        let n = config.neural.w2SampleCount, big = config.neural.fitSampleCount
        var out = [(String, Double)]()
        var generator = RandomGenerator(seed: UInt64(config.seed) &* 0x9E37_79B9 &+ UInt64(step) &* 0x1000_0001 &+ 0x5EED)
        let mine = sampler(n, &generator)
        let mineBig = sampler(big, &generator)
        let fit = try Gaussian.fit(mineBig)
        if config.target.kind == "toy" { out += try dataMetrics(tag: tag, mine: sampler, using: &generator) }
        for (name, state) in references {
            let refTag = name.replacingOccurrences(of: "-", with: "_")
            guard let a = Self.draw(state, count: n, config: config, using: &generator),
                  let b = Self.draw(state, count: n, config: config, using: &generator) else { continue }
            if config.dimension == 1, let law = state.quantiles {
                out.append(("\(tag)_w2_vs_\(refTag)", try Self.distance(mine, law)))
                var floor = 0.0
                for _ in 0..<Self.floorDraws { floor += try Self.distance(Self.draw(state, count: n, config: config, using: &generator)!, law) }
                out.append(("\(tag)_w2floor_vs_\(refTag)", floor / Double(Self.floorDraws)))
            } else {
                out.append(("\(tag)_w2_vs_\(refTag)", try ExactTransport.wassersteinDistance(mine, a)))
                var floor = try ExactTransport.wassersteinDistance(b, a)
                for _ in 1..<Self.floorDraws {
                    floor += try ExactTransport.wassersteinDistance(Self.draw(state, count: n, config: config, using: &generator)!,
                                                                    Self.draw(state, count: n, config: config, using: &generator)!)
                }
                out.append(("\(tag)_w2floor_vs_\(refTag)", floor / Double(Self.floorDraws)))
            }
            if let exact = state.gaussian {
                let floorFit = try Gaussian.fit(exact.sample(count: big, using: &generator))
                out.append(("\(tag)_symkl_vs_\(refTag)", fit.symmetricKL(exact)))
                out.append(("\(tag)_symklfloor_vs_\(refTag)", floorFit.symmetricKL(exact)))
            } else if let c = Self.draw(state, count: big, config: config, using: &generator),
                      let e = Self.draw(state, count: big, config: config, using: &generator) {
                let reference = try Gaussian.fit(c)
                out.append(("\(tag)_symkl_vs_\(refTag)", fit.symmetricKL(reference)))
                out.append(("\(tag)_symklfloor_vs_\(refTag)", try Gaussian.fit(e).symmetricKL(reference)))
            }
        }
        return out
    }

    /// Bandwidths σ of the RBF kernels exp(−|x − y|²/(2σ²)) summed in the toy MMD².
    static let toyBandwidths = [0.5, 1.0, 2.0, 4.0]

    /// Against the data of a toy target (no exact flow exists): `M_w2_vs_data` = √ of the
    /// exact OT cost between 1000 neural samples and 1000 held-out data points (as torchcfm
    /// reports it), `M_mmd2_vs_data` = the unbiased MMD² with the sum of RBF kernels of
    /// ``toyBandwidths``, and their floors on two independent 1000-point data samples. For
    /// the mixture toys (`8gaussians`, `25gaussians`) also ``ModeCoverage`` of the 1000
    /// neural samples: `M_modes_vs_data` (modes covered) and `M_quality_vs_data` (fraction
    /// within 3σ of a centre), with the same counts of a data sample as their floors.
    func dataMetrics(tag: String, mine sampler: @Sendable (Int, inout RandomGenerator) -> Matrix,
                     using generator: inout RandomGenerator) throws -> [(String, Double)] {
        let data = try config.targetSampler()
        let n = 1000
        let x = sampler(n, &generator), a = data.sample(count: n, using: &generator), b = data.sample(count: n, using: &generator)
        func mmd2(_ p: Matrix, _ q: Matrix) throws -> Double {
            try Self.toyBandwidths.reduce(0) { $0 + (try MaximumMeanDiscrepancy(bandwidth: $1).squaredDistance(p, q)) }
        }
        var out = [("\(tag)_w2_vs_data", try ExactTransport.wassersteinDistance(x, a)),
                   ("\(tag)_w2floor_vs_data", try ExactTransport.wassersteinDistance(b, a)),
                   ("\(tag)_mmd2_vs_data", try mmd2(x, a)),
                   ("\(tag)_mmd2floor_vs_data", try mmd2(b, a))]
        if let modes = data as? StratifiedGaussianMixture {
            let mine = ModeCoverage(x, mixture: modes.mixture), theirs = ModeCoverage(b, mixture: modes.mixture)
            out += [("\(tag)_modes_vs_data", Double(mine.modes)), ("\(tag)_modesfloor_vs_data", Double(theirs.modes)),
                    ("\(tag)_quality_vs_data", mine.quality), ("\(tag)_qualityfloor_vs_data", theirs.quality)]
        }
        return out
    }

    /// Independent draws averaged in each W₂ floor (one draw fluctuates by tens of per cent).
    static let floorDraws = 3

    /// Exact W₂ between the empirical measure of a 1D cloud `[n, 1]` and a law given by its
    /// quantile function.
    static func distance(_ cloud: Matrix, _ law: Wasserstein1D) throws -> Double {
        Wasserstein1D(empirical: cloud.elements).squaredDistance(to: law).squareRoot()
    }

    /// `count` independent samples of a method's ρ_k, or nil when it has no law to draw from.
    static func draw(_ state: MethodState, count: Int, config: ExperimentConfig, using generator: inout RandomGenerator) -> Matrix? {
        if let sampler = state.sampler { return sampler(count, &generator) }
        if let gaussian = state.gaussian { return gaussian.sample(count: count, using: &generator) }
        if let quantiles = state.quantiles {
            return Matrix(rows: count, columns: 1, elements: (0..<count).map { _ in quantiles.quantile(generator.uniform()) })
        }
        if let density = state.density, config.dimension == 2 {
            return cellSamples(density, count: count, lower: config.grid.lower, upper: config.grid.upper,
                               cells: config.grid.cells, using: &generator)
        }
        return nil
    }

    /// Samples of a piecewise-constant 2D density on `cells × cells` equal cells
    /// (row-major, x₁ slowest): a cell by its mass, then a uniform point in it.
    static func cellSamples(_ density: [Double], count: Int, lower: Double, upper: Double, cells: Int,
                            using generator: inout RandomGenerator) -> Matrix {
        var cumulative = [Double](repeating: 0, count: density.count)
        var total = 0.0
        for (i, v) in density.enumerated() { total += max(v, 0); cumulative[i] = total }
        let h = (upper - lower) / Double(cells)
        var out = [Double]()
        out.reserveCapacity(2 * count)
        for _ in 0..<count {
            let u = generator.uniform() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < u { lo = mid + 1 } else { hi = mid } }
            let i = lo / cells, j = lo % cells
            out.append(lower + (Double(i) + generator.uniform()) * h)
            out.append(lower + (Double(j) + generator.uniform()) * h)
        }
        return Matrix(rows: count, columns: 2, elements: out)
    }
}
