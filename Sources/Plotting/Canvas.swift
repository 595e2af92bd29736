/// The drawing primitives a figure needs; the only backend is `CairoCanvas`.
///
/// Coordinates are points (1/72 inch) with the origin at the top-left corner and y
/// downwards. Paths are built with `move`/`line`/`addRectangle`/`addCircle`/`closePath`
/// and consumed by `fill` or `stroke`. Text uses one sans-serif face (DejaVu Sans).
public protocol Canvas: AnyObject {
    /// Pushes the graphics state (colour, line style, clip).
    func saveState()
    /// Pops the graphics state saved last.
    func restoreState()

    func setColor(_ color: Color)
    func setLineWidth(_ width: Double)
    /// Dash lengths in points (on, off, …); an empty array draws solid lines.
    func setDash(_ lengths: [Double])

    func move(to point: Point)
    func line(to point: Point)
    func closePath()
    func addRectangle(_ rect: Rect)
    func addCircle(center: Point, radius: Double)

    /// Fills the current path (non-zero winding) and clears it.
    func fill()
    /// Strokes the current path and clears it.
    func stroke()
    /// Restricts drawing to `rect` until the state is restored.
    func clip(to rect: Rect)

    /// Width of a text line and the font's ascent and descent at `fontSize`.
    func measure(_ text: String, style: TextStyle) -> TextMetrics
    /// Draws one line of text anchored at `point`, rotated by `angle` radians
    /// counter-clockwise about that point.
    func drawText(_ text: String, at point: Point, style: TextStyle, anchor: TextAnchor, angle: Double)
    /// Draws an RGBA image scaled into `rect`; `smooth` selects bilinear (else nearest) sampling.
    func drawImage(_ image: RGBAImage, in rect: Rect, smooth: Bool)
}

extension Canvas {
    /// Strokes a polyline through the points (nothing for fewer than two).
    public func strokePolyline(_ points: [Point]) {
        guard points.count >= 2 else { return }
        move(to: points[0])
        for p in points.dropFirst() { line(to: p) }
        stroke()
    }
}

/// Font size, weight and colour of a text run.
public struct TextStyle: Equatable, Sendable {
    public var fontSize: Double
    public var bold: Bool
    public var color: Color

    public init(fontSize: Double, bold: Bool = false, color: Color = .ink) {
        self.fontSize = fontSize
        self.bold = bold
        self.color = color
    }
}

/// Size of a line of text: advance width, and the font's ascent/descent (not the ink box,
/// so that labels of different strings line up).
public struct TextMetrics: Equatable, Sendable {
    public var width: Double
    public var ascent: Double
    public var descent: Double

    public init(width: Double, ascent: Double, descent: Double) {
        self.width = width
        self.ascent = ascent
        self.descent = descent
    }

    public var height: Double { ascent + descent }
}

/// Which point of the text box sits at the anchor position.
public struct TextAnchor: Equatable, Sendable {
    public enum Horizontal: Sendable { case left, center, right }
    public enum Vertical: Sendable { case top, center, baseline, bottom }

    public var horizontal: Horizontal
    public var vertical: Vertical

    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal
        self.vertical = vertical
    }

    /// Offset from the anchor to the text origin (left end of the baseline), unrotated.
    public func originOffset(for metrics: TextMetrics) -> Point {
        let dx: Double
        switch horizontal {
        case .left: dx = 0
        case .center: dx = -metrics.width / 2
        case .right: dx = -metrics.width
        }
        let dy: Double
        switch vertical {
        case .top: dy = metrics.ascent
        case .center: dy = (metrics.ascent - metrics.descent) / 2
        case .baseline: dy = 0
        case .bottom: dy = -metrics.descent
        }
        return Point(x: dx, y: dy)
    }
}
