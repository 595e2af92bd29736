import NumericalCore

/// The lines of a (possibly deformed) grid: nodes `[rows, columns]` in two matrices `x` and
/// `y` (node (i, j) at (x[i, j], y[i, j])), joined along rows and along columns. Drawing the
/// image T(grid) of a regular grid shows how a transport map stretches and shears space.
/// Nodes with a non-finite coordinate are left out, breaking the lines through them.
public struct MeshPlot: PlotElement {
    public var x: Matrix
    public var y: Matrix
    public var color: Color
    public var width: Double
    public var label: String?

    public init(x: Matrix, y: Matrix, color: Color = .ink, width: Double = 0.7, label: String? = nil) {
        precondition(x.shape == y.shape, "mesh node coordinates must have one shape (\(x.shape) vs \(y.shape))")
        self.x = x
        self.y = y
        self.color = color
        self.width = width
        self.label = label
    }

    /// The regular grid of `rows × columns` nodes over the rectangle `xRange × yRange`,
    /// optionally moved by `map` (node (i, j) ↦ map(x_j, y_i)).
    public static func regular(x xRange: Interval, y yRange: Interval, rows: Int, columns: Int,
                               color: Color = .ink, width: Double = 0.7, label: String? = nil,
                               map: ((Double, Double) -> (Double, Double))? = nil) -> MeshPlot {
        var xs = Matrix(rows: rows, columns: columns)
        var ys = Matrix(rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0..<columns {
                let px = xRange.lower + xRange.span * Double(j) / Double(max(1, columns - 1))
                let py = yRange.lower + yRange.span * Double(i) / Double(max(1, rows - 1))
                let (mx, my) = map?(px, py) ?? (px, py)   // a map may return NaN to drop a node
                xs[i, j] = mx
                ys[i, j] = my
            }
        }
        return MeshPlot(x: xs, y: ys, color: color, width: width, label: label)
    }

    public var xBounds: Interval? { Interval.enclosing(x.elements) }
    public var yBounds: Interval? { Interval.enclosing(y.elements) }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, swatch: .line(color: color, width: width, dash: [])) }
    }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        canvas.setColor(color)
        canvas.setLineWidth(width)
        for i in 0..<x.rows { strokeBroken((0..<x.columns).map { transform.point(x[i, $0], y[i, $0]) }, on: canvas) }
        for j in 0..<x.columns { strokeBroken((0..<x.rows).map { transform.point(x[$0, j], y[$0, j]) }, on: canvas) }
    }

    /// Strokes the runs of finite points: a node at NaN (e.g. outside a density's support) breaks the line.
    private func strokeBroken(_ points: [Point], on canvas: Canvas) {
        var run: [Point] = []
        for p in points {
            if p.x.isFinite, p.y.isFinite { run.append(p) } else { canvas.strokePolyline(run); run.removeAll() }
        }
        canvas.strokePolyline(run)
    }
}
