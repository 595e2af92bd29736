import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// 1D: per method (rows) and chosen step (columns), a histogram of the saved samples over
    /// the reference density of that step.
    static func samples1D(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        let steps = data.chosenSteps(count: options.snapshotCount)
        let box = data.plotBox()[0]
        let xs = RunFigureData.linspace(box, count: 300)
        let figure = makeFigure(rows: data.methods.count, columns: steps.count, title: "Samples per step of \(data.config.name) over the reference density",
                                panelWidth: 2.3, panelHeight: 2.0)
        for (row, method) in data.methods.enumerated() {
            for (column, step) in steps.enumerated() {
                let axes = figure[row, column]
                if let points = data.samples(method, step: step) {
                    axes.add(Histogram(values: points.column(0), binCount: 40, range: box, normalized: true,
                                       color: MethodStyle.of(method, index: row).color.withAlpha(0.5), label: "\(points.rows) samples"))
                }
                if let density = data.density(data.reference, step: step) {
                    axes.add(LinePlot(x: xs, y: xs.map { density.evaluate([$0]) }, color: .ink, width: 1.2,
                                      label: "reference (\(RunFigureData.title(of: data.reference)))"))
                }
                axes.xLimits = box
                axes.showsLegend = row == 0 && column == 0
                axes.legendPlacement = .below
                axes.title = row == 0 ? stepTitle(data, step) : nil
                axes.yLabel = column == 0 ? "\(RunFigureData.title(of: method)): density" : "density"
                if row == data.methods.count - 1 { axes.xLabel = "x" }
            }
        }
        return figure
    }

    /// 2D: per method (rows) and chosen step (columns), the saved samples (in the method's
    /// colour) over the contour lines (1/7 … 6/7 of the peak) of the reference density of that
    /// step, with the target ν dashed. A run whose only column is neural (the toys) has no
    /// reference density to draw (a KDE of its own samples would be drawn as if it were one):
    /// its panels show 1000 draws of the data ν in grey instead, and the title says which.
    static func samples2D(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        let steps = data.chosenSteps(count: options.snapshotCount)
        let box = data.plotBox()
        let target = targetContours(data, box: box, color: Color.gray)
        let hasReference = !data.reference.hasPrefix("neural")
        var dataPoints: Matrix?
        if target == nil, !hasReference, let sampler = try? data.config.targetSampler() {
            var generator = RandomGenerator(seed: 20_241_202)
            dataPoints = sampler.sample(count: 1000, using: &generator)
        }
        var title = "Samples per step of \(data.config.name)"
        if hasReference { title += " over the reference density (solid" + (target != nil ? "; dashed: target ν)" : ")") }
        else if target != nil { title += " (dashed: target ν)" }
        else if dataPoints != nil { title += " (grey: 1000 draws of the data ν)" }
        let figure = makeFigure(rows: data.methods.count, columns: steps.count,
                                title: title,
                                panelWidth: 2.3, panelHeight: panelHeight(width: 2.3, box: box))
        for (row, method) in data.methods.enumerated() {
            for (column, step) in steps.enumerated() {
                let axes = figure[row, column]
                if let points = dataPoints {
                    axes.add(ScatterPlot(x: points.column(0), y: points.column(1), color: Color.gray, radius: 1.0, alpha: 0.3))
                }
                if hasReference, let density = data.density(data.reference, step: step) {
                    let grid = RunFigureData.grid(size: 80, box: box, density.evaluate)
                    let peak = Interval.enclosing(grid.elements)?.upper ?? 1
                    axes.add(ContourPlot(values: grid, x: box[0], y: box[1], levels: (1...6).map { peak * Double($0) / 7 },
                                         color: Color.ink.withAlpha(0.7), width: 0.9))
                }
                if var dashed = target {
                    dashed.label = nil
                    axes.add(dashed)
                }
                if let points = data.samples(method, step: step) {
                    let shown = subsample(points, count: 1000)
                    let color = MethodStyle.of(method, index: row).color
                    axes.add(ScatterPlot(x: shown.column(0), y: shown.column(1), color: color == Color.okabeIto[0] ? Color(hex: "444444")! : color,
                                         radius: 1.1, alpha: 0.35))
                }
                axes.xLimits = box[0]
                axes.yLimits = box[1]
                axes.equalAspect = true
                axes.title = row == 0 ? stepTitle(data, step) : nil
                axes.yLabel = column == 0 ? "\(RunFigureData.title(of: method)): x₂" : "x₂"
                if row == data.methods.count - 1 { axes.xLabel = "x₁" }
            }
        }
        return figure
    }
}
