import Foundation
import NumericalCore
import OptimalTransport
import Plotting
import Probability

extension RunFigures {
    /// Per-step gaps to the reference (W₂ and SymKL columns of metrics.csv, log scale) over the
    /// sampling noise floor; for a run with one method, its moments and the noise floor alone.
    static func metricsFigure(_ data: RunFigureData) -> Figure? {
        guard let table = data.metrics, let steps = table.column("step"), !steps.isEmpty else { return nil }
        let w2Columns = table.columns.filter { $0.hasPrefix("w2") }
        let klColumns = table.columns.filter { $0.hasPrefix("symkl") }
        let floor = noiseFloor(data)
        let floorLabel = "noise floor, n = \(floor.sampleCount) (10–90 %)"
        if !w2Columns.isEmpty || !klColumns.isEmpty {
            let figure = makeFigure(rows: 1, columns: 2, title: "Gap to the reference (\(RunFigureData.title(of: data.reference))) per step, \(data.config.name)",
                                    panelWidth: 3.4, panelHeight: 2.6)
            for (column, (names, floorValues, metric)) in [(w2Columns, floor.w2, "W₂"), (klColumns, floor.symmetricKL, "SymKL")].enumerated() {
                let axes = figure[0, column]
                axes.add(AreaPlot(x: floor.steps, lower: floorValues.map(\.lower), upper: floorValues.map(\.upper),
                                  fillColor: Color.gray.withAlpha(0.3), label: floorLabel))
                for (k, name) in names.enumerated() {
                    // A log axis cannot show the zero gap of step 0: leave non-positive values out.
                    let values = table.column(name)!.map { $0 > 0 ? $0 : .nan }
                    axes.add(LinePlot(x: steps, y: values, color: .categorical(k), label: metricLabel(name)))
                    axes.add(ScatterPlot(x: steps, y: values, color: .categorical(k), radius: 1.8, alpha: 1))
                }
                axes.yScaleKind = .log
                axes.showsGrid = true
                axes.title = metric + " to the reference"
                axes.xLabel = "JKO step k (t = k·\(TickFormatter.compact(data.config.flow.timeStep)))"
                axes.legendCorner = .bottomRight
            }
            return figure
        }
        let hasFloor = !floor.steps.isEmpty
        let figure = makeFigure(rows: 1, columns: hasFloor ? 3 : 2,
                                title: "Metrics per step of \(data.config.name) (one method: moments\(hasFloor ? " and the noise floor" : ""))",
                                panelWidth: 2.7, panelHeight: 2.5)
        for (column, curves) in momentCurves(table, dimension: data.dimension).enumerated() {
            let axes = figure[0, column]
            for (k, curve) in curves.values.enumerated() {
                axes.add(LinePlot(x: steps, y: curve.values, color: .categorical(k), label: curve.label))
            }
            axes.title = curves.title
            axes.xLabel = "JKO step k"
            axes.showsGrid = true
        }
        guard hasFloor else { return figure }
        let floorPanel = figure[0, 2]
        floorPanel.add(AreaPlot(x: floor.steps, lower: floor.w2.map(\.lower), upper: floor.w2.map(\.upper),
                                fillColor: Color.categorical(0).withAlpha(0.35), label: "W₂ floor"))
        floorPanel.add(AreaPlot(x: floor.steps, lower: floor.symmetricKL.map(\.lower), upper: floor.symmetricKL.map(\.upper),
                                fillColor: Color.categorical(1).withAlpha(0.35), label: "SymKL floor"))
        floorPanel.yScaleKind = .log
        floorPanel.title = "noise floor, n = \(floor.sampleCount) (10–90 %)"
        floorPanel.xLabel = "JKO step k"
        floorPanel.showsGrid = true
        return figure
    }

