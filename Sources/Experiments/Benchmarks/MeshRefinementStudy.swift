import Foundation
import GradientFlows
import NumericalCore
import Probability

/// The mesh-jko refinement study of `jko bench exact`: the `double-well-2d` case (tilted
/// double well c = 0.2, start N((0.3, 0.2), 0.3²I)) on quantile meshes of n × n cells with
/// the time step refined with them (h·n fixed, default h = 2/n, so t = 0.5 and t = 1 are
/// whole steps for n = 24, 32, 48, 64), remeshed conservatively below 10° (guard 1°), against
/// a fine finite-volume reference (BDF2 on [−3, 3]²). Error at each time: the L¹ distance Σ |ρ_mesh − ρ_FV| Δx² on the reference
/// grid, ρ_mesh the exact cell averages of the mesh density (mass-conserving clipping),
/// plus the mesh mass outside the box. Observed order: least-squares slope of log error
/// against log(1/n) (the scheme is first order in (h, 1/n) together).
enum MeshRefinementStudy {
    struct Result {
        let cells: [Int]
        let timeSteps: [Double]
        let times: [Double]
        /// errors[time][level]; NaN where the level failed before that time.
        let errors: [[Double]]
        /// One sentence per failed level.
        let failures: [String]
        let seconds: [Double]
        /// Remaps per level over the whole run.
        let remaps: [Int]

        /// Observed order at each time over the levels that reached it.
        var orders: [Double] {
            errors.map { e in
                let ok = e.indices.filter { e[$0].isFinite }
                guard ok.count >= 2 else { return .nan }
                return ExactConvergenceStudy.order(ok.map { 1 / Double(cells[$0]) }, ok.map { e[$0] })
            }
        }
    }

    static let potential = try! DoubleWellPotential(dimension: 2, tilt: 0.2)
    static let start = try! Gaussian(mean: [0.3, 0.2], covariance: Matrix([[0.09, 0], [0, 0.09]]))

    /// - Parameters: cells per side of each mesh level; the times (multiples of every h and
    ///   of `referenceTimeStep`); the reference grid's cells per side and BDF2 step.
    static func measure(cells: [Int], times: [Double], hTimesCells: Double = 2, referenceCells: Int,
                        referenceTimeStep: Double, remeshAngle: Double = 10) throws -> Result {
        let grid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: referenceCells)
        let fv = try FiniteVolumeFokkerPlanck(potential: potential, grid: grid, timeStep: referenceTimeStep, scheme: .bdf2)
        var fvState = try fv.start(grid.project(logDensity: start.logDensity))
        var reference = [[Double]](), done = 0
        for t in times {
            let target = Int((t / referenceTimeStep).rounded())
            while done < target { fvState = try fv.step(fvState); done += 1 }
            reference.append(fvState.density)
        }
        var errors = [[Double]](repeating: [Double](repeating: .nan, count: cells.count), count: times.count)
        var failures = [String](), seconds = [Double](), steps = [Double](), remaps = [Int]()
        for (level, n) in cells.enumerated() {
            let h = hTimesCells / Double(n)
            steps.append(h)
            let clock = ContinuousClock.now
            let solver = try MeshJKO(potential: potential, timeStep: h, maximumNewtonIterations: 200, minimumAngle: 1,
                                     remeshAngle: remeshAngle, remeshCells: n)
            var state = try MeshJKOState.start(mixture: GaussianMixture(start), cellsPerSide: n)
            var taken = 0
            do {
                for (k, t) in times.enumerated() {
                    let target = Int((t / h).rounded())
                    while taken < target { state = try solver.step(from: state); taken += 1 }
                    let (density, outside) = state.cellAverages(on: grid)
                    errors[k][level] = grid.l1Distance(density, reference[k]) + outside
                }
            } catch {
                failures.append("\(n) cells (h = \(String(format: "%.4g", h))), step \(taken + 1): \(error)")
            }
            remaps.append(state.remapCount)
            let elapsed = ContinuousClock.now - clock
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return Result(cells: cells, timeSteps: steps, times: times, errors: errors, failures: failures, seconds: seconds, remaps: remaps)
    }

    /// Full: n = 24, 32, 48, 64, t = 0.5, 1, 2, 3, reference 192² cells with Δt = 0.01.
    /// `quick`: n = 24, 48 at t = 0.5, reference 96² with Δt = 0.01.
    static func run(_ report: inout BenchmarkReport, quick: Bool) throws {
        let result = try quick
            ? measure(cells: [24, 48], times: [0.5], referenceCells: 96, referenceTimeStep: 0.01)
            : measure(cells: [24, 32, 48, 64], times: [0.5, 1, 2, 3], referenceCells: 192, referenceTimeStep: 0.01)
        for (k, t) in result.times.enumerated() {
            for (level, n) in result.cells.enumerated() {
                report.add("mesh_refinement_l1_t\(t)_\(n)cells", result.errors[k][level], unit: "")
            }
            report.add("mesh_refinement_order_t\(t)", result.orders[k], unit: "")
        }
        let h = result.timeSteps.map { String(format: "%.4g", $0) }
        report.notes.append("mesh-jko refinement on double-well-2d: cells \(result.cells), h \(h) (h·n = 2), L1 to finite volumes, remeshed below 10°; remaps per level \(result.remaps); seconds per level \(result.seconds.map { String(format: "%.1f", $0) })")
        for f in result.failures { report.notes.append("mesh-jko refinement: Newton failed at \(f)") }
    }
}
