import NumericalCore

/// Values on a regular grid shown as coloured cells (imshow).
///
/// `values` is `[ny, nx]`, row-major; row i holds the cells at height
/// y.lower + (i + ½)·Δy (row 0 at the bottom), column j the cells at x.lower + (j + ½)·Δx,
/// so `x` and `y` are the outer edges of the cell grid. Linear axes only.
public struct Heatmap: PlotElement {
    public var values: Matrix
    public var x: Interval
    public var y: Interval
    public var colormap: Colormap
    /// Values mapped to the ends of the colour map (default: the finite min and max).
    public var range: Interval
    /// Bilinear smoothing between cells (else sharp cells).
    public var smooth: Bool

    public init(values: Matrix, x: Interval, y: Interval, colormap: Colormap = .viridis,
                range: Interval? = nil, smooth: Bool = false) {
        self.values = values
        self.x = x
        self.y = y
        self.colormap = colormap
        self.range = range ?? Interval.enclosing(values.elements) ?? Interval(0, 1)
        self.smooth = smooth
    }

    public var xBounds: Interval? { x }
    public var yBounds: Interval? { y }
    public var fitsTightly: Bool { true }

    /// The cells as pixels: image row 0 is the top grid row.
    public func image() -> RGBAImage {
        let (ny, nx) = (values.rows, values.columns)
        let table = colormap.byteTable()
        let invalid = colormap.invalidColor.bytes
        let scale = range.span > 0 ? Double(table.count - 1) / range.span : 0
        var bytes = [UInt8](repeating: 0, count: nx * ny * 4)
        values.elements.withUnsafeBufferPointer { v in
            for row in 0..<ny {
                let source = (ny - 1 - row) * nx
                for column in 0..<nx {
                    let value = v[source + column]
                    let o = 4 * (row * nx + column)
                    if value.isFinite {
                        let index = Int(max(0, min(Double(table.count - 1), ((value - range.lower) * scale).rounded())))
                        let c = table[index]
                        bytes[o] = c.0
                        bytes[o + 1] = c.1
                        bytes[o + 2] = c.2
                        bytes[o + 3] = c.3
                    } else {
                        bytes[o] = invalid.red
                        bytes[o + 1] = invalid.green
                        bytes[o + 2] = invalid.blue
                        bytes[o + 3] = invalid.alpha
                    }
                }
            }
        }
        return RGBAImage(width: nx, height: ny, bytes: bytes)
    }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        guard values.rows > 0, values.columns > 0 else { return }
        let topLeft = transform.point(x.lower, y.upper)
        let bottomRight = transform.point(x.upper, y.lower)
        let rect = Rect(x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y)
        canvas.drawImage(image(), in: rect, smooth: smooth)
    }
}
