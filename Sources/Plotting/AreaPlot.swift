/// The region between two curves lower(x) ≤ y ≤ upper(x), filled, with an optional edge
/// drawn along `upper`: a filled density curve (lower = 0) or an uncertainty band.
public struct AreaPlot: PlotElement {
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var fillColor: Color
    /// Colour of the line along `upper` (nil: no line).
    public var edgeColor: Color?
    public var edgeWidth: Double
    public var label: String?

    public init(x: [Double], lower: [Double], upper: [Double], fillColor: Color,
                edgeColor: Color? = nil, edgeWidth: Double = 1.5, label: String? = nil) {
        precondition(x.count == lower.count && x.count == upper.count, "an area needs x, lower and upper of one length")
        self.x = x
        self.lower = lower
        self.upper = upper
        self.fillColor = fillColor
        self.edgeColor = edgeColor
        self.edgeWidth = edgeWidth
        self.label = label
    }

    /// A density curve y = density(x) filled down to zero, edged in the solid colour.
    public static func density(x: [Double], density: [Double], color: Color = .categorical(0),
                               fillAlpha: Double = 0.3, label: String? = nil) -> AreaPlot {
        AreaPlot(x: x, lower: [Double](repeating: 0, count: x.count), upper: density,
                 fillColor: color.withAlpha(fillAlpha), edgeColor: color, label: label)
    }

    public var xBounds: Interval? { Interval.enclosing(x) }
    public var yBounds: Interval? {
        guard let l = Interval.enclosing(lower), let u = Interval.enclosing(upper) else { return nil }
        return l.union(u)
    }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, swatch: edgeColor.map { .line(color: $0, width: edgeWidth, dash: []) } ?? .patch(color: fillColor)) }
    }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        let indices = x.indices.filter { x[$0].isFinite && lower[$0].isFinite && upper[$0].isFinite }
        guard indices.count >= 2 else { return }
        canvas.setColor(fillColor)
        canvas.move(to: transform.point(x[indices[0]], upper[indices[0]]))
        for i in indices.dropFirst() { canvas.line(to: transform.point(x[i], upper[i])) }
        for i in indices.reversed() { canvas.line(to: transform.point(x[i], lower[i])) }
        canvas.closePath()
        canvas.fill()
        if let edgeColor {
            canvas.setColor(edgeColor)
            canvas.setLineWidth(edgeWidth)
            canvas.strokePolyline(indices.map { transform.point(x[$0], upper[$0]) })
        }
    }
}
