@testable import Experiments
import Foundation
import NumericalCore
import Plotting
import Probability
import XCTest
import _TestSupport

/// The neural figures of a tiny neural-ou-2d run (4 steps of 40 + 20 iterations, width 16):
/// the difference maps, one loss curve per trained step, the exact map beside the learned
/// one, and that every file is written and not blank.
final class NeuralFiguresTests: XCTestCase {
    static let tiny = ["flow.steps=4", "neural.first_step_iterations=40", "neural.later_step_iterations=20", "neural.batch_size=100",
                       "neural.fit_sample_count=1000", "neural.w2_sample_count=100", "output.sample_count=200",
                       "neural.width=16", "neural.blocks=1"]

    func testNeuralFiguresOfASmallRun() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("neural-figures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var config = try ConfigLoader.resolve("neural-ou-2d", overrides: Self.tiny)
        config.seed = 3
        let folder = try RunFolder.create(at: root, force: false)
        try ExperimentRunner(config: config, folder: folder).run(source: "neural-ou-2d", command: "test")
        let data = try RunFigureData(folder: folder)
        XCTAssertEqual(data.neuralMethods, ["neural-sjko"])
        XCTAssertEqual(data.neuralComparator, "gaussian-jko")

        // The difference map is the neural density minus the exact one, cell by cell, and the
        // exact row is the closed-form Gaussian JKO iterate at the cell centres.
        let box = data.plotBox()
        let comparisons = RunFigures.neuralComparisons(data, method: "neural-sjko", steps: [1, 4], box: box, size: 20)
        XCTAssertEqual(comparisons.map(\.step), [1, 4])
        let iterate = try XCTUnwrap(data.gaussianIterate(step: 4))
        let centre = RunFigures.gridPoints(size: 20, box: box)[7 * 20 + 11]
        assertClose(comparisons[1].exact[7, 11], exp(iterate.logDensity(centre)), rtol: 1e-12)
        let kde = KernelDensity(points: try XCTUnwrap(data.samples("neural-sjko", step: 4)))
        assertClose(comparisons[1].neural[7, 11], kde.evaluate(centre), rtol: 1e-12)
        for comparison in comparisons {
            let expected = zip(comparison.neural.elements, comparison.exact.elements).map { $0 - $1 }
            assertClose(comparison.difference.elements, expected, atol: 0)
            XCTAssertGreaterThan(comparison.largestDifference, 0, "a 60-iteration flow is not exact")
        }
        let densities = try XCTUnwrap(RunFigures.figure(.neuralDensities, of: data))
        XCTAssertEqual(densities.panels.count, 3 * 4, "rows exact, neural, difference; columns k = 1…4")
        let diverging = try XCTUnwrap(densities.panels[8].elements.first as? Heatmap)
        XCTAssertEqual(diverging.colormap, .redBlue)
        assertClose(diverging.range.lower, -diverging.range.upper, atol: 0)   // symmetric about 0

        // One L_v and one L_T curve per trained step (run steps 1…4).
        XCTAssertEqual(data.trainedSteps("neural-sjko"), [1, 2, 3, 4])
        let losses = try XCTUnwrap(RunFigures.figure(.neuralLosses, of: data))
        for panel in losses.panels {
            XCTAssertEqual(panel.elements.filter { $0 is LinePlot }.count, 4)
        }
        let first = try XCTUnwrap(data.lossHistory("neural-sjko", step: 1))
        XCTAssertEqual(first.iterations.last, 40)
        XCTAssertEqual(first.potential.count, 40, "stride max(1, 40/200) = 1")

        // The latest checkpoint restores the trainer at step 4; the exact map from ρ₀ is the
        // composed Gaussian JKO map (it sends the mean of ρ₀ to the mean of ρ₄).
        let (trainer, step) = try XCTUnwrap(data.trainedFlow("neural-sjko"))
        XCTAssertEqual(step, 4)
        XCTAssertEqual(trainer.completedSteps, 4)
        let exact = try XCTUnwrap(RunFigures.exactMap2D(data, from: 0, to: 4))
        let start = try XCTUnwrap(data.gaussianIterate(step: 0))
        assertClose(exact(start.mean), iterate.mean, atol: 1e-12)

        // Files: written by `jko plot`, of a real size, not blank.
        let written = try RunFigures.writeAll(run: folder.url)
        for name in ["neural-densities", "neural-losses", "neural-map"] {
            let url = try XCTUnwrap(written.first { $0.deletingPathExtension().lastPathComponent == name }, name)
            let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
            XCTAssertGreaterThan(size, 20_000, name)
        }
        for kind in [RunFigures.Kind.neuralDensities, .neuralLosses, .neuralMap] {
            let pixels = try XCTUnwrap(RunFigures.figure(kind, of: data)).rasterize()
            XCTAssertGreaterThan(pixels.inkFraction, 0.03, "\(kind) looks blank")
        }
    }

    func testNeuralFiguresAreSkippedWithoutANeuralColumn() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("neural-figures-none-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try ConfigLoader.resolve("ou-2d", overrides: ["flow.steps=2", "output.sample_count=100"])
        let folder = try RunFolder.create(at: root, force: false)
        try ExperimentRunner(config: config, folder: folder).run(source: "ou-2d", command: "test")
        let data = try RunFigureData(folder: folder)
        for kind in [RunFigures.Kind.neuralDensities, .neuralLosses, .neuralMap] {
            XCTAssertNil(try RunFigures.figure(kind, of: data), "\(kind)")
            XCTAssertFalse(RunFigures.applies(kind, to: config))
        }
        XCTAssertTrue(FigureRecipes.named("neural-ou-2d-neural-map")?.needsLongTraining == true)
        XCTAssertFalse(FigureRecipes.fastIDs.contains("neural-ou-2d-neural-densities"))
    }
}

/// The toy-flows figure of notebook 07 on tiny runs: one row per toy and the K = 1 row,
/// every sample panel drawn.
final class ToyFlowsFigureTests: XCTestCase {
    func testToyFlowsFigureDrawsEveryToyAndTheOneStepCase() throws {
        let context = try RecipeContext()
        defer { context.cleanUp() }
        let tiny = ["flow.steps=1", "neural.first_step_iterations=3", "neural.later_step_iterations=2", "neural.width=8", "neural.blocks=1",
                    "output.sample_count=200", "neural.w2_sample_count=100"]
        let figure = try ToyFlowsFigure.make(context, overrides: tiny, uotmOverrides: tiny)
        XCTAssertEqual(figure.rows, ToyDataset.allCases.count + 1)
        XCTAssertEqual(figure.columns, ToyFlowsFigure.steps.count + 1)
        XCTAssertGreaterThan(figure.rasterize().inkFraction, 0.03)
    }
}
