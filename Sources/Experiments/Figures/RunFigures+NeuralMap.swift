import Autodiff
import Foundation
import NeuralJKO
import NumericalCore
import Plotting
import Probability

extension RunFigures {
    /// The trained networks of the latest checkpoint of the first neural column (JKO step
    /// k − 1, which makes ρ_k): the learned potential v with its gradient ∇v, which at the
    /// optimum of L_T is the implicit Euler velocity, (T(x) − T_old(x))/h = ∇v(T(x)); and the
    /// learned map x ↦ T(x) itself, with the exact map beside it where one exists (Gaussian
    /// runs: the affine Gaussian JKO map; 1D OU runs: the monotone map between the exact
    /// marginals). `neural-sjko` learns the map from ρ₀ (T: ρ₀ → ρ_k), `neural-chain` the
    /// one-step map (T: ρ_{k−1} → ρ_k); the titles say which.
    static func neuralMap(_ data: RunFigureData) -> Figure? {
        guard data.dimension <= 2, let method = data.neuralMethods.first, let (trainer, step) = data.trainedFlow(method) else { return nil }
        let fromStart = trainer.settings.parametrisation == .sjko
        let sourceStep = fromStart ? 0 : step - 1
        let mapName = fromStart ? "map from ρ₀: ρ₀ → ρ\(subscriptDigits(step))" : "one-step map: ρ\(subscriptDigits(step - 1)) → ρ\(subscriptDigits(step))"
        let h = data.neuralTimeStep(method, step: step)
        let title = "Learned potential and map of \(method), JKO step k = \(step) (h = \(TickFormatter.compact(h))), \(data.config.name)"
        return data.dimension == 1
            ? neuralMap1D(data, method: method, trainer: trainer, step: step, sourceStep: sourceStep, mapName: mapName, title: title)
            : neuralMap2D(data, method: method, trainer: trainer, step: step, sourceStep: sourceStep, mapName: mapName, title: title)
    }

    /// The exact map of the run from ρ_{sourceStep} to ρ_step, when known in closed form.
    static func exactMap2D(_ data: RunFigureData, from sourceStep: Int, to step: Int) -> TransportMaps.AffineMap? {
        guard let jko = data.gaussianJKO, let start = data.gaussianIterate(step: 0),
              let steps = try? TransportMaps.gaussianJKOSteps(jko, from: start, stepCount: step) else { return nil }
        return sourceStep == 0 ? TransportMaps.composed(steps)[step - 1] : steps[step - 1]
    }

