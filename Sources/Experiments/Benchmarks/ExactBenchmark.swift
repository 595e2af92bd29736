import Foundation
import GradientFlows
import NumericalCore
import Probability

/// `jko bench exact`: timings of the exact (non-neural) schemes against the goals.
///
/// - 1D particle JKO, N = 10⁴ particles, time per JKO step (goal ≤ 20 ms): a bimodal
///   mixture start on the tilted double well (c = 0.2), h = 0.05, best of 3 runs of 10 steps;
///   also the Newton iterations per step.
/// - 2D finite volumes on 256×256 cells of [−3, 3]², double well, implicit Euler with
///   Δt = 0.01 to t = 1 (goal ≤ 30 s); also the conjugate-gradient iterations per step.
/// - 2D moving-mesh JKO, about 10⁴ nodes, time per JKO step (goal ≤ 2 s): see
///   `ExactBenchmark+Mesh.swift`.
/// - The mesh-jko refinement study on `double-well-2d` (``MeshRefinementStudy``).
/// - The convergence studies of ``ExactConvergenceStudy`` (observed orders in h, 1/N, Δx).
/// `quick` shrinks them (N = 10³, 64×64, 24×24 mesh cells, two levels per study) for smoke runs.
public enum ExactBenchmark {
    public static func run(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "exact")
        try particleTiming(&report, quick: quick)
        try finiteVolumeTiming(&report, quick: quick)
        try meshTiming(&report, quick: quick)
        try gridJKOTiming(&report, quick: quick)
        try MeshRefinementStudy.run(&report, quick: quick)
        try ExactConvergenceStudy.run(&report, quick: quick)
        report.notes.append("Parallel.coreCount = \(Parallel.coreCount); the machine is shared, so timings are best-of-N")
        return report
    }

    static func particleTiming(_ report: inout BenchmarkReport, quick: Bool) throws {
        let n = quick ? 1000 : 10_000, steps = 10, h = 0.05
        let potential = try DoubleWellPotential(dimension: 1, tilt: 0.2)
        let start = try GaussianMixture(weights: [0.4, 0.6], components: [
            Gaussian(mean: [-0.8], standardDeviation: 0.3), Gaussian(mean: [0.9], standardDeviation: 0.4)])
        let jko = try LagrangianJKO1D(potential: potential, timeStep: h)
        let s0 = try ParticleState1D(particleCount: n, start: start)
        var iterations = 0
        let best = try Stopwatch.best(repeats: 3) {
            iterations = 0
            try jko.flow(from: s0, stepCount: steps) { _, result in iterations += result.iterations }
        }
        report.add("particle_1d_ms_per_step_n\(n)", best / Double(steps) * 1e3, unit: "ms", goal: quick ? nil : "≤ 20 ms")
        report.add("particle_1d_newton_iterations_per_step", Double(iterations) / Double(steps), unit: "")
        report.notes.append("particle 1D: N = \(n), double well c = 0.2, mixture start, h = \(h), best of 3 runs of \(steps) steps")
    }

    static func finiteVolumeTiming(_ report: inout BenchmarkReport, quick: Bool) throws {
        let cells = quick ? 64 : 256, dt = 0.01, steps = 100
        let potential = try DoubleWellPotential(dimension: 2, tilt: 0.2)
        let grid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: cells)
        let start = try Gaussian(mean: [0.3, 0.2], standardDeviation: 0.3)
        var iterations = 0, mass = 0.0
        let seconds = try Stopwatch.best(repeats: 1) {
            let solver = try FiniteVolumeFokkerPlanck(potential: potential, grid: grid, timeStep: dt, scheme: .implicitEuler)
            var state = try solver.start(grid.project(logDensity: start.logDensity))
            iterations = 0
            for _ in 0..<steps { state = try solver.step(state); iterations += state.iterations }
            mass = grid.mass(state.density)
        }
        report.add("fv_2d_seconds_to_t1_\(cells)x\(cells)", seconds, unit: "s", goal: quick ? nil : "≤ 30 s")
        report.add("fv_2d_cg_iterations_per_step", Double(iterations) / Double(steps), unit: "")
        report.add("fv_2d_mass_error", abs(mass - 1), unit: "")
        report.notes.append("finite volumes 2D: \(cells)×\(cells) cells on [−3, 3]², double well c = 0.2, implicit Euler Δt = \(dt), \(steps) steps, unpreconditioned CG to 1e-12")
    }
}
