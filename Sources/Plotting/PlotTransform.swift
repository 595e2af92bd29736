/// The data-to-surface transform of one plot area: x and y scales map data to [0, 1],
/// then to the plot rectangle with y flipped (larger data y is higher on the page).
///
/// `point(x, y)` = (frame.minX + sx(x)·frame.width, frame.maxY − sy(y)·frame.height).
public struct PlotTransform: Equatable, Sendable {
    public var xScale: Scale
    public var yScale: Scale
    /// The plot area on the surface, in points.
    public var frame: Rect

    public init(xScale: Scale, yScale: Scale, frame: Rect) {
        self.xScale = xScale
        self.yScale = yScale
        self.frame = frame
    }

    /// The surface position of a data point.
    public func point(_ x: Double, _ y: Double) -> Point {
        Point(x: frame.minX + xScale.normalized(x) * frame.width,
              y: frame.maxY - yScale.normalized(y) * frame.height)
    }

    /// The data coordinates of a surface position (the inverse of `point`).
    public func dataCoordinates(of p: Point) -> (x: Double, y: Double) {
        (xScale.value(atNormalized: (p.x - frame.minX) / frame.width),
         yScale.value(atNormalized: (frame.maxY - p.y) / frame.height))
    }

    /// Surface x of a data x.
    public func surfaceX(_ x: Double) -> Double { frame.minX + xScale.normalized(x) * frame.width }

    /// Surface y of a data y.
    public func surfaceY(_ y: Double) -> Double { frame.maxY - yScale.normalized(y) * frame.height }

    /// Points per data unit along x and y (linear scales only; meaningful for arrows and aspect).
    public var pointsPerUnit: (x: Double, y: Double) {
        (frame.width / max(xScale.domain.span, .leastNonzeroMagnitude),
         frame.height / max(yScale.domain.span, .leastNonzeroMagnitude))
    }
}