    private static func neuralMap2D(_ data: RunFigureData, method: String, trainer: NeuralJKOTrainer<FlowMap<Float>, FlowPotential<Float>>,
                                    step: Int, sourceStep: Int, mapName: String, title: String) -> Figure? {
        let box = data.plotBox()
        let exact = exactMap2D(data, from: sourceStep, to: step)
        let figure = makeFigure(rows: 1, columns: exact == nil ? 2 : 3, title: title,
                                panelWidth: 3.2, panelHeight: panelHeight(width: 3.2, box: box) + 0.15)
        // (a) v on a grid, ∇v arrows on a 13 × 13 lattice where ρ_k (KDE of the neural samples) exceeds 3 % of its peak.
        let size = 90
        var cells: [Double] = []
        for point in gridPoints(size: size, box: box) { cells += point }
        let (values, _) = trainer.potential(at: Matrix(rows: size * size, columns: 2, elements: cells))
        let potential = Matrix(rows: size, columns: size, elements: values)
        let density = data.density(method, step: step)
        let lattice = gridPoints(size: 13, box: box)
        let peak = density.map { d in lattice.map(d.evaluate).max() ?? 0 } ?? 0
        let starts = lattice.filter { density == nil || density!.evaluate($0) > 0.03 * peak }
        let (valuesOnMass, gradients) = trainer.potential(at: Matrix(rows: starts.count, columns: 2, elements: starts.flatMap { $0 }))
        let speeds = (0..<starts.count).map { (gradients[$0, 0] * gradients[$0, 0] + gradients[$0, 1] * gradients[$0, 1]).squareRoot() }
        let raw = 1.2 * min(box[0].span, box[1].span) / 13 / max(sortedQuantile(speeds, 0.8), 1e-12)
        let decade = pow(10, floor(log10(raw)))
        let scale = [5.0, 2, 1].map { $0 * decade }.first { $0 <= raw } ?? decade
        let vPanel = figure[0, 0]
        // Colours span v where ρ_k has mass (the arrows' lattice points): far from the data the
        // network extrapolates freely, and that range would leave the part that matters dark.
        let fullRange = Interval.enclosing(potential.elements) ?? Interval(0, 1)
        let massRange = Interval.enclosing(valuesOnMass)?.padded(by: 0.1) ?? fullRange
        let vRange = massRange.span > 0 ? massRange : fullRange
        let saturated = fullRange.lower < vRange.lower || fullRange.upper > vRange.upper
        vPanel.add(Heatmap(values: potential, x: box[0], y: box[1], colormap: .magma, range: vRange))
        vPanel.add(ContourPlot(values: potential, x: box[0], y: box[1],
                               levels: (1...7).map { vRange.lower + vRange.span * Double($0) / 8 },
                               color: Color.white.withAlpha(0.45), width: 0.6))
        vPanel.add(QuiverPlot(startX: starts.map { $0[0] }, startY: starts.map { $0[1] },
                              endX: (0..<starts.count).map { starts[$0][0] + scale * gradients[$0, 0] },
                              endY: (0..<starts.count).map { starts[$0][1] + scale * gradients[$0, 1] },
                              color: .white, width: 1.4, headLength: 5))
        vPanel.colorBar = ColorBar(colormap: .magma, range: vRange, label: saturated ? "learned v (range where ρ has mass)" : "learned potential v")
        vPanel.title = "v and ∇v = (T(x) − T_old(x))/h, ×\(TickFormatter.compact(scale))"
        // (b), (c): x → T(x) from points of the source (its 2σ ellipse when Gaussian, else a lattice on its mass).
        let points = mapStarts(data, method: method, sourceStep: sourceStep, box: box)
        var noise = RandomGenerator(seed: 7)
        let learned = trainer.transport(Matrix(rows: points.count, columns: 2, elements: points.flatMap { $0 }), using: &noise)
        let learnedEnds = (0..<points.count).map { learned.row($0) }
        let f = magnification(starts: points, ends: learnedEnds, box: box)
        let panels: [([[Double]], String, String)] = [(learnedEnds, "learned " + mapName, method)]
            + (exact.map { map in [(points.map { map($0) }, "exact JKO " + mapName, "gaussian-jko")] } ?? [])
        for (column, (ends, name, owner)) in panels.enumerated() {
            let color = MethodStyle.of(owner).color
            let axes = figure[0, 1 + column]
            if let source = data.samples(method, step: sourceStep) {
                let shown = subsample(source, count: 400)
                axes.add(ScatterPlot(x: shown.column(0), y: shown.column(1), color: Color.gray.withAlpha(0.35), radius: 1.2,
                                     label: "ρ\(subscriptDigits(sourceStep)) samples"))
            }
            if let image = data.samples(owner, step: step) {
                let shown = subsample(image, count: 400)
                axes.add(ScatterPlot(x: shown.column(0), y: shown.column(1), color: color.withAlpha(0.35), radius: 1.2,
                                     label: "ρ\(subscriptDigits(step)) samples"))
            }
            axes.add(QuiverPlot(startX: points.map { $0[0] }, startY: points.map { $0[1] },
                                endX: zip(points, ends).map { $0[0] + f * ($1[0] - $0[0]) }, endY: zip(points, ends).map { $0[1] + f * ($1[1] - $0[1]) },
                                color: .ink, width: 1.5, headLength: 5.5, label: "x → T(x)"))
            axes.title = name
            mark(axes, magnification: f)
            axes.legendPlacement = .below
            axes.showsLegend = column == 0
        }
        for axes in figure.panels {
            if var dashed = targetContours(data, box: box, color: axes === vPanel ? Color.white.withAlpha(0.8) : Color.gray) {
                dashed.label = nil
                axes.add(dashed)
            }
            axes.xLimits = box[0]
            axes.yLimits = box[1]
            axes.equalAspect = true
            axes.xLabel = "x₁"
            axes.yLabel = "x₂"
        }
        figure.title! += "; dashed: target ν"
        return figure
    }

