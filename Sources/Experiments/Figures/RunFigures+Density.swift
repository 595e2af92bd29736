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
        let target = try? data.config.targetDistribution()
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
                curves.add(LinePlot(x: xs, y: xs.map { exp(target.logDensity([$0])) }, color: .ink, width: 1.2, dash: [4, 3], label: "target ν"))
            }
            curves.colorBar = ColorBar(colormap: .viridis, range: timeRange, label: "time t")
            curves.title = "\(RunFigureData.title(of: method)) (\(source))"
            curves.xLabel = "x"
            curves.yLabel = "ρₜ(x)"

            let heat = figure[row, 1]
            // One grid row per step: step k covers t ∈ [t_k − h/2, t_k + h/2].
            let h = data.config.flow.timeStep
            heat.add(Heatmap(values: grid, x: box, y: Interval(-h / 2, endTime + h / 2), colormap: .magma))
            heat.colorBar = ColorBar(colormap: .magma, range: Interval.enclosing(grid.elements) ?? Interval(0, 1), label: "ρₜ(x)")
            heat.title = "space–time view"
            heat.xLabel = "x"
            heat.yLabel = "time t"
        }
        return figure
    }

    /// 2D: one row per method, one column per chosen step: ρ_t as a heatmap with contours,
    /// on one colour range and one set of contour levels for the whole figure.
    static func densitySnapshots2D(_ data: RunFigureData) -> Figure? {
        let methods = data.methods.filter { data.density($0, step: 0) != nil }
        guard !methods.isEmpty else { return nil }
        let steps = data.chosenSteps(count: snapshotCount)
        let box = data.plotBox()
        let size = 120
        var grids: [[Matrix]] = []
        var sources: [String] = []
        for method in methods {
            var row: [Matrix] = []
            var source = ""
            for step in steps {
                guard let density = data.density(method, step: step) else { row.append(Matrix(rows: size, columns: size, repeating: .nan)); continue }
                source = density.source
                row.append(RunFigureData.grid(size: size, box: box, density.evaluate))
            }
            grids.append(row)
            sources.append(source)
        }
        let range = Interval(0, Interval.enclosing(grids.flatMap { $0.flatMap(\.elements) })?.upper ?? 1)
        let levels = (1...6).map { range.upper * Double($0) / 7 }
        let figure = makeFigure(rows: methods.count, columns: steps.count, title: "Density snapshots ρₜ of \(data.config.name)",
                                panelWidth: 2.3, panelHeight: panelHeight(width: 2.3, box: box))
        for (row, method) in methods.enumerated() {
            for (column, step) in steps.enumerated() {
                let axes = figure[row, column]
                axes.add(Heatmap(values: grids[row][column], x: box[0], y: box[1], colormap: .viridis, range: range))
                axes.add(ContourPlot(values: grids[row][column], x: box[0], y: box[1], levels: levels, color: Color.white.withAlpha(0.6), width: 0.6))
                axes.equalAspect = true
                axes.title = row == 0 ? stepTitle(data, step) : nil
                if column == 0 { axes.yLabel = "\(RunFigureData.title(of: method)): x₂" }
                if row == methods.count - 1 { axes.xLabel = "x₁" }
                if column == steps.count - 1 { axes.colorBar = ColorBar(colormap: .viridis, range: range, label: "density") }
            }
        }
        if sources.contains(where: { $0.hasPrefix("KDE") }) {
            figure.title! += " (rows from samples use a KDE)"
        }
        return figure
    }
}
