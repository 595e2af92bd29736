import Foundation
import GradientFlows
import NumericalCore
import OptimalTransport
import Plotting
import Probability

/// The convergence figure (`jko figure exact-convergence`): log–log errors of the exact
/// schemes against their refinement parameter, from the studies `jko bench exact` runs
/// (``ExactConvergenceStudy``, full size) and notebook 01's Gaussian JKO table, each with a
/// reference triangle of the expected slope:
///
/// - against h: the Gaussian JKO iterate vs the analytic ρ₁ of the `ou-2d` preset (Bures–W₂,
///   h = 0.1 … 0.0125, as in notebook 01) and the particle JKO's moments vs the analytic ρ_T
///   (T = 0.4, N = 10⁴): slope 1;
/// - against 1/N: the particle JKO's variance vs the exact Gaussian JKO iterate: slope 1;
/// - against Δx: the finite volumes' L¹ error vs the analytic density: slope 2.
enum ConvergenceFigure {
    static func make() throws -> Figure {
        let study = try ExactConvergenceStudy.measure(quick: false)
        let gaussian = try gaussianJKOErrors()
        let figure = Figure(rows: 1, columns: 3, width: 10.6, height: 3.5, dpi: 150,
                            title: "Convergence of the exact schemes (jko bench exact; notebook 01)")
        let inH = figure[0, 0]
        inH.add(line(gaussian.steps, gaussian.errors, method: "gaussian-jko",
                     label: "Gaussian JKO vs ρ₁ (ou-2d), order \(String(format: "%.2f", ExactConvergenceStudy.order(gaussian.steps, gaussian.errors)))"))
        inH.add(line(study.inH.parameter, study.inH.errors, method: "particle-jko",
                     label: "particle JKO vs ρ₀.₄ (N = \(study.particleCount)), order \(String(format: "%.2f", study.inH.order))"))
        inH.add(slopeTriangle(study.inH.parameter, study.inH.errors, slope: 1))
        style(inH, title: "error against the time step h", x: "time step h", y: "W₂ error (log)")

        let inN = figure[0, 1]
        inN.add(line(study.inInverseN.parameter, study.inInverseN.errors, method: "particle-jko",
                     label: "particle JKO variance vs Gaussian JKO, order \(String(format: "%.2f", study.inInverseN.order))"))
        inN.add(slopeTriangle(study.inInverseN.parameter, study.inInverseN.errors, slope: 1))
        style(inN, title: "error against 1/N (h = 0.1, 5 steps)", x: "1 / particle count N", y: "|variance error| (log)")

        let inDx = figure[0, 2]
        inDx.add(line(study.inDx.parameter, study.inDx.errors, method: "finite-volume",
                      label: "finite volumes vs ρ₀.₅, order \(String(format: "%.2f", study.inDx.order))"))
        inDx.add(slopeTriangle(study.inDx.parameter, study.inDx.errors, slope: 2))
        style(inDx, title: "error against the cell size Δx", x: "cell size Δx", y: "L¹ error (log)")
        return figure
    }

    /// Notebook 01's study: ou-2d to t = 1 with h = 0.1, 0.05, 0.025, 0.0125; W₂ between the
    /// Gaussian JKO iterate and the analytic marginal (both closed form).
    static func gaussianJKOErrors() throws -> (steps: [Double], errors: [Double]) {
        let config = Presets.named("ou-2d")!
        let target = try config.targetDistribution(), start = try config.startDistribution()
        let flow = try OrnsteinUhlenbeckFlow(start: start, target: target)
        let exact = try flow.marginal(at: 1).components[0]
        let steps = [0.1, 0.05, 0.025, 0.0125]
        let errors = try steps.map { h -> Double in
            let k = Int((1 / h).rounded())
            let iterate = try GaussianJKO(target: target, timeStep: h).iterates(from: start.components[0], stepCount: k)[k]
            return try BuresWasserstein.distance(iterate, exact)
        }
        return (steps, errors)
    }

    static func line(_ x: [Double], _ y: [Double], method: String, label: String) -> LinePlot {
        let s = MethodStyle.of(method)
        return LinePlot(x: x, y: y, color: s.color, width: 1.6, dash: s.dash, label: label, marker: s.marker, markerRadius: 3)
    }

    /// A right triangle of the given log–log slope under the middle of the data, its legs
    /// spanning a factor 2 in x: the eye compares the curve's slope with it.
    static func slopeTriangle(_ x: [Double], _ y: [Double], slope: Double) -> LinePlot {
        let lx = x.map(log), ly = y.map(log)
        let middle = lx.count / 2
        let x0 = exp(0.5 * (lx[max(middle - 1, 0)] + lx[middle])) / 1.4142, x1 = 2 * x0
        let y0 = 0.45 * exp(0.5 * (ly[max(middle - 1, 0)] + ly[middle])) * pow(1.4142, -slope)
        let y1 = y0 * pow(x1 / x0, slope)
        return LinePlot(x: [x0, x1, x1, x0], y: [y0, y0, y1, y0], color: .gray, width: 1.1,
                        label: "slope \(TickFormatter.compact(slope)) (reference)")
    }

    static func style(_ axes: Axes, title: String, x: String, y: String) {
        axes.xScaleKind = .log
        axes.yScaleKind = .log
        axes.showsGrid = true
        axes.title = title
        axes.xLabel = x
        axes.yLabel = y
        axes.legendPlacement = .below
    }
}
