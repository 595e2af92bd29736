import Plotting

/// How figures are drawn: for a paper (the default) or for slides, and the PNG resolution.
///
/// `talk` uses `FigureStyle.talk` (text 1.5×, strokes 1.6×), panels 1.3× larger and three
/// snapshot columns instead of five, so a slide shows fewer, bigger panels.
public struct FigureOptions: Equatable, Sendable {
    public enum Style: String, CaseIterable, Sendable {
        case paper
        case talk
    }

    public var style: Style
    /// Pixels per inch of PNG output (vector formats ignore it).
    public var dpi: Double

    public init(style: Style = .paper, dpi: Double = 150) {
        self.style = style
        self.dpi = dpi
    }

    /// Checks the resolution: one sentence naming the problem and the fix.
    public func validated() throws -> FigureOptions {
        guard dpi.isFinite, dpi >= 20, dpi <= 1200 else {
            throw OptionError(description: "--dpi \(dpi) is outside 20…1200; use e.g. --dpi 150 (screen) or --dpi 300 (print)")
        }
        return self
    }

    public struct OptionError: Error, CustomStringConvertible {
        public let description: String
    }

    public var figureStyle: FigureStyle { style == .talk ? .talk : .paper }

    /// Step columns in the step-by-step rows.
    public var snapshotCount: Int { style == .talk ? 3 : 5 }

    /// Factor on panel sizes (inches).
    public var sizeFactor: Double { style == .talk ? 1.3 : 1 }

    /// Applies the style, size and resolution to a figure built at paper size.
    func apply(to figure: Figure) -> Figure {
        figure.style = figureStyle
        figure.dpi = dpi
        figure.width *= sizeFactor
        figure.height *= sizeFactor
        return figure
    }
}
