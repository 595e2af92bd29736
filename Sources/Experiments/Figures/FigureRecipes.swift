import Foundation
import NumericalCore
import Plotting

/// Named, reproducible figures: `jko figure ID` regenerates `figures/ID.png` from fixed
/// seeds, so a notebook caption can cite the command that remakes its figure.
///
/// Recipes `PRESET-KIND` run the built-in preset (its own fixed seed) into a temporary run
/// folder and draw one of the run figures (`RunFigures.Kind`); `plotting-gallery` and
/// `plotting-benchmark` draw the plotting layer's own test figures.
public enum FigureRecipes {
    public struct Recipe {
        public let id: String
        public let summary: String
        let build: (RecipeContext) throws -> Figure?
    }

    /// The run figures that have a recipe for every preset.
    static let runKinds: [RunFigures.Kind] = [.densityTrajectory, .transportMaps, .samples, .metrics]

    public static let all: [Recipe] = [
        Recipe(id: "plotting-gallery", summary: "every element of the plotting layer on one page") { _ in FigureGallery.elements() },
        Recipe(id: "plotting-benchmark", summary: "the benchmark figure: 8 panels of 200×200 density heatmaps with contours") { _ in
            FigureGallery.heatmapTrajectory()
        },
    ] + Presets.names.flatMap { preset in
        runKinds.map { kind in
            Recipe(id: "\(preset)-\(kind.rawValue)", summary: "\(kind.rawValue) figure of a run of the \(preset) preset") { context in
                try RunFigures.figure(kind, of: context.run(preset: preset))
            }
        }
    }

    public static var ids: [String] { all.map(\.id) }

    public static func named(_ id: String) -> Recipe? { all.first { $0.id == id } }

    /// Renders the recipes into `folder/ID.png` (runs shared between recipes of one preset);
    /// `report` is called with each file written.
    @discardableResult
    public static func render(_ ids: [String], into folder: URL, report: (URL) -> Void = { _ in }) throws -> [URL] {
        let recipes = try ids.map { id -> Recipe in
            guard let recipe = named(id) else { throw RecipeError.unknown(id) }
            return recipe
        }
        try FileSystem.makeFolder(folder)
        let context = try RecipeContext()
        defer { context.cleanUp() }
        var written: [URL] = []
        for recipe in recipes {
            guard let figure = try recipe.build(context) else { throw RecipeError.empty(recipe.id) }
            let url = folder.appendingPathComponent("\(recipe.id).png")
            try figure.write(to: url, format: .png)
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
    private var runs: [String: RunFigureData] = [:]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("jko-figure-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// The preset run with its fixed seed (made on first use).
    func run(preset: String) throws -> RunFigureData {
        if let done = runs[preset] { return done }
        let config = try ConfigLoader.resolve(preset, overrides: [])
        let folder = try RunFolder.create(at: root.appendingPathComponent(preset), force: true)
        try ExperimentRunner(config: config, folder: folder).run(source: preset, command: "jko figure (recipe run of \(preset))")
        let data = try RunFigureData(folder: folder)
        runs[preset] = data
        return data
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: root)
    }
}
