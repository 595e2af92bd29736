import Foundation
import NumericalCore
import Plotting

/// One step of a neural-vs-exact comparison on a grid (`[size, size]` in 2D, row 0 at the
/// bottom; `[1, size]` in 1D): the exact density, the neural flow's (a KDE of its saved
/// samples) and their difference `neural − exact`, cell by cell.
public struct NeuralDensityComparison {
    public let step: Int
    public let exact: Matrix
    public let neural: Matrix
    public let difference: Matrix
    /// How the neural density was obtained ("KDE of 1000 samples").
    public let neuralSource: String

    public init(step: Int, exact: Matrix, neural: Matrix, neuralSource: String) {
        precondition(exact.rows == neural.rows && exact.columns == neural.columns, "grids of different shapes")
        self.step = step
        self.exact = exact
        self.neural = neural
        var difference = neural
        for k in difference.elements.indices { difference.elements[k] -= exact.elements[k] }
        self.difference = difference
        self.neuralSource = neuralSource
    }

    /// The larger of both peaks: the colour scale shared by the pair.
    public var peak: Double { max(exact.elements.max() ?? 0, neural.elements.max() ?? 0) }

    /// max |neural − exact| on the grid.
    public var largestDifference: Double { difference.elements.map(abs).max() ?? 0 }
}

extension RunFigures {
    /// The comparisons of `method` with the run's exact column (`neuralComparator`) at
    /// `steps`, on `size × size` cells of `box` (2D) or `size` points of `box[0]` (1D).
    static func neuralComparisons(_ data: RunFigureData, method: String, steps: [Int], box: [Interval], size: Int) -> [NeuralDensityComparison] {
        steps.compactMap { step in
            guard let exact = data.density(data.neuralComparator, step: step), let neural = data.density(method, step: step) else { return nil }
            if data.dimension == 1 {
                let xs = RunFigureData.linspace(box[0], count: size)
                return NeuralDensityComparison(step: step, exact: Matrix(rows: 1, columns: size, elements: xs.map { exact.evaluate([$0]) }),
                                               neural: Matrix(rows: 1, columns: size, elements: xs.map { neural.evaluate([$0]) }),
                                               neuralSource: neural.source)
            }
            return NeuralDensityComparison(step: step, exact: RunFigureData.grid(size: size, box: box, exact.evaluate),
                                           neural: RunFigureData.grid(size: size, box: box, neural.evaluate), neuralSource: neural.source)
        }
    }

    /// Neural vs exact densities at up to four trained steps of the first neural column.
    /// 2D: rows exact, neural, neural − exact; each column on its own scale (ρ / the pair's
    /// peak, stated in the title), the difference on a diverging scale symmetric about 0 in
    /// the same unit, shared by the row. 1D: the two curves overlaid, and the difference curve.
    static func neuralDensities(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        guard let method = data.neuralMethods.first, data.neuralComparator != method else { return nil }
        let steps = Array(data.chosenSteps(count: min(options.snapshotCount, 4) + 1).filter { $0 > 0 }.suffix(4))
        let box = data.plotBox()
        let comparisons = neuralComparisons(data, method: method, steps: steps, box: box, size: data.dimension == 1 ? 300 : 100)
        guard !comparisons.isEmpty else { return nil }
        let exactName = RunFigureData.title(of: data.neuralComparator)
        let source = comparisons[0].neuralSource
        let title = "\(method) vs \(exactName), \(data.config.name) (neural: \(source))"
        return data.dimension == 1
            ? neuralDensities1D(data, method: method, comparisons, box: box[0], title: title)
            : neuralDensities2D(data, method: method, comparisons, box: box, title: title + "; ρ / column peak")
    }

