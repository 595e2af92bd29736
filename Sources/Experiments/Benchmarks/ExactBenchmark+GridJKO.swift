import Foundation
import GradientFlows
import NumericalCore
import Probability

/// The entropic grid JKO timing of `jko bench exact` (goal ≤ 1 s per step at 120² cells on
/// 2 cores): the tilted double well (c = 0.2) on [−3, 3]², h = 0.05, ε = Δx², from
/// N((0.3, 0.2), 0.3²I), tolerance 10⁻⁹ on the L¹ marginal error. At 120² two full steps
/// (the second warm-started, as in a run) are timed at both sizes (120² and 256²).
/// `quick`: 40² and 60² cells.
extension ExactBenchmark {
    /// `jko bench grid-jko`: ``gridJKOTiming(_:quick:)`` alone.
    public static func runGridJKO(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "grid-jko")
        try gridJKOTiming(&report, quick: quick)
        return report
    }

    static func gridJKOTiming(_ report: inout BenchmarkReport, quick: Bool) throws {
        let potential = try DoubleWellPotential(dimension: 2, tilt: 0.2)
        let start = try Gaussian(mean: [0.3, 0.2], covariance: Matrix([[0.09, 0], [0, 0.09]]))
        let (small, large) = quick ? (40, 60) : (120, 256)
        let grid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: small)
        let solver = try EntropicGridJKO(grid: grid, potential: potential, timeStep: 0.05)
        var state = solver.start(logDensity: start.logDensity)
        state = solver.step(from: state)
        let first = state.report!
        state = solver.step(from: state)
        let second = state.report!
        report.add("grid_jko_\(small)x\(small)_seconds_per_step", second.seconds, unit: "s", goal: quick ? nil : "≤ 1 s")
        report.add("grid_jko_\(small)x\(small)_iterations_per_step", Double(second.iterations), unit: "")
        report.add("grid_jko_\(small)x\(small)_first_step_seconds", first.seconds, unit: "s")
        report.add("grid_jko_\(small)x\(small)_marginal_error", second.marginalError, unit: "")
        report.add("grid_jko_\(small)x\(small)_first_step_iterations", Double(first.iterations), unit: "")
        report.add("grid_jko_\(small)x\(small)_exact_kernel_fraction", second.exactKernelFraction, unit: "")
        let largeGrid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: large)
        let largeSolver = try EntropicGridJKO(grid: largeGrid, potential: potential, timeStep: 0.05)
        var largeState = largeSolver.step(from: largeSolver.start(logDensity: start.logDensity))
        let largeFirst = largeState.report!
        largeState = largeSolver.step(from: largeState)
        let largeSecond = largeState.report!
        report.add("grid_jko_\(large)x\(large)_seconds_per_step", largeSecond.seconds, unit: "s")
        report.add("grid_jko_\(large)x\(large)_iterations_per_step", Double(largeSecond.iterations), unit: "")
        report.add("grid_jko_\(large)x\(large)_first_step_seconds", largeFirst.seconds, unit: "s")
        report.add("grid_jko_\(large)x\(large)_marginal_error", largeSecond.marginalError, unit: "")
        report.add("grid_jko_\(large)x\(large)_first_step_iterations", Double(largeFirst.iterations), unit: "")
        report.add("grid_jko_\(large)x\(large)_exact_kernel_fraction", largeSecond.exactKernelFraction, unit: "")
        report.notes.append("grid-jko: double well, h = 0.05, ε = Δx², tolerance 1e-9; per size a cold first step and a warm-started second step (as in a run), both measured; log-domain potentials, kernel products by banded dgemm on per-line scalings (exact log-sum-exp where they would underflow), translation and over-relaxation (ω \(String(format: "%.2f", second.relaxation)) at \(small)², \(String(format: "%.2f", largeSecond.relaxation)) at \(large)²)")
    }
}
