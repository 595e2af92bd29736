import ArgumentParser
import Experiments
import Foundation
import Plotting

struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Regenerate a named figure (figures/ID.png) deterministically from fixed seeds.",
        discussion: "Without an ID (or with --list), lists the recipes; those marked [long training] are left out of --all. Each notebook caption names the command that regenerates its figure. 'make check-figures' regenerates every fast recipe and fails when figures/ changed.")

    @Argument(help: "The recipe to render; omit to list them.")
    var id: String?

    @Flag(help: "Render every recipe that needs no long training.")
    var all = false

    @Flag(help: "List the recipes, marking those that need long training.")
    var list = false

    @Option(help: "Folder to write into.")
    var out = "figures"

    @Option(help: "Image format: png, svg or pdf.")
    var format: ImageFormat = .png

    @OptionGroup var figureStyle: FigureStyleOptions

    func validate() throws {
        if all && id != nil { throw ValidationError("give either a recipe ID or --all, not both") }
        if list && (all || id != nil) { throw ValidationError("--list prints the recipes; give it alone") }
        _ = try figureStyle.resolved()
    }

    func run() throws {
        guard all || id != nil else {
            for recipe in FigureRecipes.all {
                print("\(recipe.id)\(recipe.needsLongTraining ? " [long training]" : ""): \(recipe.summary)")
            }
            return
        }
        let ids = all ? FigureRecipes.fastIDs : [id!]
        try FigureRecipes.render(ids, into: URL(fileURLWithPath: out), format: format, options: figureStyle.resolved()) { print("wrote \($0.path)") }
    }
}
