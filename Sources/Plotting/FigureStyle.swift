/// Font sizes, line widths and spacings of a figure, in points.
///
/// The defaults suit a figure of about 3 inches per panel printed at 100 % or shown at
/// 150 dpi: 8 pt tick labels, 9 pt axis labels, 10 pt panel titles, 11 pt figure title.
public struct FigureStyle: Equatable, Sendable {
    public var tickFontSize = 8.0
    public var labelFontSize = 9.0
    public var titleFontSize = 10.0
    public var figureTitleFontSize = 11.0
    public var legendFontSize = 8.0
    public var tickLength = 3.5
    public var axisLineWidth = 0.8
    /// Space around the whole figure and between text and frame.
    public var padding = 6.0
    public var colorBarWidth = 10.0
    public var colorBarGap = 8.0
    public var background = Color.white
    public var textColor = Color.ink
    public var axisColor = Color.ink
    public var gridColor = Color(red: 0.9, green: 0.9, blue: 0.9)
    /// Factor on every stroke width and dash length the elements ask for (1 on paper).
    public var lineScale = 1.0

    public init() {}

    /// The defaults: a figure read at 100 % on paper or a screen.
    public static let paper = FigureStyle()

    /// For slides: text 1.5× larger (12 pt ticks, 13.5 pt labels), strokes 1.6× wider, so a
    /// figure shown at half its size on a projector still reads at about the paper sizes.
    public static var talk: FigureStyle {
        var s = FigureStyle().scaled(by: 1.5)
        s.axisLineWidth = 1.0
        s.lineScale = 1.6
        return s
    }

    /// Every font size and spacing multiplied by `factor` (for posters or thumbnails).
    public func scaled(by factor: Double) -> FigureStyle {
        var s = self
        s.tickFontSize *= factor
        s.labelFontSize *= factor
        s.titleFontSize *= factor
        s.figureTitleFontSize *= factor
        s.legendFontSize *= factor
        s.tickLength *= factor
        s.axisLineWidth *= factor
        s.padding *= factor
        s.colorBarWidth *= factor
        s.colorBarGap *= factor
        return s
    }
}
