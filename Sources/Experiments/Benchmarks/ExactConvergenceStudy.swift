import Foundation
import GradientFlows
import NumericalCore
import Probability

/// The longer convergence studies of the exact schemes behind `jko bench exact`
/// (the test suite runs the short versions). OU target N(0, 1), start N(1.5, 0.5²).
///
/// - Particle JKO in h: T = 0.4, N = 10⁴, h = 0.1 … 0.0125; error = Bures–W₂ between
///   the particle moments and the analytic ρ_T (order ≈ 1 expected).
/// - Particle JKO in N: h = 0.1, 5 steps, N = 500 … 8000; error in the variance against
///   the exact Gaussian JKO iterate (order ≈ 1 in 1/N expected).
/// - Finite volumes in Δx: BDF2 with Δt = 1e-3 to T = 0.5 on [−6, 6], 40 … 640 cells;
///   L¹ error against the analytic density (order ≈ 2 expected).
enum ExactConvergenceStudy {
    /// One study: the errors at each value of the refined parameter (h, 1/N or Δx).
    struct Series {
        let parameter: [Double]
        let errors: [Double]
        var order: Double { ExactConvergenceStudy.order(parameter, errors) }
    }

    /// The three studies' errors (also drawn by the `exact-convergence` figure recipe).
    static func measure(quick: Bool) throws -> (inH: Series, inInverseN: Series, inDx: Series, particleCount: Int, counts: [Int], cells: [Int]) {
        let target = try Gaussian(mean: [0], standardDeviation: 1)
        let start = try Gaussian(mean: [1.5], standardDeviation: 0.5)
        let potential = QuadraticPotential(target: target)
        let flow = try OrnsteinUhlenbeckFlow(start: GaussianMixture(start), target: target)

        let horizon = 0.4, particleCount = quick ? 2000 : 10_000
        let steps: [Double] = quick ? [0.1, 0.05] : [0.1, 0.05, 0.025, 0.0125]
        var errors = [Double]()
        for h in steps {
            let k = Int((horizon / h).rounded())
            let jko = try LagrangianJKO1D(potential: potential, timeStep: h)
            let last = try jko.flow(from: ParticleState1D(particleCount: particleCount, start: GaussianMixture(start)), stepCount: k)[k]
            let dm = last.mean - flow.mean(at: horizon)[0]
            let ds = last.variance.squareRoot() - flow.covariance(at: horizon)[0, 0].squareRoot()
            errors.append((dm * dm + ds * ds).squareRoot())
        }

        let counts = quick ? [500, 1000] : [500, 1000, 2000, 4000, 8000]
        let exact = try GaussianJKO(target: target, timeStep: 0.1).iterates(from: start, stepCount: 5)[5]
        var varianceErrors = [Double]()
        for n in counts {
            let jko = try LagrangianJKO1D(potential: potential, timeStep: 0.1)
            let last = try jko.flow(from: ParticleState1D(particleCount: n, start: GaussianMixture(start)), stepCount: 5)[5]
            varianceErrors.append(abs(last.variance - exact.covariance[0, 0]))
        }

        let cellCounts = quick ? [40, 80] : [40, 80, 160, 320, 640]
        var l1 = [Double](), spacings = [Double]()
        for m in cellCounts {
            let grid = try FiniteVolumeGrid(lower: -6, upper: 6, cellCount: m)
            let solver = try FiniteVolumeFokkerPlanck(potential: potential, grid: grid, timeStep: 1e-3, scheme: .bdf2)
            var state = try solver.start(grid.project(logDensity: start.logDensity))
            for _ in 0..<500 { state = try solver.step(state) }
            let exactDensity = grid.project { (try? flow.logDensity($0, at: 0.5)) ?? -.infinity }
            l1.append(grid.l1Distance(state.density, exactDensity))
            spacings.append(grid.spacing)
        }
        return (Series(parameter: steps, errors: errors), Series(parameter: counts.map { 1 / Double($0) }, errors: varianceErrors),
                Series(parameter: spacings, errors: l1), particleCount, counts, cellCounts)
    }

    static func run(_ report: inout BenchmarkReport, quick: Bool) throws {
        let study = try measure(quick: quick)
        report.add("particle_order_in_h", study.inH.order, unit: "", goal: "[0.8, 1.3]")
        report.notes.append("particle JKO vs analytic, T = 0.4, N = \(study.particleCount): h = \(study.inH.parameter), errors \(study.inH.errors.map { String(format: "%.3g", $0) })")
        report.add("particle_order_in_inverse_n", study.inInverseN.order, unit: "")
        report.notes.append("particle JKO vs Gaussian JKO iterate 5 (h = 0.1), variance error: N = \(study.counts), errors \(study.inInverseN.errors.map { String(format: "%.3g", $0) })")
        report.add("fv_order_in_dx", study.inDx.order, unit: "", goal: "[1.7, 2.3]")
        report.notes.append("finite volumes 1D vs analytic, T = 0.5, BDF2 Δt = 1e-3: cells \(study.cells), L1 errors \(study.inDx.errors.map { String(format: "%.3g", $0) })")
    }

    /// Least-squares slope of log error against log step.
    static func order(_ steps: [Double], _ errors: [Double]) -> Double {
        let x = steps.map { Foundation.log($0) }, y = errors.map { Foundation.log($0) }
        let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        return sxy / sxx
    }
}
