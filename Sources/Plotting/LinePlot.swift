/// A polyline through (x[i], y[i]); non-finite points break the line.
public struct LinePlot: PlotElement {
    public var x: [Double]
    public var y: [Double]
    public var color: Color
    /// Stroke width in points.
    public var width: Double
    /// Dash pattern in points (empty: solid).
    public var dash: [Double]
    public var label: String?
    /// A marker at every point (nil: none), of `markerRadius` points.
    public var marker: MarkerShape?
    public var markerRadius: Double

    public init(x: [Double], y: [Double], color: Color = .categorical(0), width: Double = 1.5,
                dash: [Double] = [], label: String? = nil, marker: MarkerShape? = nil, markerRadius: Double = 2.6) {
        precondition(x.count == y.count, "a line needs as many x as y values (\(x.count) vs \(y.count))")
        self.marker = marker
        self.markerRadius = markerRadius
        self.x = x
        self.y = y
        self.color = color
        self.width = width
        self.dash = dash
        self.label = label
    }

    public var xBounds: Interval? { Interval.enclosing(x) }
    public var yBounds: Interval? { Interval.enclosing(y) }

    public var legendEntry: LegendEntry? {
        label.map { text in
            if let marker { return LegendEntry(label: text, swatch: .lineWithMarker(color: color, width: width, dash: dash, marker: marker)) }
            return LegendEntry(label: text, swatch: .line(color: color, width: width, dash: dash))
        }
    }

    public func pointCount(in box: Rect, transform: PlotTransform) -> Int {
        Self.count(x: x, y: y, in: box, transform: transform)
    }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        drawLine(on: canvas, transform: transform)
        guard let marker else { return }
        canvas.setColor(color)
        for i in x.indices {
            let p = transform.point(x[i], y[i])
            if p.x.isFinite, p.y.isFinite { marker.draw(on: canvas, center: p, radius: markerRadius) }
        }
    }

    private func drawLine(on canvas: Canvas, transform: PlotTransform) {
        canvas.setColor(color)
        canvas.setLineWidth(width)
        canvas.setDash(dash)
        var run: [Point] = []
        for i in x.indices {
            let p = transform.point(x[i], y[i])
            if p.x.isFinite, p.y.isFinite {
                run.append(p)
            } else {
                canvas.strokePolyline(run)
                run.removeAll(keepingCapacity: true)
            }
        }
        canvas.strokePolyline(run)
        canvas.setDash([])
    }
}

/// A horizontal or vertical line across the whole plot area at a data value.
public struct ReferenceLine: PlotElement {
    public enum Orientation: Sendable { case horizontal, vertical }

    public var value: Double
    public var orientation: Orientation
    public var color: Color
    public var width: Double
    public var dash: [Double]
    public var label: String?

    public init(_ orientation: Orientation, at value: Double, color: Color = .gray, width: Double = 1,
                dash: [Double] = [4, 3], label: String? = nil) {
        self.orientation = orientation
        self.value = value
        self.color = color
        self.width = width
        self.dash = dash
        self.label = label
    }

    public var xBounds: Interval? { orientation == .vertical ? Interval(value, value) : nil }
    public var yBounds: Interval? { orientation == .horizontal ? Interval(value, value) : nil }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, swatch: .line(color: color, width: width, dash: dash)) }
    }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        let frame = transform.frame
        canvas.setColor(color)
        canvas.setLineWidth(width)
        canvas.setDash(dash)
        switch orientation {
        case .horizontal:
            let y = transform.surfaceY(value)
            canvas.strokePolyline([Point(x: frame.minX, y: y), Point(x: frame.maxX, y: y)])
        case .vertical:
            let x = transform.surfaceX(value)
            canvas.strokePolyline([Point(x: x, y: frame.minY), Point(x: x, y: frame.maxY)])
        }
        canvas.setDash([])
    }
}
