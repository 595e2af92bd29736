import ArgumentParser
import Experiments
import Foundation

struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Regenerate a named figure (figures/ID.png) deterministically from fixed seeds.",
        discussion: "Without an ID, lists the recipes. Each notebook caption names the command that regenerates its figure.")

    @Argument(help: "The recipe to render; omit to list them.")
    var id: String?

    @Flag(help: "Render every recipe.")
    var all = false

    @Option(help: "Folder to write into.")
    var out = "figures"

    func validate() throws {
        if all && id != nil { throw ValidationError("give either a recipe ID or --all, not both") }
    }

    func run() throws {
        guard all || id != nil else {
            for recipe in FigureRecipes.all { print("\(recipe.id): \(recipe.summary)") }
            return
        }
        let ids = all ? FigureRecipes.ids : [id!]
        try FigureRecipes.render(ids, into: URL(fileURLWithPath: out)) { print("wrote \($0.path)") }
    }
}
