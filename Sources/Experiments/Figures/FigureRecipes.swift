import Foundation
import NumericalCore
import Plotting

/// Named, reproducible figures: `jko figure ID` regenerates `figures/ID.png` from fixed
/// seeds, so a notebook caption can cite the command that remakes its figure.
///
/// Recipes `PRESET-KIND` run the built-in preset (its own fixed seed) into a temporary run
/// folder and draw one of the run figures (`RunFigures.Kind`) that applies to it;
/// `exact-convergence` draws the convergence studies; `plotting-gallery` and
/// `plotting-benchmark` draw the plotting layer's own test figures.
///
/// `jko figure --all` renders every recipe that does not need long training (the fast ones,
/// which CI regenerates and compares with `figures/`); recipes that train networks set
/// `needsLongTraining` and are listed as such by `jko figure --list`.
public enum FigureRecipes {
    public struct Recipe {
        public let id: String
        public let summary: String
        /// True for recipes that train neural flows (minutes to hours): not part of `--all`.
        public let needsLongTraining: Bool
        let build: (RecipeContext) throws -> Figure?

        init(id: String, summary: String, needsLongTraining: Bool = false, build: @escaping (RecipeContext) throws -> Figure?) {
            self.id = id
            self.summary = summary
            self.needsLongTraining = needsLongTraining
            self.build = build
        }
    }

    /// The run figures that have a recipe for every preset they apply to.
    static let runKinds: [RunFigures.Kind] = [.densityTrajectory, .transportMaps, .samples, .metrics, .energy, .lagrangianPaths, .velocityField]

    public static let all: [Recipe] = [
        Recipe(id: "plotting-gallery", summary: "every element of the plotting layer on one page") { _ in FigureGallery.elements() },
        Recipe(id: "plotting-benchmark", summary: "the benchmark figure: 8 panels of 200×200 density heatmaps with contours") { _ in
            FigureGallery.heatmapTrajectory()
        },
        Recipe(id: "exact-convergence", summary: "log–log errors of the exact schemes against h, 1/N and Δx with slope triangles (jko bench exact)") { _ in
            try ConvergenceFigure.make()
        },
        Recipe(id: "uot-jko-step", summary: "one JKO step as fixed-source / soft-target unbalanced Sinkhorn on a grid against the exact Gaussian step (jko bench uot-jko-step)") { _ in
            try UnbalancedJKOStepFigure.make()
        },
    ] + Presets.all.flatMap { preset in
        runKinds.filter { RunFigures.applies($0, to: preset.config) }.map { kind in
            // A preset with a neural or image column trains networks: minutes, not part of --all.
            Recipe(id: "\(preset.name)-\(kind.rawValue)", summary: "\(kind.rawValue) figure of a run of the \(preset.name) preset",
                   needsLongTraining: preset.config.methods.contains { !ExperimentConfig.exactMethods.contains($0) }) { context in
                try RunFigures.figure(kind, of: context.run(preset: preset.name), options: context.options)
            }
        }
    } + neuralRecipes + imageRecipes + [
        Recipe(id: "toy-flows", summary: "S-JKO from N(0, I) to the six toy data sets and the K = 1 case, samples per step beside the data (notebook 07's size)",
               needsLongTraining: true) { context in try ToyFlowsFigure.make(context) },
    ]

    /// The neural figures of `neural-ou-2d` (the exact Gaussian JKO iterates beside the
    /// learned flow): a full training run, minutes on two cores.
    static let neuralRecipes: [Recipe] = [RunFigures.Kind.neuralDensities, .neuralLosses, .neuralMap].map { kind in
        Recipe(id: "neural-ou-2d-\(kind.rawValue)", summary: "\(kind.rawValue) figure of a run of the neural-ou-2d preset",
               needsLongTraining: true) { context in
            try RunFigures.figure(kind, of: context.run(preset: "neural-ou-2d"), options: context.options)
        }
    }

    /// The strips from noise to images of the Fashion-MNIST presets (minutes for the quick
    /// one, up to an hour for the full one).
    static let imageRecipes: [Recipe] = ["fashion-mnist-quick", "fashion-mnist"].map { preset in
        Recipe(id: "\(preset)-\(RunFigures.Kind.noiseToSamples.rawValue)",
               summary: "noise-to-samples strip of a run of the \(preset) preset (fixed prior draws through each step's sampler)",
               needsLongTraining: true) { context in
            try RunFigures.figure(.noiseToSamples, of: context.run(preset: preset), options: context.options)
        }
    }

