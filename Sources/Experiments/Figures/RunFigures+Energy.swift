import Foundation
import NumericalCore
import OptimalTransport
import Plotting
import Probability

extension RunFigures {
    /// Energy dissipation: KL(ρ_k‖ν) against t on a log axis, one curve per method, and the
    /// discrete energy-inequality slack F(ρ_{k−1}) − F(ρ_k) − W₂²(ρ_{k−1}, ρ_k)/(2h) ≥ 0 of
    /// the JKO methods (the step minimises F + W₂²/(2h), so the slack is never negative).
    ///
    /// KL comes from the method's own energy column when it has one (particles, mesh, finite
    /// volumes: their discrete F, a true KL since V's log-partition is included), else in
    /// closed form between Gaussians (analytic or Gaussian-JKO states on a Gaussian target),
    /// else by quadrature of the method's density (closed form or saved grid) on a 160² (2D)
    /// or 4000-point (1D) grid. Methods known only by samples get no curve (a KDE's KL is
    /// mostly the smoothing). The slack comes from the method's `energy_inequality_slack`
    /// column (its step's own transport cost, which bounds W₂²), or in closed form for the
    /// Gaussian JKO.
    static func energyFigure(_ data: RunFigureData) -> Figure? {
        guard let table = data.metrics, let steps = table.column("step"), let times = table.column("t"), !steps.isEmpty else { return nil }
        var kl: [(String, [Double], String)] = []
        for method in data.methods {
            if let curve = klCurve(method, data: data, table: table, steps: steps.map { Int($0) }) { kl.append((method, curve.values, curve.source)) }
        }
        guard !kl.isEmpty else { return nil }
        var slack: [(String, [Double])] = []
        for method in data.methods {
            let tag = method.replacingOccurrences(of: "-", with: "_")
            if let column = table.column("\(tag)_energy_inequality_slack") {
                slack.append((method, column))
            } else if method == "gaussian-jko", let values = gaussianSlack(data, steps: steps.map { Int($0) }) {
                slack.append((method, values))
            }
        }
        let figure = makeFigure(rows: 1, columns: slack.isEmpty ? 1 : 2, title: "Energy dissipation of \(data.config.name): F(ρ) = KL(ρ‖ν)",
                                panelWidth: 3.7, panelHeight: 2.6 + 0.16 * Double(max(kl.count, slack.count)))
        let energy = figure[0, 0]
        for (method, values, source) in kl {
            energy.add(methodLine(method, in: data, x: times, y: values.map { $0 > 0 ? $0 : .nan },
                                  label: "\(RunFigureData.title(of: method)) (\(source))"))
            // A discrete F that drops to ≤ 0 is no longer a KL (e.g. a degenerate mesh): say where.
            if let bad = values.indices.first(where: { values[$0] <= 0 }) {
                energy.add(LegendNote("\(method): F ≤ 0 from t = \(TickFormatter.compact(times[bad])) on (not drawn)"))
            }
        }
        energy.yScaleKind = .log
        energy.showsGrid = true
        energy.title = "KL(ρₖ‖ν) along the flow"
        energy.yLabel = "KL(ρₖ‖ν) (log scale)"
        energy.xLabel = "time t"
        energy.legendPlacement = .below
        guard !slack.isEmpty else { return figure }
        let inequality = figure[0, 1]
        for (method, values) in slack {
            // Step 0 has no previous step; negative values (round-off) cannot sit on a log axis.
            let shown = values.enumerated().map { $0.offset == 0 || $0.element <= 0 ? Double.nan : $0.element }
            inequality.add(methodLine(method, in: data, x: times, y: shown, label: RunFigureData.title(of: method)))
        }
        inequality.yScaleKind = .log
        inequality.showsGrid = true
        inequality.title = "slack F(ρₖ₋₁) − F(ρₖ) − W₂²/(2h) ≥ 0"
        inequality.yLabel = "energy-inequality slack (log scale)"
        inequality.xLabel = "time t"
        inequality.legendPlacement = .below
        return figure
    }

