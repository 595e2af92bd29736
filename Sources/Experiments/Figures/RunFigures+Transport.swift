import Foundation
import NumericalCore
import Plotting
import Probability

extension RunFigures {
    /// 1D: the monotone map T_k: ρ₀ → ρ_k (the map S-JKO learns) for the chosen steps, and its
    /// displacement T_k(x) − x. Closed-form CDFs when the run is an OU run, else the quantiles
    /// of the saved samples.
    static func transport1D(_ data: RunFigureData) -> Figure? {
        let steps = data.chosenSteps(count: snapshotCount).filter { $0 > 0 }
        guard !steps.isEmpty, let first = data.samples(data.reference, step: 0) else { return nil }
        let sorted = first.column(0).sorted()
        let xs = RunFigureData.linspace(Interval(sorted[Int(0.005 * Double(sorted.count - 1))],
                                                 sorted[Int(0.995 * Double(sorted.count - 1))]), count: 300)
        let flow = data.analyticFlow
        let endTime = data.config.time(ofStep: steps.last!)
        let timeRange = Interval(0, endTime)
        let figure = makeFigure(rows: 1, columns: 2, title: "Transport maps Tₖ: ρ₀ → ρₖ of \(data.config.name)",
                                panelWidth: 3.4, panelHeight: 2.6)
        let maps = figure[0, 0], displacement = figure[0, 1]
        var how = "sample quantiles"
        for step in steps {
            let t = data.config.time(ofStep: step)
            var ys: [Double]?
            if let flow, let start = try? flow.marginal(at: 0), let end = try? flow.marginal(at: t) {
                ys = TransportMaps.monotoneMap(from: start, to: end, at: xs)
                how = "exact CDFs"
            } else if let later = data.samples(data.reference, step: step) {
                ys = TransportMaps.monotoneMap(fromSamples: first.column(0), toSamples: later.column(0), at: xs)
            }
            guard let ys else { continue }
            let color = Colormap.viridis.color(for: t, in: timeRange)
            maps.add(LinePlot(x: xs, y: ys, color: color))
            displacement.add(LinePlot(x: xs, y: zip(ys, xs).map { $0 - $1 }, color: color))
        }
        maps.add(LinePlot(x: [xs.first!, xs.last!], y: [xs.first!, xs.last!], color: .gray, width: 1, dash: [4, 3], label: "identity"))
        maps.legendCorner = .topLeft
        maps.title = "Tₖ(x), monotone rearrangement (\(how))"
        maps.xLabel = "x ~ ρ₀"
        maps.yLabel = "Tₖ(x)"
        displacement.add(ReferenceLine(.horizontal, at: 0))
        displacement.title = "displacement Tₖ(x) − x"
        displacement.xLabel = "x ~ ρ₀"
        displacement.colorBar = ColorBar(colormap: .viridis, range: timeRange, label: "time tₖ")
        return figure
    }

