import Foundation
import Plotting

/// `jko figure uot-jko-step` (notebook 03): one JKO step as unbalanced OT on a grid against
/// the exact Gaussian step (``UnbalancedJKOStepStudy``): the start μ, the target ν, the exact
/// iterate N(m', σ'²) and the grid iterates for the largest and smallest ε, as densities
/// (grid weights / Δ); right, the grid iterate minus the exact density for every ε, which
/// halves with ε (the O(ε) entropic bias).
enum UnbalancedJKOStepFigure {
    static func make() throws -> Figure {
        let study = UnbalancedJKOStepStudy.self
        let x = study.grid, spacing = x[1] - x[0]
        func gaussian(_ m: Double, _ s: Double) -> [Double] { x.map { exp(-0.5 * ($0 - m) * ($0 - m) / (s * s)) / (s * (2 * Double.pi).squareRoot()) } }
        let exact = study.exactStep
        let figure = Figure(rows: 1, columns: 2, width: 10.6, height: 4.0, dpi: 150,
                            title: "One JKO step as unbalanced OT on a grid (h = \(TickFormatter.compact(study.timeStep)))")
        let axes = figure[0, 0]
        axes.add(LinePlot(x: x, y: gaussian(study.startMean, study.startDeviation), color: .gray, width: 1.4, label: "start μ = N(−1, 0.5²)"))
        axes.add(LinePlot(x: x, y: gaussian(study.targetMean, 1 / study.precision.squareRoot()), color: .gray, width: 1.2, dash: [4, 3],
                          label: "target ν = N(1, 1)"))
        axes.add(LinePlot(x: x, y: gaussian(exact.mean, exact.deviation), color: .black, width: 2.2,
                          label: "exact JKO step N(m′, σ′²)"))
        let exactDensity = gaussian(exact.mean, exact.deviation)
        let bias = figure[0, 1]
        let colors = [Color.okabeIto[6], Color.okabeIto[1], Color.okabeIto[5], Color.okabeIto[2]]
        for (index, epsilon) in study.epsilons.enumerated() {
            let step = try study.step(epsilon: epsilon)
            let density = step.weights.map { $0 / spacing }
            let label = "unbalanced Sinkhorn, ε = \(TickFormatter.compact(epsilon))"
            if index == 0 || index == study.epsilons.count - 1 {
                axes.add(LinePlot(x: x, y: density, color: colors[index], width: 1.4, dash: index == 0 ? [6, 2] : [], label: label))
            }
            bias.add(LinePlot(x: x, y: zip(density, exactDensity).map { $0 - $1 }, color: colors[index], width: 1.4, label: "ε = \(TickFormatter.compact(epsilon))"))
        }
        axes.title = "densities on the grid (Δ = 0.05)"
        axes.xLabel = "x"
        axes.yLabel = "density"
        axes.showsGrid = true
        axes.legendPlacement = .below
        bias.title = "grid iterate − exact step: halves with ε"
        bias.xLabel = "x"
        bias.yLabel = "density difference"
        bias.showsGrid = true
        bias.legendPlacement = .below
        return figure
    }
}
