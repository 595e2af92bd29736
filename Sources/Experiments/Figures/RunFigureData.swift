import Foundation
import GradientFlows
import NumericalCore
import Plotting
import Probability

/// What the figures of a run read from its folder: the resolved config, the methods, the
/// metrics table and the samples of each method and step, plus the densities the figures
/// draw, computed from what the run holds:
///
/// - `analytic` on an Ornstein–Uhlenbeck run: the closed-form mixture ρ_t (DESIGN.md §1.1);
/// - `gaussian-jko`: the exact Gaussian JKO iterate;
/// - a method that saved `density/…` grids (finite volumes, particle schemes): its grid,
///   interpolated (`GridDensity`);
/// - any other method: a Gaussian kernel density estimate of its saved samples.
public struct RunFigureData {
    public let folder: RunFolder
    public let config: ExperimentConfig
    /// Methods in config order; the first is the reference (its samples sit in `samples/`).
    public let methods: [String]
    public let metrics: MetricsTable?
    /// Replayed Lagrangian maps (`lagrangianTrajectory(of:)`), computed on first use.
    let lagrangianCache = LagrangianCache()

    public init(folder: RunFolder) throws {
        self.folder = folder
        config = try folder.config()
        methods = config.methods
        // A missing or garbage metrics.csv is an error naming it, not a silently skipped figure.
        metrics = try MetricsTable.read(folder.metricsURL)
    }

    public var reference: String { methods[0] }
    public var dimension: Int { config.dimension }
    public var stepCount: Int { config.flow.steps }

    /// Steps whose reference samples are on disk (a stopped run has fewer than K + 1).
    public var completedSteps: [Int] {
        (0...stepCount).filter { FileManager.default.fileExists(atPath: folder.samplesURL(step: $0, method: reference, reference: reference).path) }
    }

    /// About `count` evenly spaced completed steps, always the first and the last.
    public func chosenSteps(count: Int) -> [Int] {
        let done = completedSteps
        guard done.count > count, count >= 2 else { return done }
        let picks = (0..<count).map { done[Int((Double($0) * Double(done.count - 1) / Double(count - 1)).rounded())] }
        return Array(Set(picks)).sorted()
    }

    /// Samples `[n, d]` of a method at a step, or nil when the run did not save them.
    public func samples(_ method: String, step: Int) -> Matrix? {
        try? folder.loadSamples(step: step, method: method, reference: reference)
    }

    /// The closed-form Ornstein–Uhlenbeck flow, when the run's target is a Gaussian.
    public var analyticFlow: OrnsteinUhlenbeckFlow? {
        guard config.hasGaussianTarget, let start = try? config.startDistribution(),
              let target = try? config.targetDistribution() else { return nil }
        return try? OrnsteinUhlenbeckFlow(start: start, target: target)
    }

    /// The exact Gaussian JKO scheme of the run (target Gaussian, h of the config), when the
    /// target is Gaussian.
    public var gaussianJKO: GaussianJKO? {
        guard config.target.kind == "gaussian", let target = try? config.targetDistribution() else { return nil }
        return try? GaussianJKO(target: target, timeStep: config.flow.timeStep)
    }

    /// The Gaussian JKO iterate ρ_k from a single-Gaussian start (nil otherwise).
    public func gaussianIterate(step: Int) -> Gaussian? {
        guard let jko = gaussianJKO, let start = try? config.startDistribution(), start.components.count == 1 else { return nil }
        return try? jko.iterates(from: start.components[0], stepCount: step)[step]
    }

    /// The density of a method at a step, as a function of a point (length d), and how it was
    /// obtained ("closed form", "saved grid" or "KDE of n samples").
    public func density(_ method: String, step: Int) -> (evaluate: ([Double]) -> Double, source: String)? {
        let t = config.time(ofStep: step)
        if method == "analytic", let flow = analyticFlow, let marginal = try? flow.marginal(at: t) {
            return ({ exp(marginal.logDensity($0)) }, "closed form")
        }
        if method == "gaussian-jko", let iterate = gaussianIterate(step: step) {
            return ({ exp(iterate.logDensity($0)) }, "closed form")
        }
        if let grid = GridDensity(folder: folder, step: step, method: method, reference: reference) {
            return (grid.evaluate, "saved grid")
        }
        guard let points = samples(method, step: step) else { return nil }
        let estimate = KernelDensity(points: points)
        return (estimate.evaluate, "KDE of \(points.rows) samples")
    }

    /// The target ν ∝ e^{−V} of a 1D run at the points `xs`, normalised by the trapezoid rule
    /// on 8 001 points over the plotted range widened three times its span on each side.
    public func targetDensity1D(at xs: [Double]) -> [Double]? {
        guard dimension == 1, let potential = try? config.potential(), let range = Interval.enclosing(xs) else { return nil }
        func v(_ x: Double) -> Double { [x].withUnsafeBufferPointer { potential.value(at: $0.baseAddress!) } }
        let wide = Interval(range.lower - 3 * range.span, range.upper + 3 * range.span)
        let nodes = RunFigureData.linspace(wide, count: 8001)
        let values = nodes.map(v)
        let shift = values.min() ?? 0   // e^{−(V − min V)} avoids overflow
        let h = wide.span / 8000
        var mass = 0.0
        for (k, value) in values.enumerated() { mass += exp(-(value - shift)) * ((k == 0 || k == 8000) ? h / 2 : h) }
        guard mass > 0, mass.isFinite else { return nil }
        return xs.map { exp(-(v($0) - shift)) / mass }
    }

    /// A box holding nearly all of the reference samples of every completed step:
    /// per coordinate, the 0.2 % and 99.8 % quantiles over all steps, widened by 10 %.
    public func plotBox() -> [Interval] {
        var lows = [Double](repeating: .infinity, count: dimension)
        var highs = [Double](repeating: -.infinity, count: dimension)
        for step in completedSteps {
            guard let points = samples(reference, step: step) else { continue }
            for j in 0..<dimension {
                let column = points.column(j).sorted()
                lows[j] = min(lows[j], column[Int(0.002 * Double(column.count - 1))])
                highs[j] = max(highs[j], column[Int(0.998 * Double(column.count - 1))])
            }
        }
        return (0..<dimension).map { j in
            lows[j].isFinite ? Interval(lows[j], highs[j]).padded(by: 0.1) : Interval(-3, 3)
        }
    }

    /// Values of `f` at the cell centres of a `size × size` grid on `box[0] × box[1]`
    /// (`[size, size]`, row 0 at the bottom: the `Heatmap` convention).
    public static func grid(size: Int, box: [Interval], _ f: ([Double]) -> Double) -> Matrix {
        var values = Matrix(rows: size, columns: size)
        let dx = box[0].span / Double(size), dy = box[1].span / Double(size)
        for i in 0..<size {
            let y = box[1].lower + (Double(i) + 0.5) * dy
            for j in 0..<size { values[i, j] = f([box[0].lower + (Double(j) + 0.5) * dx, y]) }
        }
        return values
    }

    /// `count` equally spaced points of an interval, ends included.
    public static func linspace(_ interval: Interval, count: Int) -> [Double] {
        (0..<count).map { interval.lower + interval.span * Double($0) / Double(count - 1) }
    }

    /// A short display name of a method ("analytic" → "analytic (exact)").
    public static func title(of method: String) -> String {
        switch method {
        case "analytic": return "analytic ρₜ"
        case "gaussian-jko": return "exact Gaussian JKO"
        default: return method
        }
    }
}
