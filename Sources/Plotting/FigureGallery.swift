import Foundation
import NumericalCore

/// Ready-made figures that exercise the plotting layer: a gallery of every element kind
/// (for smoke tests and the `plotting-gallery` figure recipe) and the benchmark figure
/// (a row of density heatmaps with contours). Deterministic: fixed seeds, closed forms.
public enum FigureGallery {
    /// A 2D "trajectory" of `panelCount` heatmaps of `gridSize × gridSize` cells with 6 contour
    /// levels each: a Gaussian mixture whose components drift towards the origin and spread.
    /// The benchmark of the plotting layer renders this figure.
    public static func heatmapTrajectory(panelCount: Int = 8, gridSize: Int = 200) -> Figure {
        let columns = min(panelCount, 4)
        let rows = (panelCount + columns - 1) / columns
        let figure = Figure(rows: rows, columns: columns, width: 2.3 * Double(columns) + 0.6, height: 2.3 * Double(rows) + 0.3,
                            title: "Density snapshots ρₜ (benchmark: \(panelCount) panels of \(gridSize)×\(gridSize))")
        let box = Interval(-3, 3)
        for k in 0..<panelCount {
            let t = Double(k) / Double(max(1, panelCount - 1))
            let decay = exp(-1.5 * t)
            let spread = 0.35 + 0.65 * (1 - decay * decay)
            let density = gridDensity(size: gridSize, box: box) { x, y in
                let a = exp(-((x - 1.8 * decay) * (x - 1.8 * decay) + (y - 1.2 * decay) * (y - 1.2 * decay)) / (2 * spread * spread))
                let b = exp(-((x + 1.5 * decay) * (x + 1.5 * decay) + (y + 1.0 * decay) * (y + 1.0 * decay)) / (2 * spread * spread))
                return (0.5 * a + 0.5 * b) / (2 * Double.pi * spread * spread)
            }
            let axes = figure.panels[k]
            axes.add(Heatmap(values: density, x: box, y: box, colormap: .viridis))
            axes.add(ContourPlot(values: density, x: box, y: box, levels: ContourPlot.evenLevels(of: density, count: 6),
                                 color: Color.white.withAlpha(0.7)))
            axes.equalAspect = true
            axes.title = String(format: "t = %.2f", t)
            if k % columns == 0 { axes.yLabel = "x₂" }
            if k / columns == rows - 1 { axes.xLabel = "x₁" }
        }
        return figure
    }

