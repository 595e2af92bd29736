/// A vertical colour bar to the right of a panel: the colour map over `range`, ticked and
/// labelled (e.g. "density" or "time t").
public struct ColorBar: Equatable, Sendable {
    public var colormap: Colormap
    public var range: Interval
    public var label: String?

    public init(colormap: Colormap, range: Interval, label: String? = nil) {
        self.colormap = colormap
        self.range = range
        self.label = label
    }

    /// Tick values and their labels.
    public var ticks: (values: [Double], labels: [String]) {
        let values = NiceTicks.linear(range, targetCount: 4)
        return (values, TickFormatter.linearLabels(values))
    }

    /// Width the bar, its ticks and labels take to the right of the plot area.
    func width(on canvas: Canvas, style: FigureStyle) -> Double {
        let tickStyle = TextStyle(fontSize: style.tickFontSize)
        let labelWidth = ticks.labels.map { canvas.measure($0, style: tickStyle).width }.max() ?? 0
        let title = label.map { canvas.measure($0, style: TextStyle(fontSize: style.labelFontSize)).height + 4 } ?? 0
        return style.colorBarGap + style.colorBarWidth + style.tickLength + 2 + labelWidth + title + 2
    }

    /// Draws the bar beside `frame` (its full height).
    func draw(on canvas: Canvas, beside frame: Rect, style: FigureStyle) {
        let bar = Rect(x: frame.maxX + style.colorBarGap, y: frame.minY, width: style.colorBarWidth, height: frame.height)
        let steps = 256
        let image = RGBAImage(gray: (0..<steps).map { 1 - Double($0) / Double(steps - 1) }, width: 1, height: steps,
                              colormap: colormap)
        canvas.drawImage(image, in: bar, smooth: true)
        canvas.setColor(style.axisColor)
        canvas.setLineWidth(style.axisLineWidth)
        canvas.addRectangle(bar)
        canvas.stroke()

        let tickStyle = TextStyle(fontSize: style.tickFontSize, color: style.textColor)
        var labelRight = bar.maxX
        let scale = Scale(.linear, domain: range)
        for (value, text) in zip(ticks.values, ticks.labels) {
            let y = bar.maxY - scale.normalized(value) * bar.height
            canvas.strokePolyline([Point(x: bar.maxX, y: y), Point(x: bar.maxX + style.tickLength, y: y)])
            let anchorPoint = Point(x: bar.maxX + style.tickLength + 2, y: y)
            canvas.drawText(text, at: anchorPoint, style: tickStyle, anchor: TextAnchor(.left, .center), angle: 0)
            labelRight = max(labelRight, anchorPoint.x + canvas.measure(text, style: tickStyle).width)
        }
        if let label {
            let labelStyle = TextStyle(fontSize: style.labelFontSize, color: style.textColor)
            canvas.drawText(label, at: Point(x: labelRight + 4, y: bar.center.y), style: labelStyle,
                            anchor: TextAnchor(.center, .top), angle: Double.pi / 2)
        }
    }
}
