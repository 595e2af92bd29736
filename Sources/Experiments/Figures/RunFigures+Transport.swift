import Foundation
import NumericalCore
import Plotting
import Probability

extension RunFigures {
    /// 1D: the monotone map T_k: ρ₀ → ρ_k (the map S-JKO learns) for the chosen steps, and its
    /// displacement T_k(x) − x. Closed-form CDFs when the run is an OU run, else the quantiles
    /// of the saved samples.
    static func transport1D(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        let steps = data.chosenSteps(count: options.snapshotCount).filter { $0 > 0 }
        guard !steps.isEmpty, let first = data.samples(data.reference, step: 0) else { return nil }
        let sorted = first.column(0).sorted()
        let xs = RunFigureData.linspace(Interval(sorted[Int(0.005 * Double(sorted.count - 1))],
                                                 sorted[Int(0.995 * Double(sorted.count - 1))]), count: 300)
        let flow = data.analyticFlow
        let endTime = data.config.time(ofStep: steps.last!)
        let timeRange = Interval(0, endTime)
        let figure = makeFigure(rows: 1, columns: 2, title: "Maps from ρ₀: the monotone map Tₖ: ρ₀ → ρₖ of \(data.config.name)",
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
            maps.add(LinePlot(x: xs, y: ys, color: color, width: 1.8))
            displacement.add(LinePlot(x: xs, y: zip(ys, xs).map { $0 - $1 }, color: color, width: 1.8))
        }
        maps.add(LinePlot(x: [xs.first!, xs.last!], y: [xs.first!, xs.last!], color: .gray, width: 1, dash: [4, 3], label: "identity"))
        maps.title = "Tₖ(x), monotone rearrangement (\(how))"
        maps.xLabel = "x ~ ρ₀"
        maps.yLabel = "Tₖ(x)"
        maps.legendPlacement = .below
        displacement.add(ReferenceLine(.horizontal, at: 0))
        displacement.yLabel = "Tₖ(x) − x"
        displacement.title = "displacement Tₖ(x) − x"
        displacement.xLabel = "x ~ ρ₀"
        displacement.colorBar = ColorBar(colormap: .viridis, range: timeRange, label: "time tₖ")
        return figure
    }

    /// 2D: the maps themselves, one-step (top row) and from ρ₀ (bottom row), for the last
    /// chosen steps: the closed-form affine Gaussian JKO map for Gaussian runs, the moving
    /// mesh's own node displacement for mesh-jko runs, else discrete OT arrows between
    /// reference samples (said in the title).
    static func transport2D(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        let steps = Array(data.chosenSteps(count: options.snapshotCount).filter { $0 > 0 }.suffix(3))
        guard !steps.isEmpty else { return nil }
        if data.methods.contains("gaussian-jko") || data.reference == "analytic",
           let figure = gaussianMaps2D(data, steps: steps) { return figure }
        if data.methods.contains("mesh-jko"), let trajectory = data.lagrangianTrajectory(of: "mesh-jko") {
            // The node paths end at the first remap (the nodes are new after it): show the
            // maps up to there rather than fall back to the discrete OT of samples.
            let reach = trajectory.positions.count - 1
            let shown = reach >= steps.last! ? steps
                : Array(Set([1, max(1, reach / 2), reach].filter { $0 >= 1 })).sorted()
            if reach >= 1, let figure = meshMaps2D(data, steps: shown, untilRemap: reach < steps.last! ? reach : nil) { return figure }
        }
        return discreteMaps2D(data, steps: steps)
    }

    /// A figure of 2 × steps panels for maps: rows "one-step map" and "map from ρ₀".
    private static func mapFigure(_ data: RunFigureData, steps: [Int], title: String) -> Figure {
        let box = data.plotBox()
        let figure = makeFigure(rows: 2, columns: steps.count, title: title + "; top: one-step maps, bottom: maps from ρ₀",
                                panelWidth: 3.0, panelHeight: panelHeight(width: 3.0, box: box) + 0.1)
        for (column, step) in steps.enumerated() {
            for row in 0..<2 {
                let axes = figure[row, column]
                if var dashed = targetContours(data, box: box, color: Color.gray) {
                    dashed.label = row == 0 && column == 0 ? "target ν" : nil
                    axes.add(dashed)
                }
                axes.xLimits = box[0]
                axes.yLimits = box[1]
                axes.equalAspect = true
                axes.title = row == 0 ? "one step ρₖ₋₁ → ρₖ, k = \(step)" : "from ρ₀, " + stepTitle(data, step)
                axes.yLabel = "x₂"
                if row == 1 { axes.xLabel = "x₁" }
                axes.legendPlacement = .below
                axes.showsLegend = column == 0
            }
        }
        return figure
    }

    /// Thick arrows x → x + f·(T(x) − x) from `starts` `[n, 2]` (f = `magnification`).
    private static func arrows(from starts: [[Double]], to ends: [[Double]], color: Color, label: String?, magnification f: Double = 1) -> QuiverPlot {
        QuiverPlot(startX: starts.map { $0[0] }, startY: starts.map { $0[1] },
                   endX: zip(starts, ends).map { $0[0] + f * ($1[0] - $0[0]) }, endY: zip(starts, ends).map { $0[1] + f * ($1[1] - $0[1]) },
                   color: color, width: 1.3, headLength: 5.5, label: label)
    }

