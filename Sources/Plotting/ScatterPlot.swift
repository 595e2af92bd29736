/// Filled circular markers at (x[i], y[i]), one colour or one colour per point.
///
/// Each marker is filled on its own, so overlapping translucent markers darken where points
/// are dense (the eye reads the density).
public struct ScatterPlot: PlotElement {
    public var x: [Double]
    public var y: [Double]
    /// Colour of every marker, unless `colors` is given.
    public var color: Color
    /// Optional colour per point (its alpha is replaced by `alpha`).
    public var colors: [Color]?
    /// Marker radius in points.
    public var radius: Double
    /// Marker opacity in [0, 1].
    public var alpha: Double
    public var label: String?
    public var marker: MarkerShape

    public init(x: [Double], y: [Double], color: Color = .categorical(0), colors: [Color]? = nil,
                radius: Double = 1.5, alpha: Double = 0.6, label: String? = nil, marker: MarkerShape = .circle) {
        self.marker = marker
        precondition(x.count == y.count, "a scatter needs as many x as y values (\(x.count) vs \(y.count))")
        precondition(colors == nil || colors!.count == x.count, "one colour per point")
        self.x = x
        self.y = y
        self.color = color
        self.colors = colors
        self.radius = radius
        self.alpha = alpha
        self.label = label
    }

    public var xBounds: Interval? { Interval.enclosing(x) }
    public var yBounds: Interval? { Interval.enclosing(y) }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, swatch: .marker(color: color.withAlpha(max(alpha, 0.8)), radius: max(radius, 2.5))) }
    }

    public func pointCount(in box: Rect, transform: PlotTransform) -> Int {
        Self.count(x: x, y: y, in: box, transform: transform)
    }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        if colors == nil { canvas.setColor(color.withAlpha(alpha)) }
        for i in x.indices {
            let p = transform.point(x[i], y[i])
            guard p.x.isFinite, p.y.isFinite else { continue }
            if let colors { canvas.setColor(colors[i].withAlpha(alpha)) }
            if marker == .circle {
                canvas.addCircle(center: p, radius: radius)
                canvas.fill()
            } else {
                marker.draw(on: canvas, center: p, radius: radius)
            }
        }
    }
}