    /// KL(ρ_k‖ν) of a method per step and how it was obtained, or nil.
    static func klCurve(_ method: String, data: RunFigureData, table: MetricsTable, steps: [Int]) -> (values: [Double], source: String)? {
        let tag = method.replacingOccurrences(of: "-", with: "_")
        if let energy = table.column("\(tag)_energy") { return (energy, "its discrete F") }
        if let target = try? data.config.targetDistribution(), data.config.target.kind == "gaussian" {
            var states: [Gaussian] = []
            if method == "gaussian-jko" {
                states = steps.compactMap { data.gaussianIterate(step: $0) }
            } else if method == "analytic", let flow = data.analyticFlow {
                states = steps.compactMap { step in
                    guard let marginal = try? flow.marginal(at: data.config.time(ofStep: step)), marginal.components.count == 1 else { return nil }
                    return marginal.components[0]
                }
            }
            if !states.isEmpty, states.count == steps.count { return (states.map { $0.klDivergence(to: target) }, "closed form") }
        }
        guard let first = data.density(method, step: steps[0]), !first.source.hasPrefix("KDE"),
              let grid = klGrid(data) else { return nil }
        let values = steps.map { step -> Double in
            guard let density = data.density(method, step: step) else { return .nan }
            return klByQuadrature(density.evaluate, grid: grid)
        }
        return (values, "quadrature of its density")
    }

    /// Quadrature nodes, cell size and the normalised target on them.
    typealias KLGrid = (points: [[Double]], cell: Double, target: [Double])

    static func klGrid(_ data: RunFigureData) -> KLGrid? {
        guard let potential = try? data.config.potential(), data.dimension <= 2 else { return nil }
        let box = data.plotBox().map { $0.padded(by: 0.5) }
        let count = data.dimension == 1 ? 4000 : 160
        let axes = box.map { b in (0..<count).map { b.lower + (Double($0) + 0.5) * b.span / Double(count) } }
        let points = data.dimension == 1 ? axes[0].map { [$0] } : axes[1].flatMap { y in axes[0].map { [$0, y] } }
        let cell = box.reduce(1) { $0 * $1.span / Double(count) }
        let v = points.map { p in p.withUnsafeBufferPointer { potential.value(at: $0.baseAddress!) } }
        let shift = v.min() ?? 0
        let weights = v.map { exp(-($0 - shift)) }
        let mass = weights.reduce(0, +) * cell
        guard mass > 0, mass.isFinite else { return nil }
        return (points, cell, weights.map { $0 / mass })
    }

    /// Σ ρ log(ρ/ν) ΔA over the nodes, ρ renormalised on the grid (cells with ρ = 0 add 0).
    static func klByQuadrature(_ density: ([Double]) -> Double, grid: KLGrid) -> Double {
        let rho = grid.points.map { max(density($0), 0) }
        let mass = rho.reduce(0, +) * grid.cell
        guard mass > 0 else { return .nan }
        var total = 0.0
        for (r, nu) in zip(rho, grid.target) where r > 0 && nu > 0 { total += r / mass * log(r / mass / nu) }
        return total * grid.cell
    }

    /// The Gaussian JKO's slack in closed form: KL_{k−1} − KL_k − BW₂²(ρ_{k−1}, ρ_k)/(2h).
    static func gaussianSlack(_ data: RunFigureData, steps: [Int]) -> [Double]? {
        guard let target = try? data.config.targetDistribution() else { return nil }
        let states = steps.compactMap { data.gaussianIterate(step: $0) }
        guard states.count == steps.count else { return nil }
        let h = data.config.flow.timeStep
        return states.indices.map { k in
            guard k > 0, let w = try? BuresWasserstein.distance(states[k - 1], states[k]) else { return 0 }
            return states[k - 1].klDivergence(to: target) - states[k].klDivergence(to: target) - w * w / (2 * h)
        }
    }
}
