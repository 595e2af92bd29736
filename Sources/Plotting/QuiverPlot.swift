import Foundation

/// Arrows from points x to points T(x), in data coordinates (no rescaling of lengths): the
/// picture of a transport map. Arrowheads have a fixed size in points, shrunk for short arrows.
public struct QuiverPlot: PlotElement {
    public var startX: [Double]
    public var startY: [Double]
    public var endX: [Double]
    public var endY: [Double]
    public var color: Color
    /// Shaft width in points.
    public var width: Double
    /// Arrowhead length in points (at most 40 % of the arrow).
    public var headLength: Double
    public var label: String?

    public init(startX: [Double], startY: [Double], endX: [Double], endY: [Double],
                color: Color = .ink, width: Double = 0.8, headLength: Double = 4.5, label: String? = nil) {
        precondition(Set([startX.count, startY.count, endX.count, endY.count]).count == 1,
                     "arrows need as many starts as ends")
        self.startX = startX
        self.startY = startY
        self.endX = endX
        self.endY = endY
        self.color = color
        self.width = width
        self.headLength = headLength
        self.label = label
    }

    public var xBounds: Interval? { Interval.enclosing(startX + endX) }
    public var yBounds: Interval? { Interval.enclosing(startY + endY) }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, swatch: .line(color: color, width: width, dash: [])) }
    }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        canvas.setColor(color)
        canvas.setLineWidth(width)
        for i in startX.indices {
            let a = transform.point(startX[i], startY[i])
            let b = transform.point(endX[i], endY[i])
            let length = a.distance(to: b)
            guard length.isFinite else { continue }
            guard length > 0.5 else {
                canvas.addCircle(center: a, radius: width)
                canvas.fill()
                continue
            }
            let head = min(headLength, 0.4 * length)
            let (ux, uy) = ((b.x - a.x) / length, (b.y - a.y) / length)
            let base = Point(x: b.x - ux * head, y: b.y - uy * head)
            canvas.strokePolyline([a, base])
            // A filled triangle: tip at b, half-width 0.45·head.
            let half = 0.45 * head
            canvas.move(to: b)
            canvas.line(to: Point(x: base.x - uy * half, y: base.y + ux * half))
            canvas.line(to: Point(x: base.x + uy * half, y: base.y - ux * half))
            canvas.closePath()
            canvas.fill()
        }
    }
}
