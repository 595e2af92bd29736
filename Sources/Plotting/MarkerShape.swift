/// Shapes of point markers: with line dashes, the second cue (after colour) that tells the
/// curves of a figure apart in gray print and for colour-blind readers.
public enum MarkerShape: String, CaseIterable, Sendable {
    case circle, square, triangle, diamond, invertedTriangle, plus, cross

    /// Adds the marker's outline at `center` (surface coordinates) to the current path, sized so
    /// that every shape covers about the area of a circle of `radius` points; `plus` and
    /// `cross` are strokes and are drawn by `draw`.
    func addPath(on canvas: Canvas, center c: Point, radius r: Double) {
        switch self {
        case .circle:
            canvas.addCircle(center: c, radius: r)
        case .square:
            let s = 0.89 * r
            canvas.addRectangle(Rect(x: c.x - s, y: c.y - s, width: 2 * s, height: 2 * s))
        case .triangle, .invertedTriangle:
            let s = 1.35 * r, up = self == .triangle ? -1.0 : 1.0
            canvas.move(to: Point(x: c.x, y: c.y + up * s))
            canvas.line(to: Point(x: c.x + 0.866 * s, y: c.y - up * 0.5 * s))
            canvas.line(to: Point(x: c.x - 0.866 * s, y: c.y - up * 0.5 * s))
            canvas.closePath()
        case .diamond:
            let s = 1.25 * r
            canvas.move(to: Point(x: c.x, y: c.y - s))
            canvas.line(to: Point(x: c.x + 0.8 * s, y: c.y))
            canvas.line(to: Point(x: c.x, y: c.y + s))
            canvas.line(to: Point(x: c.x - 0.8 * s, y: c.y))
            canvas.closePath()
        case .plus, .cross:
            break
        }
    }

    /// Draws one marker in the current colour.
    public func draw(on canvas: Canvas, center c: Point, radius r: Double) {
        switch self {
        case .plus:
            canvas.setLineWidth(max(0.8, 0.45 * r))
            canvas.strokePolyline([Point(x: c.x - 1.2 * r, y: c.y), Point(x: c.x + 1.2 * r, y: c.y)])
            canvas.strokePolyline([Point(x: c.x, y: c.y - 1.2 * r), Point(x: c.x, y: c.y + 1.2 * r)])
        case .cross:
            canvas.setLineWidth(max(0.8, 0.45 * r))
            canvas.strokePolyline([Point(x: c.x - r, y: c.y - r), Point(x: c.x + r, y: c.y + r)])
            canvas.strokePolyline([Point(x: c.x - r, y: c.y + r), Point(x: c.x + r, y: c.y - r)])
        default:
            addPath(on: canvas, center: c, radius: r)
            canvas.fill()
        }
    }
}
