import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// Repeats per step of a floor estimate (the band spans their lowest to highest value).
    static let floorRepeats = 5
    /// Steps at which the cloud-W₂ floor (≈ 0.2 s per pair at n = 1000) is estimated.
    static let cloudFloorSteps = 6

    /// Per-step gaps to the reference on log axes, each curve in its method's style over the
    /// noise floor of the estimator that made it (`NoiseFloor`): one W₂ per method (exact 1D
    /// W₂ when the run has it, else exact Bures–W₂, else exact W₂ between sample clouds, else
    /// W₂ between Gaussian fits), the exact SymKL of Gaussian states, and the exact W₂
    /// between the other methods. SymKL between Gaussian fits is left out when a method has
    /// a cloud or exact W₂: at these sample sizes it only shows the floor. A run with one
    /// method gets its moments instead.
    static func metricsFigure(_ data: RunFigureData) -> Figure? {
        guard let table = data.metrics, let steps = table.column("step"), !steps.isEmpty else { return nil }
        let tag = { (method: String) in method.replacingOccurrences(of: "-", with: "_") }
        let reference = tag(data.reference)
        let others = Array(data.methods.dropFirst())
        func first(_ candidates: [String]) -> String? { candidates.first { table.columns.contains($0) } }
        let w2 = others.compactMap { m in first(["w2exact_\(tag(m))_vs_\(reference)", "w2_\(tag(m))", "w2cloud_\(tag(m))", "w2fit_\(tag(m))"]).map { (m, $0) } }
        let kl = others.compactMap { m -> (String, String)? in
            if let exact = first(["symkl_\(tag(m))"]) { return (m, exact) }
            let better = w2.contains { $0.0 == m && ($0.1.hasPrefix("w2exact_") || $0.1.hasPrefix("w2cloud_") || $0.1.hasPrefix("w2_")) }
            return better ? nil : first(["symklfit_\(tag(m))"]).map { (m, $0) }
        }
        let pairs = table.columns.filter { $0.hasPrefix("w2exact_") && !$0.hasSuffix("_vs_\(reference)") }
            .compactMap { column in MethodStyle.method(ofColumn: column, among: data.methods).map { ($0, column) } }
        guard !w2.isEmpty || !kl.isEmpty else { return momentsFigure(data, table: table, steps: steps) }

        var panels: [(curves: [(String, String)], title: String, yLabel: String)] = []
        if !w2.isEmpty { panels.append((w2, "W₂ to the reference", "W₂ (log scale)")) }
        if !kl.isEmpty { panels.append((kl, "SymKL to the reference", "symmetric KL (log scale)")) }
        if !pairs.isEmpty { panels.append((pairs, "exact W₂ between the other methods", "W₂ (log scale)")) }
        let legendRows = panels.map { $0.curves.count + Set($0.curves.map { estimatorKey($0.1) }).count }.max() ?? 1
        let figure = makeFigure(rows: 1, columns: panels.count,
                                title: "Gaps per step of \(data.config.name); reference: \(RunFigureData.title(of: data.reference))",
                                panelWidth: 3.7, panelHeight: 2.5 + 0.16 * Double(legendRows))
        let h = TickFormatter.compact(data.config.flow.timeStep)
        for (column, panel) in panels.enumerated() {
            let axes = figure[0, column]
            addFloors(for: panel.curves.map(\.1), to: axes, data: data)
            for (method, name) in panel.curves {
                // A log axis cannot show the zero gap of step 0: leave non-positive values out.
                let values = table.column(name)!.map { $0 > 0 ? $0 : .nan }
                // A pair "A vs B" takes B's marker, so two pairs of one A stay apart.
                let partner = name.hasSuffix("_vs_\(reference)") ? nil : name.range(of: "_vs_").map { String(name[$0.upperBound...]).replacingOccurrences(of: "_", with: "-") }
                axes.add(methodLine(method, in: data, x: steps, y: values, label: metricLabel(name), markerOf: partner))
            }
            axes.yScaleKind = .log
            axes.showsGrid = true
            axes.title = panel.title
            axes.yLabel = panel.yLabel
            axes.xLabel = "JKO step k (t = k·\(h))"
            axes.legendPlacement = .below
        }
        return figure
    }

    /// Which floor a column has: its estimator, or "exact" (no sampling floor).
    private static func estimatorKey(_ column: String) -> String {
        NoiseFloor.Estimator(column: column)?.rawValue ?? "exact"
    }

    /// Gray bands of the floors of the estimators behind `columns` (one band per estimator),
    /// and a legend note for exact columns.
    static func addFloors(for columns: [String], to axes: Axes, data: RunFigureData) {
        let estimators = Array(Set(columns.compactMap(NoiseFloor.Estimator.init(column:)))).sorted { $0.rawValue < $1.rawValue }
        let fillAlpha = [0.28, 0.16, 0.1]
        for (k, estimator) in estimators.enumerated() {
            let n = floorSampleCount(estimator, data)
            let steps = estimator == .cloudW2 ? data.chosenSteps(count: cloudFloorSteps) : data.completedSteps
            let bands = data.floorBands(estimator, sampleCount: n, steps: steps, repeats: floorRepeats)
            guard !bands.isEmpty else {
                axes.add(LegendNote("no floor: the reference has no density to sample"))
                continue
            }
            let x = bands.map { Double($0.step) }
            axes.add(AreaPlot(x: x, lower: bands.map(\.band.lower), upper: bands.map(\.band.upper),
                              fillColor: Color.gray.withAlpha(fillAlpha[k % 3]),
                              label: estimator.legend(sampleCount: n) + " (range of \(floorRepeats) pairs)"))
            axes.add(LinePlot(x: x, y: bands.map(\.band.median), color: Color.gray, width: 0.8, dash: [2, 2]))
        }
        if columns.contains(where: { $0.hasPrefix("w2exact_") }) {
            axes.add(LegendNote("exact 1D W₂ of quantile functions: no sampling floor"))
        } else if columns.contains(where: { $0.hasPrefix("w2_") || $0.hasPrefix("symkl_") }) {
            axes.add(LegendNote("exact between Gaussian states: no sampling floor"))
        }
    }

    /// The n an estimator used in the run: the cloud size for cloud W₂, else every sample.
    static func floorSampleCount(_ estimator: NoiseFloor.Estimator, _ data: RunFigureData) -> Int {
        let saved = data.samples(data.reference, step: data.completedSteps.last ?? 0)?.rows ?? data.config.output.sampleCount
        return estimator == .cloudW2 ? min(data.config.output.cloudW2Count, saved) : saved
    }

    /// A run with one method: its means and covariance entries per step, and the floor of
    /// Gaussian-fit metrics at its sample size (what a second method would be measured against).
    static func momentsFigure(_ data: RunFigureData, table: MetricsTable, steps: [Double]) -> Figure {
        let figure = makeFigure(rows: 1, columns: 3, title: "Metrics per step of \(data.config.name) (one method: moments and the floor of fit metrics)",
                                panelWidth: 2.9, panelHeight: 2.9)
        for (column, curves) in momentCurves(table, dimension: data.dimension).enumerated() {
            let axes = figure[0, column]
            for (k, curve) in curves.values.enumerated() {
                axes.add(LinePlot(x: steps, y: curve.values, color: Color.okabeIto[(k + 1) % 8], width: 1.6,
                                  dash: [[], [5, 2], [2, 1.5], [6, 2, 1.5, 2]][k % 4], label: curve.label))
            }
            axes.title = curves.title
            axes.yLabel = column == 0 ? "mean" : "covariance"
            axes.xLabel = "JKO step k"
            axes.showsGrid = true
            axes.legendPlacement = .below
        }
        let floorPanel = figure[0, 2]
        addFloors(for: ["w2fit_x", "symklfit_x"], to: floorPanel, data: data)
        floorPanel.yScaleKind = .log
        floorPanel.title = "floor of Gaussian-fit metrics"
        floorPanel.yLabel = "W₂ or SymKL (log scale)"
        floorPanel.xLabel = "JKO step k"
        floorPanel.showsGrid = true
        floorPanel.legendPlacement = .below
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

    /// Legend text of a metrics column: "w2_gaussian_jko" → "gaussian-jko (exact)",
    /// "w2fit_x" → "x (Gaussian fits)", "w2cloud_x" → "x (W₂ of sample clouds)",
    /// "w2exact_a_vs_b" → "a vs b (exact 1D)", moments as "x mean 1".
    static func metricLabel(_ column: String) -> String {
        let parts = column.split(separator: "_", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return column }
        let method = parts[1].replacingOccurrences(of: "_", with: "-")
        if parts[0] == "w2exact" {
            return method.replacingOccurrences(of: "-vs-", with: " vs ") + " (exact 1D)"
        }
        if parts[0].hasSuffix("fit") { return "\(method) (Gaussian fits)" }
        if parts[0] == "w2cloud" { return "\(method) (W₂ of sample clouds)" }
        if parts[0] == "w2" || parts[0] == "symkl" { return "\(method) (exact)" }
        return column.replacingOccurrences(of: "_", with: " ")
    }
}