    /// The moment columns of every method: each mean and covariance entry up to d = 3, and in
    /// higher dimension the summaries |mean| and trace(covariance) (one curve per method).
    static func momentCurves(_ table: MetricsTable, dimension d: Int) -> [(title: String, values: [(label: String, values: [Double])])] {
        let meanColumns = table.columns.filter { $0.contains("mean_") }
        let covarianceColumns = table.columns.filter { $0.contains("cov_") }
        if d <= 3 {
            return [("means", meanColumns.map { (metricLabel($0), table.column($0)!) }),
                    ("covariance entries", covarianceColumns.map { (metricLabel($0), table.column($0)!) })]
        }
        let methods = Array(Set(meanColumns.map { String($0[..<$0.range(of: "_mean_")!.lowerBound]) })).sorted()
        var norms: [(String, [Double])] = [], traces: [(String, [Double])] = []
        for method in methods {
            let means = meanColumns.filter { $0.hasPrefix(method + "_mean_") }.map { table.column($0)! }
            let diagonal = (1...d).compactMap { table.column("\(method)_cov_\($0)\($0)") }
            norms.append((method, table.rows.indices.map { r in means.reduce(0) { $0 + $1[r] * $1[r] }.squareRoot() }))
            traces.append((method, table.rows.indices.map { r in diagonal.reduce(0) { $0 + $1[r] } }))
        }
        return [("|mean| (d = \(d))", norms), ("trace of the covariance", traces)]
    }

    /// The smallest gap a sample-based metric can resolve: per step, W₂ and SymKL between the
    /// Gaussian fits of two random halves of the reference samples, rescaled to n samples
    /// (W₂ by 1/√2, SymKL by 1/2, their sampling-error rates); the band spans the 10 %–90 %
    /// quantiles over 20 seeded splits.
    static func noiseFloor(_ data: RunFigureData) -> (steps: [Double], w2: [Interval], symmetricKL: [Interval], sampleCount: Int) {
        var steps: [Double] = [], w2: [Interval] = [], kl: [Interval] = [], count = 0
        func band(_ values: [Double]) -> Interval? {
            guard values.count >= 5 else { return nil }
            let sorted = values.sorted()
            return Interval(sorted[Int(0.1 * Double(sorted.count - 1))], sorted[Int((0.9 * Double(sorted.count - 1)).rounded(.up))])
        }
        for step in data.completedSteps {
            guard let points = data.samples(data.reference, step: step), points.rows >= 8 else { continue }
            count = points.rows
            var rng = RandomGenerator(seed: UInt64(data.config.seed) &* 1_000_003 &+ UInt64(step))
            var w2Values: [Double] = [], klValues: [Double] = []
            for _ in 0..<20 {
                var order = Array(0..<points.rows)
                order.shuffle(using: &rng)
                let half = points.rows / 2
                let a = Matrix(rows: half, columns: points.columns, elements: order[0..<half].flatMap { points.row($0) })
                let b = Matrix(rows: half, columns: points.columns, elements: order[half..<(2 * half)].flatMap { points.row($0) })
                guard let fa = try? Gaussian.fit(a), let fb = try? Gaussian.fit(b),
                      let distance = try? BuresWasserstein.distance(fa, fb) else { continue }
                w2Values.append(distance / 2.0.squareRoot())
                klValues.append(fa.symmetricKL(fb) / 2)
            }
            guard let w = band(w2Values), let k = band(klValues) else { continue }
            steps.append(Double(step))
            w2.append(w)
            kl.append(k)
        }
        return (steps, w2, kl, count)
    }

    /// "w2_gaussian_jko" → "gaussian-jko (exact)"; "w2fit_x" → "x (Gaussian fits)"; moments as "mean₁".
    static func metricLabel(_ column: String) -> String {
        let parts = column.split(separator: "_", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return column }
        let method = parts[1].replacingOccurrences(of: "_", with: "-")
        if parts[0].hasSuffix("fit") { return "\(method) (Gaussian fits)" }
        if parts[0] == "w2" || parts[0] == "symkl" { return "\(method) (exact)" }
        return column.replacingOccurrences(of: "_", with: " ")
    }

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
    static func imageGrid(_ data: RunFigureData) -> Figure? {
        let side = Int(Double(data.dimension).squareRoot().rounded())
        guard side >= 8, side * side == data.dimension else { return nil }
        let steps = data.chosenSteps(count: snapshotCount)
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
