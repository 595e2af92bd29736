import Foundation
import GradientFlows
import NumericalCore
import Probability

/// The 2D moving-mesh JKO timing of `jko bench exact` (goal ≤ 2 s per step at about
/// 10⁴ nodes): a 100×100-cell quantile mesh (10 201 nodes, 20 000 triangles), h = 0.02,
/// 10 steps (to t = 0.2), on two cases — the OU target from the bimodal `ou-mixture-2d`-like
/// start, and the tilted double well (c = 0.2) from N((0.3, 0.2), 0.3²I). Reported per
/// case: seconds per step (mean over the steps of one run), Newton and CG iterations per
/// step, and the final mesh quality. `quick`: 24×24 cells, 3 steps. (At this mesh size a
/// larger h makes the step non-convex on the double well and Newton stalls; see ``MeshJKO``.)
extension ExactBenchmark {
    static func meshTiming(_ report: inout BenchmarkReport, quick: Bool) throws {
        let cells = quick ? 24 : 100, steps = quick ? 3 : 10, h = 0.02
        let bimodal = try GaussianMixture(weights: [0.5, 0.5], components: [
            Gaussian(mean: [-1, 0], standardDeviation: 0.6), Gaussian(mean: [1, 0.5], standardDeviation: 0.6)])
        let ouTarget = try Gaussian(mean: [0, 0], covariance: Matrix([[1, 0.3], [0.3, 0.8]]))
        let cases: [(name: String, potential: any Potential, start: GaussianMixture)] = [
            ("ou", QuadraticPotential(target: ouTarget), bimodal),
            ("double_well", try DoubleWellPotential(dimension: 2, tilt: 0.2),
             GaussianMixture(try Gaussian(mean: [0.3, 0.2], standardDeviation: 0.3))),
        ]
        for c in cases {
            let solver = try MeshJKO(potential: c.potential, timeStep: h, maximumNewtonIterations: 200)
            var state = try MeshJKOState.start(mixture: c.start, cellsPerSide: cells)
            var seconds = 0.0, newton = 0, cg = 0
            var failure: String?
            for step in 0..<steps {
                do { state = try solver.step(from: state) } catch {
                    failure = "step \(step + 1): \(error)"
                    break
                }
                let r = state.report!
                seconds += r.seconds
                newton += r.newtonIterations
                cg += r.conjugateGradientIterations
            }
            let key = "mesh_2d_\(c.name)"
            if let failure {
                // Reported, not thrown: the other timings of the suite still run.
                report.notes.append("mesh 2D \(c.name): the Newton solve failed at \(failure)")
                continue
            }
            report.add("\(key)_seconds_per_step_\(state.mesh.nodeCount)nodes", seconds / Double(steps), unit: "s",
                       goal: quick ? nil : "≤ 2 s")
            report.add("\(key)_newton_iterations_per_step", Double(newton) / Double(steps), unit: "")
            report.add("\(key)_cg_iterations_per_step", Double(cg) / Double(steps), unit: "")
            report.add("\(key)_final_minimum_angle", state.minimumAngle, unit: "°")
            report.add("\(key)_final_area_ratio", state.areaRatio, unit: "")
        }
        report.notes.append("mesh 2D: \(cells)×\(cells)-cell quantile mesh, h = \(h), \(steps) steps per case, time of the Newton solves (one run)")
    }
}
