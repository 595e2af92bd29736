import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// 1D: per method (rows) and chosen step (columns), a histogram of the saved samples over
    /// the reference density of that step.
    static func samples1D(_ data: RunFigureData) -> Figure? {
        let steps = data.chosenSteps(count: snapshotCount)
        let box = data.plotBox()[0]
        let xs = RunFigureData.linspace(box, count: 300)
        let figure = makeFigure(rows: data.methods.count, columns: steps.count, title: "Samples per step of \(data.config.name) over the reference density",
                                panelWidth: 2.3, panelHeight: 2.0)
        for (row, method) in data.methods.enumerated() {
            for (column, step) in steps.enumerated() {
                let axes = figure[row, column]
                if let points = data.samples(method, step: step) {
                    axes.add(Histogram(values: points.column(0), binCount: 40, range: box, normalized: true,
                                       color: Color.categorical(row).withAlpha(0.45), label: "\(points.rows) samples"))
                }
                if let density = data.density(data.reference, step: step) {
                    axes.add(LinePlot(x: xs, y: xs.map { density.evaluate([$0]) }, color: .ink, width: 1.2, label: "reference"))
                }
                axes.xLimits = box
                axes.showsLegend = row == 0 && column == 0
                axes.title = row == 0 ? stepTitle(data, step) : nil
                if column == 0 { axes.yLabel = RunFigureData.title(of: method) }
                if row == data.methods.count - 1 { axes.xLabel = "x" }
            }
        }
        return figure
    }

    /// 2D: per method (rows) and chosen step (columns), the saved samples over the contour
    /// lines of the reference density of that step.
    static func samples2D(_ data: RunFigureData) -> Figure? {
        let steps = data.chosenSteps(count: snapshotCount)
        let box = data.plotBox()
        let figure = makeFigure(rows: data.methods.count, columns: steps.count, title: "Samples per step of \(data.config.name) over the reference density",
                                panelWidth: 2.3, panelHeight: panelHeight(width: 2.3, box: box))
        for (row, method) in data.methods.enumerated() {
            for (column, step) in steps.enumerated() {
                let axes = figure[row, column]
                if let density = data.density(data.reference, step: step) {
                    let grid = RunFigureData.grid(size: 80, box: box, density.evaluate)
                    let peak = Interval.enclosing(grid.elements)?.upper ?? 1
                    axes.add(ContourPlot(values: grid, x: box[0], y: box[1], levels: (1...6).map { peak * Double($0) / 7 },
                                         colormap: .viridis, width: 1))
                }
                if let points = data.samples(method, step: step) {
                    let shown = subsample(points, count: 1000)
                    axes.add(ScatterPlot(x: shown.column(0), y: shown.column(1), color: .categorical(row == 0 ? 3 : row),
                                         radius: 1.1, alpha: 0.35))
                }
                axes.xLimits = box[0]
                axes.yLimits = box[1]
                axes.equalAspect = true
                axes.title = row == 0 ? stepTitle(data, step) : nil
                if column == 0 { axes.yLabel = "\(RunFigureData.title(of: method)): x₂" }
                if row == data.methods.count - 1 { axes.xLabel = "x₁" }
            }
        }
        return figure
    }
}
