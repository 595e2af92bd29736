import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// 1D particle runs: every n-th particle's path x_i(t) (about 40 paths, white) over the
    /// space–time density of the particle scheme (x across, t upwards): in a double well the
    /// paths show the mass splitting between the wells.
    static func lagrangianPaths(_ data: RunFigureData) -> Figure? {
        guard let trajectory = data.lagrangianTrajectory(of: "particle-jko"), trajectory.positions.count >= 2 else { return nil }
        let steps = Array(data.completedSteps.prefix(trajectory.positions.count))
        let times = steps.map { data.config.time(ofStep: $0) }
        let box = data.plotBox()[0]
        let xs = RunFigureData.linspace(box, count: 300)
        var grid = Matrix(rows: steps.count, columns: xs.count)
        for (k, step) in steps.enumerated() {
            guard let density = data.density("particle-jko", step: step) ?? data.density(data.reference, step: step) else { continue }
            for j in xs.indices { grid[k, j] = density.evaluate([xs[j]]) }
        }
        let n = trajectory.positions[0].rows
        let every = max(1, n / 40)
        let h = data.config.flow.timeStep
        let figure = makeFigure(rows: 1, columns: 1, title: "Lagrangian paths of \(data.config.name): every \(every)th of \(n) particles",
                                panelWidth: 5.2, panelHeight: 3.6)
        let axes = figure[0, 0]
        // A sharp start would leave the rest dark: colours stop at the peak after the first 10 % of the steps.
        let late = grid.elements[(steps.count / 10 * xs.count)...]
        let top = Interval.enclosing(late)?.upper ?? 1
        axes.add(Heatmap(values: grid, x: box, y: Interval(times[0] - h / 2, times[times.count - 1] + h / 2), colormap: .magma, range: Interval(0, top)))
        for i in stride(from: every / 2, to: n, by: every) {
            axes.add(LinePlot(x: trajectory.positions.map { $0[i, 0] }, y: times, color: Color.white.withAlpha(0.85), width: 0.9))
        }
        axes.colorBar = ColorBar(colormap: .magma, range: Interval(0, top), label: "ρₜ(x) of particle-jko (early peak clipped)")
        axes.title = "white: particle paths xᵢ(t) over the space–time density"
        axes.xLabel = "x"
        axes.yLabel = "time t"
        axes.xLimits = box
        axes.background = .black
        return figure
    }

    /// 2D: the potential V and the target ν ∝ e^{−V}, then ρ_t (of the smoothest method: closed
    /// form, else finite volumes, else the reference) at chosen steps
    /// with arrows of the Fokker–Planck velocity u = −∇(V + log ρ_t) (the particles' mean
    /// velocity) on a 13 × 13 lattice where ρ_t exceeds 3 % of its peak; one length scale for
    /// all arrows (stated in the title, set by the 80 % quantile of the speeds), so arrows
    /// compare across panels; arrows longer than two lattice cells are clipped to that length
    /// (the title says so).
    static func velocityField(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        guard let potential = try? data.config.potential() else { return nil }
        let box = data.plotBox()
        let steps = Array(data.chosenSteps(count: options.snapshotCount).prefix(3))
        // ∇ log ρ needs a smooth density: a closed form or a finite-volume grid before a mesh's
        // piecewise-constant one (whose jumps would read as huge velocities).
        let smooth = ["analytic", "gaussian-jko", "finite-volume", "grid-jko"].first { data.methods.contains($0) } ?? data.reference
        let size = 100
        func v(_ p: [Double]) -> Double { p.withUnsafeBufferPointer { potential.value(at: $0.baseAddress!) } }
        let potentialGrid = RunFigureData.grid(size: size, box: box, v)
        var velocities: [(starts: [[Double]], velocity: [[Double]], density: Matrix)] = []
        for step in steps {
            guard let density = data.density(smooth, step: step) else { return nil }
            let grid = RunFigureData.grid(size: size, box: box, density.evaluate)
            let peak = grid.elements.max() ?? 0
            var starts: [[Double]] = [], velocity: [[Double]] = []
            let lattice = 13
            for a in 0..<lattice {
                for b in 0..<lattice {
                    let p = [box[0].lower + box[0].span * (Double(a) + 0.5) / Double(lattice),
                             box[1].lower + box[1].span * (Double(b) + 0.5) / Double(lattice)]
                    guard density.evaluate(p) > 0.03 * peak else { continue }
                    // Central differences of V + log ρ, step 1e-3 of the box (ρ smooth at that scale).
                    let u = (0..<2).map { j -> Double in
                        let e = 1e-3 * box[j].span
                        var plus = p, minus = p
                        plus[j] += e
                        minus[j] -= e
                        let f = { (q: [Double]) in v(q) + log(max(density.evaluate(q), 1e-300)) }
                        return -(f(plus) - f(minus)) / (2 * e)
                    }
                    guard u.allSatisfy(\.isFinite) else { continue }
                    starts.append(p)
                    velocity.append(u)
                }
            }
            velocities.append((starts, velocity, grid))
        }
        // One length scale for all panels: the 80 % quantile of the speeds spans 1.2 lattice
        // cells (the fastest, at the edge of a sharp start, run longer).
        let typical = sortedQuantile(velocities.flatMap { $0.velocity.map { ($0[0] * $0[0] + $0[1] * $0[1]).squareRoot() } }, 0.8)
        let raw = 1.2 * min(box[0].span, box[1].span) / 13 / max(typical, 1e-12)
        let decade = pow(10, floor(log10(raw)))
        let scale = [5.0, 2, 1].map { $0 * decade }.first { $0 <= raw } ?? decade
        // A sharp start moves fast at its edge: arrows longer than two lattice cells are
        // drawn at that length (said in the title), so they stay inside their panel.
        let longest = 2 * min(box[0].span, box[1].span) / 13
        var clipped = false
        for index in velocities.indices {
            velocities[index].velocity = velocities[index].velocity.map { u in
                let length = scale * (u[0] * u[0] + u[1] * u[1]).squareRoot()
                guard length > longest else { return u }
                clipped = true
                return u.map { $0 * longest / length }
            }
        }
        let figure = makeFigure(rows: 1, columns: 2 + steps.count,
                                title: "Potential, target and velocity −∇(V + log ρₜ) of \(data.config.name) (ρₜ of \(RunFigureData.title(of: smooth))); arrows: velocity × \(TickFormatter.compact(scale))" + (clipped ? ", the longest clipped" : ""),
                                panelWidth: 3.1, panelHeight: panelHeight(width: 3.1, box: box) + 0.1)
        let vPanel = figure[0, 0]
        let vRange = Interval(potentialGrid.elements.min() ?? 0, sortedQuantile(potentialGrid.elements, 0.9))
        vPanel.add(Heatmap(values: potentialGrid, x: box[0], y: box[1], colormap: .magma.reversed, range: vRange))
        vPanel.add(ContourPlot(values: potentialGrid, x: box[0], y: box[1], levels: ContourPlot.evenLevels(of: potentialGrid, count: 8)
            .filter { $0 <= vRange.upper }, color: Color.white.withAlpha(0.6), width: 0.6))
        vPanel.colorBar = ColorBar(colormap: .magma.reversed, range: vRange, label: "V (top 10 % saturated)")
        vPanel.title = "potential V"
        let nuPanel = figure[0, 1]
        var nu = potentialGrid
        let vMin = nu.elements.min() ?? 0
        for k in nu.elements.indices { nu.elements[k] = exp(-(nu.elements[k] - vMin)) }
        nuPanel.add(Heatmap(values: nu, x: box[0], y: box[1], colormap: .viridis, range: Interval(0, 1)))
        nuPanel.colorBar = ColorBar(colormap: .viridis, range: Interval(0, 1), label: "ν / its peak")
        nuPanel.title = "target ν ∝ e^{−V}"
        for (column, (step, field)) in zip(steps, velocities).enumerated() {
            let axes = figure[0, 2 + column]
            let (scaled, peaks) = DensityScaling.perPanel.apply(to: [field.density])
            axes.add(Heatmap(values: scaled[0], x: box[0], y: box[1], colormap: .viridis, range: Interval(0, 1)))
            if var dashed = targetContours(data, box: box, color: Color.lightGray.withAlpha(0.55)) {
                dashed.label = nil
                axes.add(dashed)
            }
            axes.add(QuiverPlot(startX: field.starts.map { $0[0] }, startY: field.starts.map { $0[1] },
                                endX: zip(field.starts, field.velocity).map { $0[0] + scale * $1[0] },
                                endY: zip(field.starts, field.velocity).map { $0[1] + scale * $1[1] },
                                color: .white, width: 1.4, headLength: 5))
            axes.title = stepTitle(data, step) + ", peak " + String(format: "%.3g", peaks[0])
            if column == steps.count - 1 { axes.colorBar = ColorBar(colormap: .viridis, range: Interval(0, 1), label: "ρₜ / panel peak") }
        }
        for axes in figure.panels {
            axes.xLimits = box[0]
            axes.yLimits = box[1]
            axes.equalAspect = true
            axes.xLabel = "x₁"
            axes.yLabel = "x₂"
        }
        return figure
    }

    /// The q-quantile of finite values (0 for none).
    static func sortedQuantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(q * Double(sorted.count - 1)))]
    }
}
