import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// Every `losses.csv` in the run folder or a method's subfolder, one panel each: the first
    /// column across, every other column as a curve.
    static func lossesFigure(_ data: RunFigureData) -> Figure? {
        let fm = FileManager.default
        let candidates = [data.folder.url] + ((try? fm.contentsOfDirectory(at: data.folder.url, includingPropertiesForKeys: nil)) ?? [])
        let files = candidates.map { $0.appendingPathComponent("losses.csv") }.filter { fm.fileExists(atPath: $0.path) }
        let tables = files.compactMap { url -> (String, MetricsTable)? in
            guard let text = try? String(contentsOf: url, encoding: .utf8), let table = try? MetricsTable(csv: text),
                  table.columns.count >= 2, !table.rows.isEmpty else { return nil }
            return (url.deletingLastPathComponent().lastPathComponent, table)
        }
        guard !tables.isEmpty else { return nil }
        let figure = makeFigure(rows: 1, columns: tables.count, title: "Training losses of \(data.config.name)", panelWidth: 3.4, panelHeight: 2.6)
        for (column, (name, table)) in tables.enumerated() {
            let axes = figure[0, column]
            let xs = table.column(table.columns[0])!
            for (k, loss) in table.columns.dropFirst().enumerated() {
                axes.add(LinePlot(x: xs, y: table.column(loss)!, color: .categorical(k), width: 1, label: loss))
            }
            axes.title = name == data.folder.url.lastPathComponent ? "losses" : name
            axes.xLabel = table.columns[0]
            axes.showsGrid = true
        }
        return figure
    }

    /// For runs whose samples are square images (d = s², s ≥ 8): the first 16 samples per step
    /// as 4 × 4 grids, one row per method.
    static func imageGrid(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        let side = Int(Double(data.dimension).squareRoot().rounded())
        guard side >= 8, side * side == data.dimension else { return nil }
        let steps = data.chosenSteps(count: options.snapshotCount)
        let figure = makeFigure(rows: data.methods.count, columns: steps.count, title: "Samples as images, \(data.config.name)",
                                panelWidth: 2.2, panelHeight: 2.3)
        for (row, method) in data.methods.enumerated() {
            for (column, step) in steps.enumerated() {
                guard let points = data.samples(method, step: step) else { continue }
                let count = min(16, points.rows)
                let range = Interval.enclosing(points.elements[0..<(count * data.dimension)]) ?? Interval(0, 1)
                let images = (0..<count).map { i in
                    RGBAImage(gray: points.row(i).map { ($0 - range.lower) / max(range.span, 1e-12) }, width: side, height: side)
                }
                let axes = figure[row, column]
                axes.showImageGrid(images, columns: 4)
                axes.title = row == 0 ? stepTitle(data, step) : (column == 0 ? RunFigureData.title(of: method) : nil)
            }
        }
        return figure
    }
}
