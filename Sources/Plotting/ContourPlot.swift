import NumericalCore

/// Contour lines of gridded values (marching squares), one stroke per level.
///
/// Same grid convention as `Heatmap`: `values` is `[ny, nx]` at the cell centres of the
/// rectangle `x × y`, row 0 at the bottom, so a contour drawn over a heatmap of the same
/// values lines up with its cells.
public struct ContourPlot: PlotElement {
    public var values: Matrix
    public var x: Interval
    public var y: Interval
    public var levels: [Double]
    /// Colour of every level, unless `colormap` is set.
    public var color: Color
    /// Colours the levels by their value over the levels' range.
    public var colormap: Colormap?
    public var width: Double
    /// Dash pattern in points (empty: solid); dashed contours mark a target density.
    public var dash: [Double]
    public var label: String?

    public init(values: Matrix, x: Interval, y: Interval, levels: [Double], color: Color = .white,
                colormap: Colormap? = nil, width: Double = 0.8, dash: [Double] = [], label: String? = nil) {
        self.dash = dash
        self.label = label
        self.values = values
        self.x = x
        self.y = y
        self.levels = levels
        self.color = color
        self.colormap = colormap
        self.width = width
    }

    /// `count` levels evenly spaced strictly inside the range of the finite values.
    public static func evenLevels(of values: Matrix, count: Int) -> [Double] {
        guard let range = Interval.enclosing(values.elements), range.span > 0, count > 0 else { return [] }
        return (1...count).map { range.lower + range.span * Double($0) / Double(count + 1) }
    }

    public var xBounds: Interval? { x }
    public var yBounds: Interval? { y }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, swatch: .line(color: color, width: width, dash: dash)) }
    }

    /// Cell-centre coordinates along x and y.
    public var centres: (xs: [Double], ys: [Double]) {
        let dx = x.span / Double(values.columns)
        let dy = y.span / Double(values.rows)
        return ((0..<values.columns).map { x.lower + (Double($0) + 0.5) * dx },
                (0..<values.rows).map { y.lower + (Double($0) + 0.5) * dy })
    }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        let (xs, ys) = centres
        let levelRange = Interval.enclosing(levels) ?? Interval(0, 1)
        canvas.setLineWidth(width)
        canvas.setDash(dash)
        defer { canvas.setDash([]) }
        for level in levels {
            canvas.setColor(colormap?.color(for: level, in: levelRange) ?? color)
            if dash.isEmpty {
                for segment in MarchingSquares.segments(values: values, xs: xs, ys: ys, level: level) {
                    canvas.move(to: transform.point(segment.start.x, segment.start.y))
                    canvas.line(to: transform.point(segment.end.x, segment.end.y))
                }
            } else {
                for line in MarchingSquares.polylines(values: values, xs: xs, ys: ys, level: level) {
                    canvas.move(to: transform.point(line[0].x, line[0].y))
                    for p in line.dropFirst() { canvas.line(to: transform.point(p.x, p.y)) }
                }
            }
            canvas.stroke()
        }
    }
}
