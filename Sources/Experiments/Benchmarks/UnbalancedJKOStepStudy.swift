import Foundation
import GradientFlows
import NumericalCore
import OptimalTransport
import Probability

/// One JKO step of KL(·‖ν) solved as an unbalanced OT problem on a grid, against the exact
/// Gaussian JKO step (notebook 03, `jko bench uot-jko-step`, `jko figure uot-jko-step`).
///
/// The step ρ' = argmin_ρ W₂²(μ, ρ)/(2h) + KL(ρ‖ν) equals the target marginal of
///
///   min over π ≥ 0 with π1 = a of ⟨C, π⟩ + KL(πᵀ1 ‖ b) + ε KL(π ‖ a⊗b),  Cᵢⱼ = (yᵢ − yⱼ)²/(2h)
///
/// (``UnbalancedSinkhornSolver`` with source penalty ∞ and target penalty 1), on the grid
/// yⱼ = −4 + jΔ, Δ = 0.05, j = 0…180, with a ∝ μ(yᵢ), b ∝ ν(yⱼ). Case: μ = N(−1, 0.5²),
/// ν = N(1, 1) (A = 1), h = 0.25; the exact step is N(m', σ'²) with
/// m' = (m + hAb)/(1 + hA) = −0.6 and σ' = σ[1 + √(1 + 4h(1 + hA)/σ²)]/(2(1 + hA)) ≈ 0.68990.
/// The entropic term blurs the answer by O(ε); the Richardson combination 2r(ε/2) − r(ε)
/// removes the first-order part.
public enum UnbalancedJKOStepStudy {
    public static let timeStep = 0.25, startMean = -1.0, startDeviation = 0.5, targetMean = 1.0, precision = 1.0
    public static let grid = (0...180).map { -4.0 + 0.05 * Double($0) }
    public static let epsilons = [0.08, 0.04, 0.02, 0.01]

    /// The exact Gaussian JKO step's mean and standard deviation (closed form above).
    public static var exactStep: (mean: Double, deviation: Double) {
        let h = timeStep, a = precision
        let mean = (startMean + h * a * targetMean) / (1 + h * a)
        let deviation = startDeviation * (1 + (1 + 4 * h * (1 + h * a) / (startDeviation * startDeviation)).squareRoot()) / (2 * (1 + h * a))
        return (mean, deviation)
    }

    /// Normalised weights of N(mean, sd²) at the grid points.
    static func discretised(_ mean: Double, _ sd: Double) -> [Double] {
        let w = grid.map { exp(-0.5 * ($0 - mean) * ($0 - mean) / (sd * sd)) }
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }

    /// The discrete JKO iterate for one ε: its weights on the grid, mean, standard deviation, iterations.
    public struct Step: Sendable {
        public let epsilon: Double
        public let weights: [Double]
        public let mean: Double
        public let deviation: Double
        public let iterations: Int
        public let mass: Double
    }

    public static func step(epsilon: Double) throws -> Step {
        let problem = try TransportProblem(source: .line(grid, weights: discretised(startMean, startDeviation)),
                                           target: .line(grid, weights: discretised(targetMean, 1 / precision.squareRoot())),
                                           cost: .scaledSquaredEuclidean(1 / (2 * timeStep)))
        let solution = try UnbalancedSinkhornSolver(epsilon: epsilon, sourcePenalty: .infinity, targetPenalty: 1, tolerance: 1e-10)
            .solve(problem)
        guard solution.converged else {
            throw GradientFlowError.invalidGrid("the unbalanced Sinkhorn step at ε = \(epsilon) did not converge in \(solution.iterations) iterations")
        }
        let p = solution.targetMarginal
        let mean = zip(p, grid).reduce(0) { $0 + $1.0 * $1.1 }
        let variance = zip(p, grid).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) }
        return Step(epsilon: epsilon, weights: p, mean: mean, deviation: variance.squareRoot(),
                    iterations: solution.iterations, mass: p.reduce(0, +))
    }

    /// `jko bench uot-jko-step`: per ε the iterate's mean and deviation, their errors, the
    /// Richardson values, and the observed order in ε (no timings: the output is deterministic).
    public static func run(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "uot-jko-step")
        let exact = exactStep
        report.add("exact_mean", exact.mean, unit: "")
        report.add("exact_deviation", exact.deviation, unit: "")
        let steps = try (quick ? Array(epsilons.prefix(2)) : epsilons).map(step(epsilon:))
        for s in steps {
            let tag = "eps\(s.epsilon)"
            report.add("\(tag)_mass", s.mass, unit: "")
            report.add("\(tag)_mean", s.mean, unit: "")
            report.add("\(tag)_deviation", s.deviation, unit: "")
            report.add("\(tag)_mean_error", abs(s.mean - exact.mean), unit: "")
            report.add("\(tag)_deviation_error", abs(s.deviation - exact.deviation), unit: "")
        }
        for (coarse, fine) in zip(steps, steps.dropFirst()) {
            let tag = "eps\(coarse.epsilon)_to_\(fine.epsilon)"
            report.add("\(tag)_order_mean", log2(abs(coarse.mean - exact.mean) / abs(fine.mean - exact.mean)), unit: "")
            report.add("\(tag)_order_deviation", log2(abs(coarse.deviation - exact.deviation) / abs(fine.deviation - exact.deviation)), unit: "")
            report.add("\(tag)_richardson_mean_error", abs(2 * fine.mean - coarse.mean - exact.mean), unit: "")
            report.add("\(tag)_richardson_deviation_error", abs(2 * fine.deviation - coarse.deviation - exact.deviation), unit: "")
        }
        report.notes = [
            "one JKO step of KL(·‖N(1, 1)) from N(−1, 0.5²), h = 0.25, as fixed-source / soft-target unbalanced Sinkhorn on 181 grid points (Δ = 0.05)",
            "exact step: N(m', σ'²), m' = (m + hAb)/(1 + hA), σ' = σ[1 + √(1 + 4h(1 + hA)/σ²)]/(2(1 + hA)); errors are O(ε), Richardson 2r(ε/2) − r(ε) removes the first order",
        ]
        return report
    }
}