    /// Every kind of element once, on a 3 × 3 grid of panels.
    public static func elements() -> Figure {
        let figure = Figure(rows: 3, columns: 3, width: 10, height: 9, title: "Plotting layer: every element kind")
        var rng = RandomGenerator(seed: 42)
        let xs = (0...200).map { -4 + 8 * Double($0) / 200 }
        func gaussian(_ x: Double, _ m: Double, _ s: Double) -> Double { exp(-(x - m) * (x - m) / (2 * s * s)) / (s * (2 * Double.pi).squareRoot()) }

        let curves = figure[0, 0]
        let times = [0.0, 0.25, 0.5, 1.0, 2.0]
        for t in times {
            let s = (0.3 * 0.3 * exp(-2 * t) + (1 - exp(-2 * t))).squareRoot()
            curves.add(LinePlot(x: xs, y: xs.map { gaussian($0, 2 * exp(-t), s) }, color: Colormap.viridis.color(at: t / 2)))
        }
        curves.colorBar = ColorBar(colormap: .viridis, range: Interval(0, 2), label: "time t")
        curves.title = "line, coloured by time"
        curves.xLabel = "x"
        curves.yLabel = "ρₜ(x)"

        let samples = (0..<800).map { _ in rng.normal() * 0.8 + (rng.uniform() < 0.5 ? -1.5 : 1.5) }
        let histogram = figure[0, 1]
        histogram.add(Histogram(values: samples, binCount: 40, label: "samples"))
        histogram.add(AreaPlot.density(x: xs, density: xs.map { 0.5 * gaussian($0, -1.5, 0.8) + 0.5 * gaussian($0, 1.5, 0.8) },
                                       color: .categorical(1), label: "density"))
        histogram.title = "histogram + filled density"
        histogram.xLabel = "x"

        let scatter = figure[0, 2]
        let px = (0..<600).map { _ in rng.normal() }
        let py = px.map { 0.6 * $0 + 0.8 * rng.normal() }
        scatter.add(ScatterPlot(x: px, y: py, radius: 1.8, alpha: 0.35, label: "ρ samples"))
        scatter.add(ScatterPlot(x: px.prefix(60).map { $0 + 2 }, y: py.prefix(60).map { $0 - 1 }, color: .categorical(3),
                                radius: 2.5, alpha: 0.9, label: "ν samples"))
        scatter.title = "scatter (alpha, size)"
        scatter.equalAspect = true

        let box = Interval(-2, 2)
        let field = gridDensity(size: 80, box: box) { x, y in sin(2 * x) * cos(1.5 * y) }
        let heat = figure[1, 0]
        heat.add(Heatmap(values: field, x: box, y: box, colormap: .redBlue, range: Interval(-1, 1)))
        heat.add(ContourPlot(values: field, x: box, y: box, levels: [-0.6, -0.2, 0.2, 0.6], color: .ink))
        heat.colorBar = ColorBar(colormap: .redBlue, range: Interval(-1, 1), label: "f(x)")
        heat.title = "diverging heatmap + contours"
        heat.equalAspect = true

        let magma = figure[1, 1]
        let bump = gridDensity(size: 120, box: box) { x, y in exp(-(x * x + 2 * y * y)) }
        magma.add(Heatmap(values: bump, x: box, y: box, colormap: .magma, smooth: true))
        magma.colorBar = ColorBar(colormap: .magma, range: Interval(0, 1))
        magma.title = "magma, smoothed"
        magma.equalAspect = true

        let quiver = figure[1, 2]
        let map: (Double, Double) -> (Double, Double) = { x, y in (0.6 * x + 0.2 * y + 0.5, 0.3 * x * x + 0.7 * y) }
        var sx: [Double] = [], sy: [Double] = [], ex: [Double] = [], ey: [Double] = []
        for i in 0..<9 { for j in 0..<9 {
            let (x, y) = (-2 + 0.5 * Double(j), -2 + 0.5 * Double(i))
            let (tx, ty) = map(x, y)
            sx.append(x); sy.append(y); ex.append(tx); ey.append(ty)
        } }
        quiver.add(QuiverPlot(startX: sx, startY: sy, endX: ex, endY: ey, color: .categorical(0), label: "x → T(x)"))
        quiver.title = "quiver arrows"
        quiver.equalAspect = true
        quiver.legendCorner = .bottomRight

        let mesh = figure[2, 0]
        mesh.add(MeshPlot.regular(x: box, y: box, rows: 11, columns: 11, color: .lightGray, label: "grid"))
        mesh.add(MeshPlot.regular(x: box, y: box, rows: 11, columns: 11, color: .categorical(3), label: "T(grid)", map: map))
        mesh.title = "deformed grid"
        mesh.equalAspect = true
        mesh.legendCorner = .topLeft

        let metrics = figure[2, 1]
        let steps = (0...20).map(Double.init)
        let error = steps.map { 0.5 * exp(-0.4 * $0) + 2e-3 }
        metrics.add(AreaPlot(x: steps, lower: steps.map { _ in 1e-3 }, upper: steps.map { _ in 4e-3 },
                             fillColor: Color.gray.withAlpha(0.25), label: "noise floor"))
        metrics.add(LinePlot(x: steps, y: error, color: .categorical(0), label: "W₂"))
        metrics.add(ScatterPlot(x: steps, y: error, radius: 2.2, alpha: 1))
        metrics.yScaleKind = .log
        metrics.title = "metric per step (log y)"
        metrics.xLabel = "JKO step k"
        metrics.showsGrid = true

        let images = (0..<12).map { k -> RGBAImage in
            let n = 16
            let values = (0..<(n * n)).map { p -> Double in
                let (r, c) = (Double(p / n) - 7.5, Double(p % n) - 7.5)
                return exp(-(r * r + c * c) / (4 + 2 * Double(k))) * (0.6 + 0.4 * cos(Double(k) * 0.5 + c * 0.4))
            }
            return RGBAImage(gray: values, width: n, height: n)
        }
        figure[2, 2].showImageGrid(images, columns: 4)
        figure[2, 2].title = "image grid"
        return figure
    }

    /// Values f(x_j, y_i) at the cell centres of a size × size grid on box × box (row 0 at the bottom).
    static func gridDensity(size: Int, box: Interval, _ f: (Double, Double) -> Double) -> Matrix {
        var values = Matrix(rows: size, columns: size)
        let h = box.span / Double(size)
        for i in 0..<size {
            let y = box.lower + (Double(i) + 0.5) * h
            for j in 0..<size { values[i, j] = f(box.lower + (Double(j) + 0.5) * h, y) }
        }
        return values
    }
}