    private static func neuralMap1D(_ data: RunFigureData, method: String, trainer: NeuralJKOTrainer<FlowMap<Float>, FlowPotential<Float>>,
                                    step: Int, sourceStep: Int, mapName: String, title: String) -> Figure? {
        let box = data.plotBox()[0]
        let xs = RunFigureData.linspace(box, count: 300)
        let (values, gradients) = trainer.potential(at: Matrix(rows: xs.count, columns: 1, elements: xs))
        let figure = makeFigure(rows: 1, columns: 3, title: title, panelWidth: 3.2, panelHeight: 2.6)
        let color = MethodStyle.of(method).color
        let vPanel = figure[0, 0], velocity = figure[0, 1], maps = figure[0, 2]
        vPanel.add(LinePlot(x: xs, y: values, color: color, width: 1.8))
        vPanel.title = "learned potential v"
        vPanel.yLabel = "v(y)"
        velocity.add(ReferenceLine(.horizontal, at: 0))
        velocity.add(LinePlot(x: xs, y: gradients.elements, color: color, width: 1.8))
        velocity.title = "∇v = (T(x) − T_old(x))/h at y = T(x)"
        velocity.yLabel = "velocity v′(y)"
        for axes in [vPanel, velocity] {
            axes.xLabel = "y"
            axes.showsGrid = true
            if let density = data.density(method, step: step) {
                // Where ρ_k lives: ∇v is only trained there.
                let support = xs.filter { density.evaluate([$0]) > 0.01 * (xs.map { density.evaluate([$0]) }.max() ?? 0) }
                if let low = support.first, let high = support.last { axes.xLimits = Interval(low, high) }
            }
        }
        var noise = RandomGenerator(seed: 7)
        let source = data.samples(method, step: sourceStep)?.column(0).sorted() ?? xs
        let starts = RunFigureData.linspace(Interval(source[Int(0.005 * Double(source.count - 1))], source[Int(0.995 * Double(source.count - 1))]), count: 200)
        let learned = trainer.transport(Matrix(rows: starts.count, columns: 1, elements: starts), using: &noise).elements
        maps.add(LinePlot(x: [starts.first!, starts.last!], y: [starts.first!, starts.last!], color: .gray, width: 1, dash: [4, 3], label: "identity"))
        if let flow = data.analyticFlow, let from = try? flow.marginal(at: data.config.time(ofStep: sourceStep)),
           let to = try? flow.marginal(at: data.config.time(ofStep: step)) {
            maps.add(methodLine("analytic", in: data, x: starts, y: TransportMaps.monotoneMap(from: from, to: to, at: starts),
                                label: "exact monotone map (OU marginals)", width: 2.4, markers: false))
        }
        maps.add(methodLine(method, in: data, x: starts, y: learned, label: "learned T", width: 1.6, markers: false))
        maps.title = mapName
        maps.xLabel = "x ~ ρ\(subscriptDigits(sourceStep))"
        maps.yLabel = "T(x)"
        maps.legendPlacement = .below
        maps.showsGrid = true
        return figure
    }

    /// Start points of map arrows: about 21 points of the 2σ ellipse of a Gaussian source
    /// (the exact iterate), else the 9 × 9 lattice points where the KDE of the method's
    /// source samples exceeds 5 % of its peak.
    static func mapStarts(_ data: RunFigureData, method: String, sourceStep: Int, box: [Interval]) -> [[Double]] {
        if let gaussian = data.gaussianIterate(step: sourceStep) { return ellipseGrid(gaussian) }
        guard let density = data.density(method, step: sourceStep) else { return gridPoints(size: 9, box: box) }
        let lattice = gridPoints(size: 9, box: box)
        let peak = lattice.map(density.evaluate).max() ?? 0
        return lattice.filter { density.evaluate($0) > 0.05 * peak }
    }

    /// Cell centres of a `size × size` grid on the box, row-major from the bottom (the
    /// `RunFigureData.grid` order).
    static func gridPoints(size: Int, box: [Interval]) -> [[Double]] {
        let dx = box[0].span / Double(size), dy = box[1].span / Double(size)
        var points: [[Double]] = []
        for i in 0..<size {
            let y = box[1].lower + (Double(i) + 0.5) * dy
            for j in 0..<size { points.append([box[0].lower + (Double(j) + 0.5) * dx, y]) }
        }
        return points
    }

    /// "12" → "₁₂".
    static func subscriptDigits(_ n: Int) -> String {
        String(String(n).map { c in c.wholeNumberValue.map { Character(UnicodeScalar(0x2080 + $0)!) } ?? c })
    }
}
