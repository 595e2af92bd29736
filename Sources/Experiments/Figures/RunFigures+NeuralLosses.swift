import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// Training losses per JKO step of every neural column (one row each): L_v (the
    /// potential's loss, E_ν[Ψ*(−v)] + E[v(T)]) and L_T (the map's, E[|T_old − T|²/(2h) −
    /// v(T)]) against the iteration within the step, one curve per trained step coloured by
    /// k on a sequential map. A step whose curves have flattened has settled; L_v ≈ −L_T at
    /// the saddle point when the transport cost is small.
    static func neuralLosses(_ data: RunFigureData) -> Figure? {
        let methods = data.neuralMethods.filter { !data.trainedSteps($0).isEmpty }
        guard !methods.isEmpty else { return nil }
        let figure = makeFigure(rows: methods.count, columns: 2, title: "Training losses per JKO step of \(data.config.name)",
                                panelWidth: 3.6, panelHeight: 2.7)
        for (row, method) in methods.enumerated() {
            let steps = data.trainedSteps(method)
            let range = Interval(Double(steps.first!), Double(max(steps.last!, steps.first! + 1)))
            let panels = [figure[row, 0], figure[row, 1]]
            var values: [[Double]] = [[], []]
            for step in steps {
                guard let history = data.lossHistory(method, step: step) else { continue }
                let color = Colormap.viridis.color(for: Double(step), in: range)
                panels[0].add(LinePlot(x: history.iterations, y: history.potential, color: color, width: 1.2))
                panels[1].add(LinePlot(x: history.iterations, y: history.map, color: color, width: 1.2))
                values[0] += history.potential
                values[1] += history.map
            }
            for (index, (panel, name)) in zip(panels, ["L_v (potential)", "L_T (map)"]).enumerated() {
                // Adversarial training throws rare spikes (a batch far in ν's tail): the axis
                // spans the 1–99 % range of the entries, so the settling shows; spikes run off.
                let all = values[index].filter(\.isFinite)
                let full = Interval.enclosing(all) ?? Interval(0, 1)
                let body = Interval(sortedQuantile(all, 0.01), sortedQuantile(all, 0.99)).padded(by: 0.15)
                let clipped = body.upper < full.upper || body.lower > full.lower
                if clipped { panel.yLimits = body }
                panel.title = "\(method): \(name)" + (clipped ? ", spikes clipped" : "")
                panel.xLabel = "iteration within the JKO step"
                panel.yLabel = name.components(separatedBy: " ")[0]
                panel.showsGrid = true
            }
            panels[1].colorBar = ColorBar(colormap: .viridis, range: range, label: "JKO step k (run step)")
        }
        return figure
    }
}
