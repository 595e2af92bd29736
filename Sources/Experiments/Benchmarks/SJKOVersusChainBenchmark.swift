import Foundation
import NeuralJKO
import NumericalCore
import Probability

/// `jko bench sjko-vs-chain`: the cost of the two neural JKO parametrisations as the number
/// of steps K grows (DESIGN.md §1.3, "the S-JKO reparametrisation").
///
/// Both train on the same problem (the start and target of `neural-ou-2d`, h = 0.05) with
/// the same networks (width 32, 1 block, deterministic residual map), batch 200 and the
/// same iterations per step, for K = 2, 4, 8, 16 (quick: 2, 4, 8 with fewer iterations).
/// Reported per K: total training time and the time to draw 10⁴ samples of μ_K. Then the
/// growth exponents p of time ∝ K^p, fitted by least squares on log–log: S-JKO ≈ 1 for
/// training and ≈ 0 for sampling (one pass at any K); the chain ≈ 1 for sampling (K passes)
/// and → 2 for training once composing the earlier maps dominates an iteration.
public enum SJKOVersusChainBenchmark {
    public static func run(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "sjko-vs-chain")
        let counts = quick ? [2, 4, 8] : [2, 4, 8, 16]
        let iterations = quick ? 20 : 100
        let config = Presets.named("neural-ou-2d")!
        let prior = try config.startDistribution(), target = try config.targetDistribution()
        var times: [String: [(k: Int, train: Double, sample: Double)]] = [:]
        for parametrisation in NeuralJKOSettings.Parametrisation.allCases {
            for k in counts {
                var settings = NeuralJKOSettings()
                settings.parametrisation = parametrisation
                settings.noiseSize = 0
                settings.residualMap = true
                settings.width = 32
                settings.blockCount = 1
                settings.batchSize = 200
                settings.firstStepIterations = iterations
                settings.laterStepIterations = iterations
                settings.mapLearningRate = 1e-3
                settings.potentialLearningRate = 1e-3
                let problem = NeuralJKOProblem(dimension: 2, prior: { n, g in prior.sample(count: n, using: &g) },
                                               target: { n, g in target.sample(count: n, using: &g) },
                                               timeSteps: [Double](repeating: 0.05, count: k))
                var rng = RandomGenerator(seed: 1)
                let map = FlowMap<Float>(dimension: 2, noiseSize: 0, width: 32, blockCount: 1, residual: true, generator: &rng)
                let potential = FlowPotential<Float>(dimension: 2, width: 32, blockCount: 1, quadratic: false, generator: &rng)
                var trainer = NeuralJKOTrainer(problem: problem, settings: settings, map: map, potential: potential, generator: rng)
                let started = Date()
                for step in 0..<k { _ = trainer.trainStep(step) }
                let train = Date().timeIntervalSince(started)
                var draw = RandomGenerator(seed: 2)
                let sample = Stopwatch.best(repeats: 3) { _ = trainer.sample(count: 10_000, using: &draw) }
                let name = parametrisation.rawValue
                times[name, default: []].append((k, train, sample))
                report.add("\(name)_train_seconds_K\(k)", train, unit: "s")
                report.add("\(name)_sample_seconds_K\(k)", sample, unit: "s")
            }
        }
        for (name, rows) in times.sorted(by: { $0.key > $1.key }) {
            report.add("\(name)_train_exponent", slope(rows.map { (Double($0.k), $0.train) }), unit: "",
                       goal: name == "sjko" ? "≈ 1" : "→ 2")
            report.add("\(name)_sample_exponent", slope(rows.map { (Double($0.k), $0.sample) }), unit: "",
                       goal: name == "sjko" ? "≈ 0" : "≈ 1")
            // The chain's last doubling alone: the asymptotic regime.
            if rows.count >= 2 {
                let a = rows[rows.count - 2], b = rows[rows.count - 1]
                report.add("\(name)_train_exponent_last_doubling", log(b.train / a.train) / log(Double(b.k) / Double(a.k)), unit: "")
            }
        }
        report.notes.append("problem: neural-ou-2d's start and target, h = 0.05; networks width 32, 1 block, residual map, no noise; batch 200, \(iterations) iterations per step; sampling: 10⁴ points, best of 3")
        report.notes.append("exponents: least-squares slope of log(time) against log K over K = \(counts.map(String.init).joined(separator: ", "))")
        return report
    }

    /// Least-squares slope of log y against log x.
    static func slope(_ points: [(Double, Double)]) -> Double {
        let xs = points.map { log($0.0) }, ys = points.map { log(max($0.1, 1e-12)) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        let sxy = zip(xs, ys).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let sxx = xs.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        return sxx > 0 ? sxy / sxx : .nan
    }
}
