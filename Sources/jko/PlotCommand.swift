import ArgumentParser
import Experiments
import Foundation
import Plotting

extension ImageFormat: ExpressibleByArgument {}

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the figures of a run into RUN_DIR/figures/.",
        discussion: "Density trajectories, transport maps, samples per step, metrics per step, and (when the run has them) training losses and image grids.")

    @Argument(help: "A run folder written by 'jko run'.")
    var runDirectory: String

    @Option(help: "Image format: png, svg or pdf.")
    var format: ImageFormat = .png

    func run() throws {
        let written = try RunFigures.writeAll(run: URL(fileURLWithPath: runDirectory), format: format)
        for url in written { print("wrote \(url.path)") }
    }
}
