/// Something drawn inside the plot area of an `Axes`: a line, a heatmap, arrows, ….
///
/// An element reports the data ranges it wants visible (the axes take their union when no
/// limits are set) and draws itself through a `PlotTransform` onto a `Canvas`, with the plot
/// area as the clip.
public protocol PlotElement {
    /// x range the element occupies, or nil to have no say.
    var xBounds: Interval? { get }
    /// y range the element occupies, or nil to have no say.
    var yBounds: Interval? { get }
    /// True for rasters (heatmaps, images) that should fill the plot area exactly: the axes
    /// then add no padding around the data.
    var fitsTightly: Bool { get }
    /// What the legend shows for this element, if anything.
    var legendEntry: LegendEntry? { get }
    /// Draws the element; the canvas is already clipped to `transform.frame`.
    func draw(on canvas: Canvas, transform: PlotTransform)
    /// How many of the element's data points fall inside `box` (surface coordinates): the
    /// legend goes to the corner that hides the fewest.
    func pointCount(in box: Rect, transform: PlotTransform) -> Int
}

extension PlotElement {
    public var fitsTightly: Bool { false }
    public var legendEntry: LegendEntry? { nil }
    public func pointCount(in box: Rect, transform: PlotTransform) -> Int { 0 }

    /// Points (x[i], y[i]) that land inside `box`.
    static func count(x: [Double], y: [Double], in box: Rect, transform: PlotTransform) -> Int {
        var n = 0
        for i in x.indices {
            let p = transform.point(x[i], y[i])
            if p.x >= box.minX, p.x <= box.maxX, p.y >= box.minY, p.y <= box.maxY { n += 1 }
        }
        return n
    }
}

/// One row of a legend: a label and the sample drawn beside it.
public struct LegendEntry: Equatable, Sendable {
    public enum Swatch: Equatable, Sendable {
        case line(color: Color, width: Double, dash: [Double])
        /// A line sample with a marker in its middle.
        case lineWithMarker(color: Color, width: Double, dash: [Double], marker: MarkerShape)
        case marker(color: Color, radius: Double)
        case patch(color: Color)
        /// Text only (e.g. "… 12 more").
        case none
    }

    public var label: String
    public var swatch: Swatch

    public init(label: String, swatch: Swatch) {
        self.label = label
        self.swatch = swatch
    }
}

/// A legend line with no drawing: a note such as "exact metric, no sampling floor".
public struct LegendNote: PlotElement {
    public var label: String

    public init(_ label: String) {
        self.label = label
    }

    public var xBounds: Interval? { nil }
    public var yBounds: Interval? { nil }
    public var legendEntry: LegendEntry? { LegendEntry(label: label, swatch: .none) }
    public func draw(on canvas: Canvas, transform: PlotTransform) {}
}
