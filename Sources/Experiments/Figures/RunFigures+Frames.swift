import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// `jko plot RUN --frames`: one PNG per completed step in `RUN/figures/frames/step-KKKK.png`
    /// and the animation `RUN/figures/trajectory.gif` of the same frames at `framesPerSecond`,
    /// colour-quantised to a palette built from the frames' own colour map (viridis) plus
    /// the Okabe–Ito method colours and grays (`ColorQuantizer.palette(for:)`).
    ///
    /// A frame shows every method with a density: 1D curves in the method styles with the target
    /// dashed (y-range fixed over the whole run); 2D heatmaps, one per method, each method on one
    /// robust colour scale over all steps (0 to the 99.5 % quantile of its values, stated on the
    /// bar) so that the animation shows the spreading, with the target dashed. Runs without
    /// densities animate their samples.
    @discardableResult
    public static func writeFrames(run url: URL, options: FigureOptions = FigureOptions(), framesPerSecond: Double = 6) throws -> [URL] {
        guard framesPerSecond.isFinite, framesPerSecond > 0, framesPerSecond <= 100 else {
            throw FigureOptions.OptionError(description: "--fps \(framesPerSecond) is outside (0, 100]; use e.g. --fps 6")
        }
        let data = try RunFigureData(folder: RunFolder.open(url))
        let steps = data.completedSteps
        guard !steps.isEmpty else { throw FigureError.noSamples(url.path) }
        guard data.dimension <= 2 else {
            throw FigureOptions.OptionError(description: "--frames draws 1D and 2D runs; this run has dimension \(data.dimension), so use the figures without --frames")
        }
        let folder = data.folder.figuresURL.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let frames = frameFigures(data, steps: steps).map(options.apply)
        var written: [URL] = []
        var images: [RGBAImage] = []
        for (step, figure) in zip(steps, frames) {
            let file = folder.appendingPathComponent(String(format: "step-%04d.png", step))
            try figure.write(to: file, format: .png)
            written.append(file)
            images.append(figure.rasterize())
        }
        let gif = AnimatedGIF(images: images, palette: ColorQuantizer.palette(for: .viridis), framesPerSecond: framesPerSecond)
        let gifURL = data.folder.figuresURL.appendingPathComponent("trajectory.gif")
        try gif.write(to: gifURL)
        return written + [gifURL]
    }

    /// One figure per step, all with the same layout and scales.
    static func frameFigures(_ data: RunFigureData, steps: [Int]) -> [Figure] {
        let methods = data.methods.filter { data.density($0, step: steps[0]) != nil }
        let box = data.plotBox()
        if data.dimension == 1 && !methods.isEmpty {
            let xs = RunFigureData.linspace(box[0], count: 300)
            let curves = steps.map { step in methods.map { m in xs.map { data.density(m, step: step)?.evaluate([$0]) ?? .nan } } }
            let target = data.targetDensity1D(at: xs)
            // The y-range: the largest value after the first 10 % of the steps (an early spike is clipped).
            let late = curves.dropFirst(steps.count / 10).flatMap { $0.flatMap { $0 } } + (target ?? [])
            let top = 1.05 * (Interval.enclosing(late)?.upper ?? 1)
            return zip(steps, curves).map { step, values in
                let figure = makeFigure(rows: 1, columns: 1, title: "\(data.config.name): ρₜ, " + stepTitle(data, step), panelWidth: 5, panelHeight: 3.2)
                let axes = figure[0, 0]
                if let target { axes.add(LinePlot(x: xs, y: target, color: .gray, width: 1.2, dash: [4, 3], label: "target ν")) }
                for (m, ys) in zip(methods, values) {
                    axes.add(methodLine(m, in: data, x: xs, y: ys, label: RunFigureData.title(of: m), width: 1.8, markers: false))
                }
                axes.xLimits = box[0]
                axes.yLimits = Interval(0, top)
                axes.xLabel = "x"
                axes.yLabel = "ρₜ(x)"
                axes.legendPlacement = .below
                return figure
            }
        }
        if data.dimension == 2 && !methods.isEmpty {
            let size = 100
            var scaled: [[Matrix]] = []   // [method][step]
            var tops: [Double] = []
            for m in methods {
                let grids = steps.map { step in
                    data.density(m, step: step).map { RunFigureData.grid(size: size, box: box, $0.evaluate) } ?? Matrix(rows: size, columns: size, repeating: .nan)
                }
                let (values, divisors) = DensityScaling.shared(quantile: 0.995).apply(to: grids)
                scaled.append(values)
                tops.append(divisors[0])
            }
            let target = targetContours(data, box: box, color: Color.white.withAlpha(0.8))
            return steps.indices.map { k in
                let figure = makeFigure(rows: 1, columns: methods.count, title: "\(data.config.name): ρₜ, " + stepTitle(data, steps[k]),
                                        panelWidth: 3.0, panelHeight: panelHeight(width: 3.0, box: box))
                for (c, m) in methods.enumerated() {
                    let axes = figure[0, c]
                    axes.add(Heatmap(values: scaled[c][k], x: box[0], y: box[1], colormap: .viridis, range: Interval(0, 1)))
                    if var dashed = target { dashed.label = nil; axes.add(dashed) }
                    axes.equalAspect = true
                    axes.title = RunFigureData.title(of: m)
                    axes.xLabel = "x₁"
                    axes.yLabel = "x₂"
                    axes.colorBar = ColorBar(colormap: .viridis, range: Interval(0, 1), label: "ρ / " + String(format: "%.3g", tops[c]) + " (99.5 %)")
                }
                return figure
            }
        }
        return steps.map { step in
            let figure = makeFigure(rows: 1, columns: 1, title: "\(data.config.name): samples, " + stepTitle(data, step), panelWidth: 4, panelHeight: 3.6)
            let axes = figure[0, 0]
            for (index, m) in data.methods.enumerated() {
                guard let points = data.samples(m, step: step) else { continue }
                let shown = subsample(points, count: 1000)
                let y = data.dimension >= 2 ? shown.column(1) : [Double](repeating: Double(index), count: shown.rows)
                axes.add(ScatterPlot(x: shown.column(0), y: y, color: MethodStyle.of(m, index: index).color, radius: 1.2, alpha: 0.4,
                                     label: RunFigureData.title(of: m)))
            }
            axes.xLimits = box[0]
            if data.dimension >= 2 { axes.yLimits = box[1] }
            axes.legendPlacement = .below
            return figure
        }
    }
}
