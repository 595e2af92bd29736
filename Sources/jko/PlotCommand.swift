import ArgumentParser
import Experiments
import Foundation
import Plotting

extension ImageFormat: ExpressibleByArgument {}
extension FigureOptions.Style: ExpressibleByArgument {}

/// Options shared by `jko plot` and `jko figure`: paper or slide style, PNG resolution.
struct FigureStyleOptions: ParsableArguments {
    @Option(help: "paper (default) or talk: larger text and lines, fewer panels per row, for slides.")
    var style: FigureOptions.Style = .paper

    @Option(help: "Pixels per inch of PNG output (20…1200).")
    var dpi: Double = 150

    func resolved() throws -> FigureOptions {
        do { return try FigureOptions(style: style, dpi: dpi).validated() } catch { throw ValidationError("\(error)") }
    }
}

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the figures of a run into RUN_DIR/figures/.",
        discussion: "Density trajectories, transport maps, samples, metrics with their noise floors, energy dissipation, Lagrangian paths (1D particles), velocity fields (2D), and (when the run has them) training losses and image grids. --frames adds one PNG per step and an animated GIF.")

    @Argument(help: "A run folder written by 'jko run'.")
    var runDirectory: String

    @Option(help: "Image format: png, svg or pdf.")
    var format: ImageFormat = .png

    @OptionGroup var figureStyle: FigureStyleOptions

    @Flag(help: "Also write figures/frames/step-KKKK.png for every step and figures/trajectory.gif.")
    var frames = false

    @Option(help: "Frames per second of the GIF (with --frames).")
    var fps: Double = 6

    func validate() throws {
        _ = try figureStyle.resolved()
        if !(fps > 0 && fps <= 100) { throw ValidationError("--fps \(fps) is outside (0, 100]; use e.g. --fps 6") }
    }

    func run() throws {
        let options = try figureStyle.resolved()
        let url = URL(fileURLWithPath: runDirectory)
        let written = try RunFigures.writeAll(run: url, format: format, options: options)
        for file in written { print("wrote \(file.path)") }
        if frames {
            let animation = try RunFigures.writeFrames(run: url, options: options, framesPerSecond: fps)
            print("wrote \(animation.count - 1) frames in \(animation[0].deletingLastPathComponent().path) and \(animation.last!.path)")
        }
    }
}
