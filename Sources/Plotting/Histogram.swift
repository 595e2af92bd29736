/// Bars of counts (or of a density) over equal-width bins.
///
/// With `normalized`, bar heights are count / (n · width), so the bars integrate to one and
/// can be compared with a density curve. Values outside the bin range are ignored.
public struct Histogram: PlotElement {
    /// Bin edges, `binCount + 1` increasing values.
    public let edges: [Double]
    /// Bar heights, one per bin.
    public let heights: [Double]
    public var color: Color
    public var label: String?

    public init(values: [Double], binCount: Int = 30, range: Interval? = nil, normalized: Bool = true,
                color: Color = .categorical(0).withAlpha(0.45), label: String? = nil) {
        precondition(binCount > 0, "a histogram needs at least one bin")
        let span = range ?? Interval.enclosing(values)?.padded(by: 1e-9) ?? Interval(0, 1)
        let width = span.span / Double(binCount)
        var counts = [Double](repeating: 0, count: binCount)
        var total = 0
        for v in values where v.isFinite && v >= span.lower && v <= span.upper {
            counts[min(binCount - 1, Int((v - span.lower) / width))] += 1
            total += 1
        }
        let scale = normalized && total > 0 ? 1 / (Double(values.count) * width) : 1
        edges = (0...binCount).map { span.lower + Double($0) * width }
        heights = counts.map { $0 * scale }
        self.color = color
        self.label = label
    }

    public var xBounds: Interval? { Interval(edges.first!, edges.last!) }
    public var yBounds: Interval? { Interval(0, heights.max() ?? 1) }

    public var legendEntry: LegendEntry? { label.map { LegendEntry(label: $0, swatch: .patch(color: color)) } }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        canvas.setColor(color)
        for (k, h) in heights.enumerated() where h > 0 {
            let topLeft = transform.point(edges[k], h)
            let bottomRight = transform.point(edges[k + 1], 0)
            canvas.addRectangle(Rect(x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x,
                                     height: bottomRight.y - topLeft.y))
        }
        canvas.fill()
    }
}