    private static func neuralDensities2D(_ data: RunFigureData, method: String, _ comparisons: [NeuralDensityComparison],
                                          box: [Interval], title: String) -> Figure {
        let figure = makeFigure(rows: 3, columns: comparisons.count, title: title,
                                panelWidth: 2.5, panelHeight: panelHeight(width: 2.5, box: box) + 0.12)
        let unit = Interval(0, 1)
        let spread = comparisons.map { $0.largestDifference / max($0.peak, 1e-300) }.max() ?? 1
        let symmetric = Interval(-max(spread, 1e-12), max(spread, 1e-12))
        let exactName = RunFigureData.title(of: data.neuralComparator)
        for (column, comparison) in comparisons.enumerated() {
            let peak = max(comparison.peak, 1e-300)
            let rows: [(Matrix, Colormap, Interval, String)] = [
                (comparison.exact, .viridis, unit, exactName), (comparison.neural, .viridis, unit, method),
                (comparison.difference, .redBlue, symmetric, "neural − exact"),
            ]
            for (row, (values, colormap, range, name)) in rows.enumerated() {
                var scaled = values
                for k in scaled.elements.indices { scaled.elements[k] /= peak }
                let axes = figure[row, column]
                axes.add(Heatmap(values: scaled, x: box[0], y: box[1], colormap: colormap, range: range))
                if row < 2 {
                    axes.add(ContourPlot(values: scaled, x: box[0], y: box[1], levels: (1...6).map { Double($0) / 7 },
                                         color: Color.white.withAlpha(0.5), width: 0.6))
                }
                if var dashed = targetContours(data, box: box, color: row == 2 ? Color.gray : Color.white.withAlpha(0.9)) {
                    dashed.label = nil
                    axes.add(dashed)
                }
                axes.equalAspect = true
                switch row {
                case 0: axes.title = stepTitle(data, comparison.step) + ", peak " + String(format: "%.3g", comparison.peak)
                case 2: axes.title = "max |Δ| " + String(format: "%.2g", comparison.largestDifference / peak) + " × peak"
                default: axes.title = nil
                }
                axes.yLabel = column == 0 ? "\(name): x₂" : "x₂"
                if row == 2 { axes.xLabel = "x₁" }
                if column == comparisons.count - 1 {
                    axes.colorBar = ColorBar(colormap: colormap, range: range, label: row == 2 ? "(neural − exact) / column peak" : "ρ / column peak")
                }
            }
        }
        figure.title! += "; dashed: target ν"
        return figure
    }

    private static func neuralDensities1D(_ data: RunFigureData, method: String, _ comparisons: [NeuralDensityComparison],
                                          box: Interval, title: String) -> Figure {
        let figure = makeFigure(rows: 2, columns: comparisons.count, title: title, panelWidth: 2.9, panelHeight: 2.4)
        let xs = RunFigureData.linspace(box, count: comparisons[0].exact.columns)
        let spread = comparisons.map(\.largestDifference).max() ?? 1
        let differenceRange = Interval(-1.1 * max(spread, 1e-12), 1.1 * max(spread, 1e-12))
        let exactName = RunFigureData.title(of: data.neuralComparator)
        for (column, comparison) in comparisons.enumerated() {
            let curves = figure[0, column]
            curves.add(methodLine(data.neuralComparator, in: data, x: xs, y: comparison.exact.elements, label: exactName, width: 2.2, markers: false))
            curves.add(methodLine(method, in: data, x: xs, y: comparison.neural.elements, label: method, width: 1.6, markers: false))
            curves.title = stepTitle(data, comparison.step)
            curves.xLabel = "x"
            curves.yLabel = "ρₖ(x)"
            curves.showsLegend = column == 0
            curves.legendPlacement = .below
            let difference = figure[1, column]
            difference.add(ReferenceLine(.horizontal, at: 0))
            difference.add(methodLine(method, in: data, x: xs, y: comparison.difference.elements, label: nil, width: 1.6, markers: false))
            difference.yLimits = differenceRange
            difference.title = "neural − exact, max |Δ| " + String(format: "%.2g", comparison.largestDifference)
            difference.xLabel = "x"
            difference.yLabel = "Δρₖ(x)"
            difference.showsGrid = true
        }
        return figure
    }
}