    /// 2D: for the chosen steps, arrows from samples x of ρ₀ to their partners T(x) in ρ_k under
    /// the exact discrete OT matching of two clouds of 300 samples, and the image of a regular
    /// grid under the kernel-smoothed matching.
    static func transport2D(_ data: RunFigureData) -> Figure? {
        let steps = Array(data.chosenSteps(count: snapshotCount).filter { $0 > 0 }.suffix(3))
        guard !steps.isEmpty, let start = data.samples(data.reference, step: 0) else { return nil }
        let n = min(300, start.rows)
        let x = subsample(start, count: n)
        let box = data.plotBox()
        let figure = makeFigure(rows: 2, columns: steps.count, title: "Transport maps T: ρ₀ → ρₖ of \(data.config.name) (discrete OT of \(n) samples)",
                                panelWidth: 2.9, panelHeight: panelHeight(width: 2.9, box: box))
        // The matching is smoothed over about half a KDE bandwidth; grid nodes where ρ₀ is below
        // 3 % of its peak (no samples to say where they go) are left out.
        let kde = KernelDensity(points: x)
        let bandwidth = 0.6 * kde.bandwidths.max()!
        let gridBox = (0..<2).map { j -> Interval in
            let column = x.column(j).sorted()
            return Interval(column[Int(0.01 * Double(n - 1))], column[Int(0.99 * Double(n - 1))])
        }
        let gridNodes = 17
        let nodeDensity = RunFigureData.grid(size: gridNodes, box: gridBox, kde.evaluate)
        let peak = nodeDensity.elements.max() ?? 0
        func inSupport(_ px: Double, _ py: Double) -> Bool {
            // Nearest cell of the density grid (its cell centres approximate the mesh nodes).
            let j = min(gridNodes - 1, max(0, Int((px - gridBox[0].lower) / gridBox[0].span * Double(gridNodes))))
            let i = min(gridNodes - 1, max(0, Int((py - gridBox[1].lower) / gridBox[1].span * Double(gridNodes))))
            return nodeDensity[i, j] >= 0.03 * peak
        }
        for (column, step) in steps.enumerated() {
            guard let later = data.samples(data.reference, step: step) else { continue }
            let y = subsample(later, count: n)
            let sigma = TransportMaps.optimalMatching(x, y)
            let shown = Array(0..<min(n, 100))
            let arrows = figure[0, column]
            arrows.add(ScatterPlot(x: x.column(0), y: x.column(1), color: .gray, radius: 1.2, alpha: 0.5, label: "x ~ ρ₀"))
            arrows.add(ScatterPlot(x: y.column(0), y: y.column(1), color: .categorical(3), radius: 1.2, alpha: 0.5, label: "T(x) ~ ρₖ"))
            arrows.add(QuiverPlot(startX: shown.map { x[$0, 0] }, startY: shown.map { x[$0, 1] },
                                  endX: shown.map { y[sigma[$0], 0] }, endY: shown.map { y[sigma[$0], 1] },
                                  color: Color.categorical(0).withAlpha(0.8), width: 0.6, headLength: 3.5))
            arrows.xLimits = box[0]
            arrows.yLimits = box[1]
            arrows.equalAspect = true
            arrows.legendCorner = .bottomLeft
            arrows.showsLegend = column == 0
            arrows.title = stepTitle(data, step)
            if column == 0 { arrows.yLabel = "arrows x → T(x): x₂" }

            var matched = Matrix(rows: n, columns: 2)
            for i in 0..<n { matched[i, 0] = y[sigma[i], 0]; matched[i, 1] = y[sigma[i], 1] }
            let map = TransportMaps.smoothedMap(sources: x, targets: matched, bandwidth: bandwidth)
            let mesh = figure[1, column]
            mesh.add(MeshPlot.regular(x: gridBox[0], y: gridBox[1], rows: gridNodes, columns: gridNodes, color: .lightGray, label: "grid on ρ₀") { px, py in
                inSupport(px, py) ? (px, py) : (.nan, .nan)
            })
            mesh.add(MeshPlot.regular(x: gridBox[0], y: gridBox[1], rows: gridNodes, columns: gridNodes, color: .categorical(3), width: 0.8,
                                      label: "T(grid)") { px, py in
                guard inSupport(px, py) else { return (.nan, .nan) }
                let m = map([px, py])
                return (m[0], m[1])
            })
            mesh.xLimits = box[0]
            mesh.yLimits = box[1]
            mesh.equalAspect = true
            mesh.showsLegend = column == 0
            mesh.legendCorner = .bottomLeft
            mesh.xLabel = "x₁"
            if column == 0 { mesh.yLabel = "image of a grid: x₂" }
        }
        return figure
    }

    /// An even subsample of `count` rows (all rows when there are fewer).
    static func subsample(_ points: Matrix, count: Int) -> Matrix {
        guard points.rows > count else { return points }
        let rows = (0..<count).map { $0 * points.rows / count }
        return Matrix(rows: count, columns: points.columns, elements: rows.flatMap { points.row($0) })
    }
}
