import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// 1D: per method, the curves ρ_t(x) of every step coloured by time (with the target ν
    /// dashed), and the space–time heatmap of ρ_t(x) with x across and t upwards.
    static func densityCurves1D(_ data: RunFigureData) -> Figure? {
        let methods = data.methods.filter { data.density($0, step: 0) != nil }
        guard !methods.isEmpty else { return nil }
        let box = data.plotBox()[0]
        let xs = RunFigureData.linspace(box, count: 300)
        let steps = data.completedSteps
        let endTime = data.config.time(ofStep: steps.last!)
        let timeRange = Interval(0, max(endTime, 1e-9))
        let figure = makeFigure(rows: methods.count, columns: 2, title: "Density trajectory ρₜ of \(data.config.name)",
                                panelWidth: 3.4, panelHeight: 2.5)
        let target = data.targetDensity1D(at: xs)
        for (row, method) in methods.enumerated() {
            let curves = figure[row, 0]
            var grid = Matrix(rows: steps.count, columns: xs.count)
            var source = ""
            for (k, step) in steps.enumerated() {
                guard let density = data.density(method, step: step) else { continue }
                source = density.source
                let ys = xs.map { density.evaluate([$0]) }
                for j in xs.indices { grid[k, j] = ys[j] }
                curves.add(LinePlot(x: xs, y: ys, color: Colormap.viridis.color(for: data.config.time(ofStep: step), in: timeRange), width: 1.2))
            }
            if let target {
                curves.add(LinePlot(x: xs, y: target, color: .ink, width: 1.2, dash: [4, 3], label: "target ν"))
            }
            curves.colorBar = ColorBar(colormap: .viridis, range: timeRange, label: "time t")
            curves.legendPlacement = .below
            curves.showsLegend = row == 0
            curves.title = "\(RunFigureData.title(of: method)) (\(source))"
            curves.xLabel = "x"
            curves.yLabel = "ρₜ(x)"

            let heat = figure[row, 1]
            // One grid row per step: step k covers t ∈ [t_k − h/2, t_k + h/2].
            let h = data.config.flow.timeStep
            // A sharp start would leave the rest of the heatmap dark: the colours stop at the peak
            // over the later 90 % of the steps, and brighter early cells saturate (said on the bar).
            let late = grid.elements[(steps.count / 10 * xs.count)...]
            let full = Interval.enclosing(grid.elements) ?? Interval(0, 1)
            let top = min(full.upper, 1.05 * (Interval.enclosing(late)?.upper ?? full.upper))
            let clipped = top < full.upper * 0.95
            heat.add(Heatmap(values: grid, x: box, y: Interval(-h / 2, endTime + h / 2), colormap: .magma, range: Interval(0, top)))
            heat.colorBar = ColorBar(colormap: .magma, range: Interval(0, top), label: clipped ? "ρₜ(x), early peak clipped" : "ρₜ(x)")
            heat.title = "space–time view"
            heat.xLabel = "x"
            heat.yLabel = "time t"
        }
        return figure
    }

    /// 2D: one row per method, one column per chosen step: ρ_t as a heatmap, each panel on its
    /// own colour scale (ρ / its peak, the peak in the panel title: a spike in one panel dims
    /// no other), white contours at 1/7 … 6/7 of the panel's peak, and the target ν dashed.
    static func densitySnapshots2D(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        let methods = data.methods.filter { data.density($0, step: 0) != nil }
        guard !methods.isEmpty else { return nil }
        let steps = data.chosenSteps(count: options.snapshotCount)
        let box = data.plotBox()
        let size = 120
        var grids: [Matrix] = []
        var sources: [String] = []
        for method in methods {
            var source = ""
            for step in steps {
                guard let density = data.density(method, step: step) else { grids.append(Matrix(rows: size, columns: size, repeating: .nan)); continue }
                source = density.source
                grids.append(RunFigureData.grid(size: size, box: box, density.evaluate))
            }
            sources.append(source)
        }
        let (scaled, peaks) = DensityScaling.perPanel.apply(to: grids)
        let unit = Interval(0, 1)
        let levels = (1...6).map { Double($0) / 7 }
        let target = targetContours(data, box: box, color: Color.white.withAlpha(0.9))
        let figure = makeFigure(rows: methods.count, columns: steps.count,
                                title: "Density snapshots ρₜ of \(data.config.name), each panel on its own scale (ρ / panel peak)",
                                panelWidth: 2.3, panelHeight: panelHeight(width: 2.3, box: box) + 0.12)
        for (row, method) in methods.enumerated() {
            for (column, step) in steps.enumerated() {
                let axes = figure[row, column]
                let index = row * steps.count + column
                axes.add(Heatmap(values: scaled[index], x: box[0], y: box[1], colormap: .viridis, range: unit))
                axes.add(ContourPlot(values: scaled[index], x: box[0], y: box[1], levels: levels, color: Color.white.withAlpha(0.55), width: 0.6))
                if var dashed = target {
                    dashed.label = nil
                    axes.add(dashed)
                }
                axes.equalAspect = true
                axes.title = (row == 0 ? stepTitle(data, step) + ", " : "") + "peak " + String(format: "%.3g", peaks[index])
                axes.yLabel = column == 0 ? "\(RunFigureData.title(of: method)): x₂" : "x₂"
                if row == methods.count - 1 { axes.xLabel = "x₁" }
                if column == steps.count - 1 { axes.colorBar = ColorBar(colormap: .viridis, range: unit, label: "ρ / panel peak") }
            }
        }
        var notes: [String] = []
        if target != nil { notes.append("dashed: target ν") }
        if sources.contains(where: { $0.hasPrefix("KDE") }) { notes.append("rows from samples use a KDE") }
        if !notes.isEmpty { figure.title! += "; " + notes.joined(separator: "; ") }
        return figure
    }
}
