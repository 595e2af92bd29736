/// Images tiled row by row in a grid (e.g. generated samples of an image run).
///
/// In data coordinates tile k sits in the unit square [c, c + 1] × [R − r − 1, R − r] with
/// r = k / columns, c = k % columns, R the number of rows, so put it in axes with equal aspect
/// and hidden axes (`Axes.showImageGrid` does both).
public struct ImageGrid: PlotElement {
    public var images: [RGBAImage]
    public var columns: Int
    /// Gap between tiles, as a fraction of a tile.
    public var gap: Double
    /// Sharp pixels (true) or bilinear smoothing.
    public var pixelated: Bool

    public init(images: [RGBAImage], columns: Int, gap: Double = 0.06, pixelated: Bool = true) {
        precondition(columns > 0, "an image grid needs at least one column")
        self.images = images
        self.columns = columns
        self.gap = gap
        self.pixelated = pixelated
    }

    public var rows: Int { max(1, (images.count + columns - 1) / columns) }

    public var xBounds: Interval? { Interval(0, Double(min(columns, max(1, images.count)))) }
    public var yBounds: Interval? { Interval(0, Double(rows)) }
    public var fitsTightly: Bool { true }

    public func draw(on canvas: Canvas, transform: PlotTransform) {
        for (k, image) in images.enumerated() {
            let r = Double(k / columns)
            let c = Double(k % columns)
            let top = Double(rows) - r
            let a = transform.point(c + gap / 2, top - gap / 2)
            let b = transform.point(c + 1 - gap / 2, top - 1 + gap / 2)
            canvas.drawImage(image, in: Rect(x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y), smooth: !pixelated)
        }
    }
}