    public static var ids: [String] { all.map(\.id) }

    /// The recipes `jko figure --all` renders: all but those that need long training.
    public static var fastIDs: [String] { all.filter { !$0.needsLongTraining }.map(\.id) }

    public static func named(_ id: String) -> Recipe? { all.first { $0.id == id } }

    /// Renders the recipes into `folder/ID.FORMAT` (runs shared between recipes of one preset);
    /// `report` is called with each file written. `reusing`: a folder of run folders
    /// (`runs/` of a notebook's scratch folder) whose complete runs of exactly the config a
    /// recipe needs (`runs/PRESET`, the preset with the recipe's overrides, same seed, every
    /// step written) the recipes draw instead of training again.
    @discardableResult
    public static func render(_ ids: [String], into folder: URL, format: ImageFormat = .png, options: FigureOptions = FigureOptions(),
                              reusing runs: URL? = nil, report: (URL) -> Void = { _ in }) throws -> [URL] {
        let recipes = try ids.map { id -> Recipe in
            guard let recipe = named(id) else { throw RecipeError.unknown(id) }
            return recipe
        }
        try FileSystem.makeFolder(folder)
        let context = try RecipeContext(options: options, reusing: runs)
        defer { context.cleanUp() }
        var written: [URL] = []
        for recipe in recipes {
            guard let built = try recipe.build(context) else { throw RecipeError.empty(recipe.id) }
            // Run figures come styled; the others get the options here.
            let figure = built.dpi == options.dpi && built.style == options.figureStyle ? built : options.apply(to: built)
            let url = folder.appendingPathComponent("\(recipe.id).\(format.rawValue)")
            try figure.write(to: url, format: format)
            written.append(url)
            report(url)
        }
        return written
    }

    public enum RecipeError: Error, CustomStringConvertible {
        case unknown(String)
        case empty(String)

        public var description: String {
            switch self {
            case let .unknown(id): return "no figure recipe '\(id)'; run 'jko figure' to list them"
            case let .empty(id): return "the recipe '\(id)' found nothing to draw in its run"
            }
        }
    }
}

/// Runs made for recipes, kept in a temporary folder for the duration of one `render` call.
final class RecipeContext {
    let root: URL
    let options: FigureOptions
    /// Where finished runs of the presets may already be (``FigureRecipes/render(_:into:format:options:reusing:report:)``).
    let reusable: URL?
    private var runs: [String: RunFigureData] = [:]

    init(options: FigureOptions = FigureOptions(), reusing reusable: URL? = nil) throws {
        self.options = options
        self.reusable = reusable
        root = FileManager.default.temporaryDirectory.appendingPathComponent("jko-figure-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// The preset run with its fixed seed (made on first use), with `overrides` (`key=value`
    /// as `jko run --set`) when a recipe draws the preset at another size.
    func run(preset: String, overrides: [String] = []) throws -> RunFigureData {
        let key = ([preset] + overrides).joined(separator: " ")
        if let done = runs[key] { return done }
        let config = try ConfigLoader.resolve(preset, overrides: overrides)
        if let existing = reusableRun(preset: preset, config: config) {
            runs[key] = existing
            return existing
        }
        let folder = try RunFolder.create(at: root.appendingPathComponent("run-\(runs.count)-\(preset)"), force: true)
        try ExperimentRunner(config: config, folder: folder).run(source: preset, command: "jko figure (recipe run of \(key))")
        let data = try RunFigureData(folder: folder)
        runs[key] = data
        return data
    }

    /// `reusable/PRESET` when it is a complete run of exactly `config` (same keys, same
    /// seed, samples of every step), so that it draws what a fresh recipe run would: a
    /// notebook's `jko run PRESET --set …` with the recipe's own overrides qualifies.
    func reusableRun(preset: String, config: ExperimentConfig) -> RunFigureData? {
        guard let reusable else { return nil }
        let url = reusable.appendingPathComponent(preset)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.toml").path),
              let data = try? RunFigureData(folder: RunFolder(url: url)),
              data.config == config, data.completedSteps.count == config.flow.steps + 1,
              data.metrics?.rows.count == config.flow.steps + 1 else { return nil }
        return data
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: root)
    }
}