    /// The factor (1, 2, 5, 10, 20, …) that brings the longest one-step arrow to at most 12 %
    /// of the box: one JKO step moves mass by O(h), invisible at true length. 1 when the
    /// arrows are long enough already.
    static func magnification(starts: [[Double]], ends: [[Double]], box: [Interval]) -> Double {
        let longest = zip(starts, ends).map { a, b in ((b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1])).squareRoot() }.max() ?? 0
        let wanted = 0.12 * min(box[0].span, box[1].span)
        guard longest > 0, wanted / longest > 1.5 else { return 1 }
        let raw = wanted / longest
        let decade = pow(10, floor(log10(raw)))
        return [5.0, 2, 1].map { $0 * decade }.first { $0 <= raw } ?? decade
    }

    /// Appends "(arrows × f)" to a panel title when f ≠ 1.
    static func mark(_ axes: Axes, magnification f: Double) {
        guard f != 1 else { return }
        axes.title = (axes.title ?? "") + ", arrows ×\(TickFormatter.compact(f))"
    }

    /// Gaussian runs: T_k(x) = m_k + M_k(x − m_{k−1}) (GaussianJKO's exact step) and the
    /// composed T_k ∘ … ∘ T_1, from about 20 points inside the 2σ ellipse of the source, with
    /// the 1σ and 2σ ellipses of source (gray) and image (the method's colour).
    static func gaussianMaps2D(_ data: RunFigureData, steps: [Int]) -> Figure? {
        guard let jko = data.gaussianJKO, let start = data.gaussianIterate(step: 0),
              let last = steps.last, let oneStep = try? TransportMaps.gaussianJKOSteps(jko, from: start, stepCount: last) else { return nil }
        let fromStart = TransportMaps.composed(oneStep)
        let figure = mapFigure(data, steps: steps,
                               title: "Exact Gaussian JKO maps T(x) = m′ + M(x − m) of \(data.config.name)")
        let color = MethodStyle.of("gaussian-jko").color
        for (column, step) in steps.enumerated() {
            for (row, map) in [oneStep[step - 1], fromStart[step - 1]].enumerated() {
                guard let source = data.gaussianIterate(step: row == 0 ? step - 1 : 0), let image = data.gaussianIterate(step: step) else { continue }
                let axes = figure[row, column]
                for (g, shade, label) in [(source, Color.gray, row == 0 ? "ρₖ₋₁ (1σ, 2σ)" : "ρ₀ (1σ, 2σ)"), (image, color, "ρₖ (1σ, 2σ)")] {
                    for r in [1.0, 2.0] {
                        let ring = ellipse(g, radius: r)
                        axes.add(LinePlot(x: ring.map { $0[0] }, y: ring.map { $0[1] }, color: shade, width: 1.1, label: r == 1 ? label : nil))
                    }
                }
                let starts = ellipseGrid(source), ends = starts.map { map($0) }
                let f = row == 0 ? magnification(starts: starts, ends: ends, box: data.plotBox()) : 1
                axes.add(arrows(from: starts, to: ends, color: .ink, label: "x → T(x)", magnification: f))
                mark(axes, magnification: f)
            }
        }
        return figure
    }

    /// mesh-jko runs: the nodes' own displacement, x_i^{k−1} → x_i^k and x_i^0 → x_i^k, on
    /// about 36 nodes spread over the bulk of ρ₀ (the 5 %–95 % quantile box of its samples:
    /// the tail cells far out, which carry almost no mass, would only add noise), over the
    /// deformed mesh of step k.
    static func meshMaps2D(_ data: RunFigureData, steps: [Int], untilRemap: Int? = nil) -> Figure? {
        guard let trajectory = data.lagrangianTrajectory(of: "mesh-jko"), let last = steps.last,
              trajectory.positions.count > last, let triangles = trajectory.triangles else { return nil }
        let chosen = spreadNodes(trajectory.positions[0], count: 6, within: data.samples(data.reference, step: 0) ?? trajectory.positions[0])
        let figure = mapFigure(data, steps: steps,
                               title: "mesh-jko's own maps (its nodes' displacement) of \(data.config.name)"
                                   + (untilRemap.map { " up to its first remap (after step \($0))" } ?? ""))
        let color = MethodStyle.of("mesh-jko").color
        for (column, step) in steps.enumerated() {
            let nodes = trajectory.positions[step]
            for row in 0..<2 {
                let axes = figure[row, column]
                let source = trajectory.positions[row == 0 ? step - 1 : 0]
                axes.add(meshLines(nodes, triangles: triangles, color: color.withAlpha(0.16), label: "mesh at step k"))
                let starts = chosen.map { source.row($0) }, ends = chosen.map { nodes.row($0) }
                let f = row == 0 ? magnification(starts: starts, ends: ends, box: data.plotBox()) : 1
                axes.add(arrows(from: starts, to: ends, color: .ink, label: "node xᵢ → its position at step k", magnification: f))
                mark(axes, magnification: f)
            }
        }
        return figure
    }

    /// Other 2D runs: arrows from 60 samples of ρ₀ (one-step: of ρₖ₋₁) to their partners under
    /// the exact discrete OT matching of 300 reference samples.
    static func discreteMaps2D(_ data: RunFigureData, steps: [Int]) -> Figure? {
        let figure = mapFigure(data, steps: steps,
                               title: "Discrete OT between 300 reference samples of \(data.config.name) (no map of its own)")
        for (column, step) in steps.enumerated() {
            for row in 0..<2 {
                guard let a = data.samples(data.reference, step: row == 0 ? step - 1 : 0), let b = data.samples(data.reference, step: step) else { continue }
                let n = min(300, a.rows, b.rows)
                let x = subsample(a, count: n), y = subsample(b, count: n)
                let sigma = TransportMaps.optimalMatching(x, y)
                let shown = stride(from: 0, to: n, by: max(1, n / 60)).map { $0 }
                figure[row, column].add(arrows(from: shown.map { x.row($0) }, to: shown.map { y.row(sigma[$0]) }, color: .ink,
                                               label: "sample → OT partner"))
            }
        }
        return figure
    }

    /// Points m + L·r(cos θ, sin θ) of a 2D Gaussian (L: Cholesky factor of S), θ on 97 steps.
    static func ellipse(_ g: Gaussian, radius r: Double) -> [[Double]] {
        let s = g.covariance
        let l11 = s[0, 0].squareRoot(), l21 = s[1, 0] / l11, l22 = max(s[1, 1] - l21 * l21, 0).squareRoot()
        return (0...96).map { k in
            let theta = 2 * Double.pi * Double(k) / 96
            let (u, v) = (r * cos(theta), r * sin(theta))
            return [g.mean[0] + l11 * u, g.mean[1] + l21 * u + l22 * v]
        }
    }

    /// About 20 points m + L·u with u on a lattice of spacing 0.8 inside |u| ≤ 2 (the 2σ ellipse).
    static func ellipseGrid(_ g: Gaussian) -> [[Double]] {
        let s = g.covariance
        let l11 = s[0, 0].squareRoot(), l21 = s[1, 0] / l11, l22 = max(s[1, 1] - l21 * l21, 0).squareRoot()
        var points: [[Double]] = []
        for i in -2...2 {
            for j in -2...2 {
                let (u, v) = (0.8 * Double(i), 0.8 * Double(j))
                guard u * u + v * v <= 4.01 else { continue }
                points.append([g.mean[0] + l11 * u, g.mean[1] + l21 * u + l22 * v])
            }
        }
        return points
    }

    /// Indices of nodes nearest to the centres of a `count × count` lattice over the 5 %–95 %
    /// quantile box of the points `within` `[n, 2]` (each node at most once).
    static func spreadNodes(_ nodes: Matrix, count: Int, within points: Matrix) -> [Int] {
        let boxes = (0..<2).map { j -> Interval in
            let column = points.column(j).sorted()
            return Interval(column[Int(0.05 * Double(column.count - 1))], column[Int(0.95 * Double(column.count - 1))])
        }
        var chosen: [Int] = []
        for a in 0..<count {
            for b in 0..<count {
                let cx = boxes[0].lower + boxes[0].span * (Double(a) + 0.5) / Double(count)
                let cy = boxes[1].lower + boxes[1].span * (Double(b) + 0.5) / Double(count)
                var best = 0, bestDistance = Double.infinity
                for i in 0..<nodes.rows {
                    let d = pow(nodes[i, 0] - cx, 2) + pow(nodes[i, 1] - cy, 2)
                    if d < bestDistance { bestDistance = d; best = i }
                }
                if !chosen.contains(best) { chosen.append(best) }
            }
        }
        return chosen
    }

    /// The edges of a triangle mesh as one broken polyline (each triangle closed, NaN between).
    static func meshLines(_ nodes: Matrix, triangles: [Int], color: Color, label: String?) -> LinePlot {
        var xs: [Double] = [], ys: [Double] = []
        xs.reserveCapacity(triangles.count / 3 * 5)
        ys.reserveCapacity(triangles.count / 3 * 5)
        for t in stride(from: 0, to: triangles.count, by: 3) {
            for corner in [0, 1, 2, 0] {
                xs.append(nodes[triangles[t + corner], 0])
                ys.append(nodes[triangles[t + corner], 1])
            }
            xs.append(.nan)
            ys.append(.nan)
        }
        return LinePlot(x: xs, y: ys, color: color, width: 0.4, label: label)
    }

    /// An even subsample of `count` rows (all rows when there are fewer).
    static func subsample(_ points: Matrix, count: Int) -> Matrix {
        guard points.rows > count else { return points }
        let rows = (0..<count).map { $0 * points.rows / count }
        return Matrix(rows: count, columns: points.columns, elements: rows.flatMap { points.row($0) })
    }
}
