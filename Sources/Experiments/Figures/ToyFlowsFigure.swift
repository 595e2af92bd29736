import Foundation
import NumericalCore
import Plotting
import Probability

/// The generative toy flows (`jko figure toy-flows`, for the toy notebook): S-JKO from N(0, I) to
/// each of the six official toy data sets (``ToyDataset``), one row per toy, its samples at
/// chosen JKO steps in the columns and a sample of the data in the last column; a last row
/// shows the K = 1 case (fixed-source UOTM, `toy-8gaussians-uotm`) with the same total number
/// of iterations.
///
/// The runs are the toy presets (the official settings: K = 10, h = 1 with the per-dimension
/// cost, batch 400, independent noise) at the notebook's size, ``overrides``: 1000 iterations
/// in the first step and 400 in each later one instead of the official 5000, with five times
/// the official learning rates (5e-4 / 1e-4 instead of 1e-4 / 2e-5), so that the seven runs
/// take minutes, not hours. Fewer iterations at the official rates fail: the potential,
/// warm-started from the previous step, cannot re-adapt in 400 steps of 2e-5 and the map
/// follows its stale gradient past the data (`toy-8gaussians`, 1000/400: W₂ to the data
/// 10.8 → 26.7 over ten steps; 3000/300: → 23.9). A notebook that runs the same commands
/// hands its runs to the recipe.
enum ToyFlowsFigure {
    /// The notebook size: 1000 + 9 × 400 iterations at five times the official learning rates.
    static let overrides = ["neural.first_step_iterations=1000", "neural.later_step_iterations=400",
                            "neural.map_learning_rate=5e-4", "neural.potential_learning_rate=1e-4"]
    /// The K = 1 run gets the same total, 1000 + 9 × 400, at the same learning rates.
    static let uotmOverrides = ["neural.first_step_iterations=4600",
                                "neural.map_learning_rate=5e-4", "neural.potential_learning_rate=1e-4"]
    /// The JKO steps shown (k = 0 is the prior).
    static let steps = [0, 1, 2, 4, 7, 10]

    static func make(_ context: RecipeContext, overrides: [String] = overrides, uotmOverrides: [String] = uotmOverrides) throws -> Figure {
        let toys = ToyDataset.allCases
        let columns = steps.count + 1
        let figure = RunFigures.makeFigure(rows: toys.count + 1, columns: columns,
                                           title: "S-JKO from N(0, I) to the toy data sets: samples per JKO step (h = 1, per-dimension cost); last column: the data",
                                           panelWidth: 1.75, panelHeight: 1.95)
        let color = MethodStyle.of("neural-sjko", index: 0).color
        var generator = RandomGenerator(seed: 0x746F_7973)
        for (row, toy) in toys.enumerated() {
            let data = try context.run(preset: "toy-\(toy.rawValue)", overrides: overrides)
            let sample = toy.sampler.sample(count: 1000, using: &generator)
            let box = Self.box(around: sample)
            for (column, step) in steps.enumerated() {
                let axes = figure[row, column]
                if let points = data.samples(data.reference, step: step) {
                    scatter(axes, RunFigures.subsample(points, count: 1000), color: color)
                }
                panel(axes, box: box, title: row == 0 ? "k = \(step)" : nil, label: column == 0 ? toy.rawValue : nil)
            }
            let axes = figure[row, columns - 1]
            scatter(axes, sample, color: Color.ink)
            panel(axes, box: box, title: row == 0 ? "data" : nil, label: nil)
        }
        // K = 1: one step straight to the data (only its k = 1 column exists).
        let uotm = try context.run(preset: "toy-8gaussians-uotm", overrides: uotmOverrides)
        let last = toys.count
        let sample = ToyDataset.eightGaussians.sampler.sample(count: 1000, using: &generator)
        let box = Self.box(around: sample)
        for (column, step) in steps.enumerated() {
            let axes = figure[last, column]
            if step <= 1, let points = uotm.samples(uotm.reference, step: step) {
                scatter(axes, RunFigures.subsample(points, count: 1000), color: color)
            }
            panel(axes, box: box, title: nil, label: column == 0 ? "8gaussians, K = 1" : nil)
        }
        let axes = figure[last, columns - 1]
        scatter(axes, sample, color: Color.ink)
        panel(axes, box: box, title: nil, label: nil)
        return figure
    }

    /// The square [−b, b]² of a toy's row: b = 1.1 × the data sample's largest |coordinate|,
    /// at least 3.5 (the prior's 3.5σ), so the data and the prior both fit (the toys' scales
    /// differ tenfold: the checkerboard lies in [−2.1, 2.1]², the 8 Gaussians at radius 12).
    static func box(around sample: Matrix) -> Interval {
        let b = max(3.5, 1.1 * (sample.elements.map(abs).max() ?? 0))
        return Interval(-b, b)
    }

    static func scatter(_ axes: Axes, _ points: Matrix, color: Color) {
        axes.add(ScatterPlot(x: points.column(0), y: points.column(1), color: color, radius: 1.0, alpha: 0.4))
    }

    static func panel(_ axes: Axes, box: Interval, title: String?, label: String?) {
        axes.xLimits = box
        axes.yLimits = box
        axes.equalAspect = true
        axes.title = title
        axes.yLabel = label
        axes.showsLegend = false
    }
}
