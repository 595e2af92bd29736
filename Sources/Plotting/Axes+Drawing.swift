/// What a panel needs before the figure can place it: scales, ticks, labels and the margins
/// around its plot area (room for tick labels, axis labels, title and colour bar).
public struct AxesPlan {
    public struct Margins: Equatable {
        public var left, top, right, bottom: Double
    }

    public let x: Scale
    public let y: Scale
    public let xTicks: [Double]
    public let yTicks: [Double]
    public let xTickLabels: [String]
    public let yTickLabels: [String]
    public let margins: Margins
}

extension Axes {
    /// Scales, ticks and margins of this panel as it would be drawn on `canvas`.
    public func plan(on canvas: Canvas, style: FigureStyle, xTickTarget: Int = 5, yTickTarget: Int = 5) -> AxesPlan {
        let (x, y) = resolvedScales()
        let xTicks = showsAxes ? x.ticks(targetCount: xTickTarget) : []
        let yTicks = showsAxes ? y.ticks(targetCount: yTickTarget) : []
        let xLabels = x.labels(for: xTicks)
        let yLabels = y.labels(for: yTicks)
        let tickStyle = TextStyle(fontSize: style.tickFontSize)
        let labelHeight = canvas.measure("Ag", style: TextStyle(fontSize: style.labelFontSize)).height
        let tickHeight = canvas.measure("0", style: tickStyle).height
        let gap = style.padding / 2

        var left = gap, bottom = gap, right = style.padding, top = gap
        if showsAxes {
            let widest = yLabels.map { canvas.measure($0, style: tickStyle).width }.max() ?? 0
            left = style.tickLength + 2 + widest + gap
            bottom = style.tickLength + 2 + tickHeight + gap
            // The last x tick label may stick out to the right of the frame by half its width.
            let lastHalf = (xLabels.last.map { canvas.measure($0, style: tickStyle).width } ?? 0) / 2
            right = max(right, lastHalf + 2)
        }
        if yLabel != nil { left += labelHeight + gap }
        if xLabel != nil { bottom += labelHeight + gap }
        if let title {
            top += canvas.measure(title, style: TextStyle(fontSize: style.titleFontSize)).height + gap
        }
        if let colorBar { right = max(right, colorBar.width(on: canvas, style: style) + 4) }
        if showsLegend, legendPlacement == .below {
            let rows = elements.compactMap(\.legendEntry).count
            if rows > 0 { bottom += Double(rows) * legendRowHeight(on: canvas, style: style) + 5 + gap }
        }
        return AxesPlan(x: x, y: y, xTicks: xTicks, yTicks: yTicks, xTickLabels: xLabels, yTickLabels: yLabels,
                        margins: .init(left: left, top: top, right: right, bottom: bottom))
    }

    /// Draws the panel into the place the figure gave it.
    func draw(on canvas: Canvas, layout: AxesLayout, style: FigureStyle) {
        let frame = layout.transform.frame
        let plan = layout.plan
        guard frame.width > 1, frame.height > 1 else { return }
        if let background {
            canvas.setColor(background)
            canvas.addRectangle(frame)
            canvas.fill()
        }
        if showsGrid { drawGrid(on: canvas, layout: layout, style: style) }

        canvas.saveState()
        canvas.clip(to: frame)
        for element in elements { element.draw(on: canvas, transform: layout.transform) }
        canvas.restoreState()

        if showsAxes { drawFrameAndTicks(on: canvas, layout: layout, style: style) }
        let labelStyle = TextStyle(fontSize: style.labelFontSize, color: style.textColor)
        let gap = style.padding / 2
        if let xLabel {
            let fitted = Self.fitted(xLabel, style: labelStyle, width: layout.cell.width, on: canvas)
            // Just below the tick labels (not at the cell bottom: an equal-aspect frame may be shorter).
            let tickHeight = showsAxes ? style.tickLength + 2 + canvas.measure("0", style: TextStyle(fontSize: style.tickFontSize)).height : 0
            canvas.drawText(xLabel, at: Point(x: frame.center.x, y: frame.maxY + tickHeight + gap), style: fitted,
                            anchor: TextAnchor(.center, .top), angle: 0)
        }
        if let yLabel {
            let fitted = Self.fitted(yLabel, style: labelStyle, width: layout.cell.height, on: canvas)
            let leftEdge = frame.minX - plan.margins.left + gap / 2
            canvas.drawText(yLabel, at: Point(x: max(layout.cell.minX, leftEdge) + gap / 2, y: frame.center.y),
                            style: fitted, anchor: TextAnchor(.center, .top), angle: Double.pi / 2)
        }
        if let title {
            let titleStyle = Self.fitted(title, style: TextStyle(fontSize: style.titleFontSize, color: style.textColor),
                                         width: layout.cell.width - 4, on: canvas)
            canvas.drawText(title, at: Point(x: frame.center.x, y: frame.minY - gap), style: titleStyle,
                            anchor: TextAnchor(.center, .bottom), angle: 0)
        }
        if showsLegend { drawLegend(on: canvas, transform: layout.transform, cell: layout.cell, style: style) }
        colorBar?.draw(on: canvas, beside: frame, style: style)
    }

    /// The style with its font shrunk (down to 60 %) so that `text` fits in `width`; text
    /// longer than that still overflows (shorten it).
    static func fitted(_ text: String, style: TextStyle, width: Double, on canvas: Canvas) -> TextStyle {
        let measured = canvas.measure(text, style: style).width
        guard measured > width, measured > 0 else { return style }
        var smaller = style
        smaller.fontSize = max(style.fontSize * 0.6, style.fontSize * width / measured)
        return smaller
    }

    private func drawGrid(on canvas: Canvas, layout: AxesLayout, style: FigureStyle) {
        let frame = layout.transform.frame
        canvas.setColor(style.gridColor)
        canvas.setLineWidth(0.6)
        for t in layout.plan.xTicks {
            let x = layout.transform.surfaceX(t)
            canvas.strokePolyline([Point(x: x, y: frame.minY), Point(x: x, y: frame.maxY)])
        }
        for t in layout.plan.yTicks {
            let y = layout.transform.surfaceY(t)
            canvas.strokePolyline([Point(x: frame.minX, y: y), Point(x: frame.maxX, y: y)])
        }
    }

    private func drawFrameAndTicks(on canvas: Canvas, layout: AxesLayout, style: FigureStyle) {
        let frame = layout.transform.frame
        let plan = layout.plan
        canvas.setColor(style.axisColor)
        canvas.setLineWidth(style.axisLineWidth)
        canvas.addRectangle(frame)
        canvas.stroke()
        let tickStyle = TextStyle(fontSize: style.tickFontSize, color: style.textColor)
        for (t, text) in zip(plan.xTicks, plan.xTickLabels) {
            let x = layout.transform.surfaceX(t)
            guard x >= frame.minX - 0.5, x <= frame.maxX + 0.5 else { continue }
            canvas.strokePolyline([Point(x: x, y: frame.maxY), Point(x: x, y: frame.maxY + style.tickLength)])
            canvas.drawText(text, at: Point(x: x, y: frame.maxY + style.tickLength + 2), style: tickStyle,
                            anchor: TextAnchor(.center, .top), angle: 0)
        }
        for (t, text) in zip(plan.yTicks, plan.yTickLabels) {
            let y = layout.transform.surfaceY(t)
            guard y >= frame.minY - 0.5, y <= frame.maxY + 0.5 else { continue }
            canvas.strokePolyline([Point(x: frame.minX - style.tickLength, y: y), Point(x: frame.minX, y: y)])
            canvas.drawText(text, at: Point(x: frame.minX - style.tickLength - 2, y: y), style: tickStyle,
                            anchor: TextAnchor(.right, .center), angle: 0)
        }
    }

    private func legendRowHeight(on canvas: Canvas, style: FigureStyle) -> Double {
        canvas.measure("Ag", style: TextStyle(fontSize: style.legendFontSize)).height + 2
    }

    private func drawLegend(on canvas: Canvas, transform: PlotTransform, cell: Rect, style: FigureStyle) {
        let frame = transform.frame
        var entries = elements.compactMap(\.legendEntry)
        guard !entries.isEmpty else { return }
        let textStyle = TextStyle(fontSize: style.legendFontSize, color: style.textColor)
        let rowHeight = legendRowHeight(on: canvas, style: style)
        // A legend never outgrows the plot area: the rows that do not fit become "… n more".
        let fitting = max(1, Int((frame.height - 13) / rowHeight))
        if legendPlacement != .below, entries.count > fitting {
            let hidden = entries.count - (fitting - 1)
            entries = Array(entries.prefix(fitting - 1)) + [LegendEntry(label: "… \(hidden) more", swatch: .none)]
        }
        let swatchWidth = 16.0
        let labelWidth = entries.map { canvas.measure($0.label, style: textStyle).width }.max() ?? 0
        let size = Size(width: 4 + swatchWidth + 4 + labelWidth + 5, height: Double(entries.count) * rowHeight + 5)
        let inset = 4.0
        func box(at corner: LegendPlacement) -> Rect {
            let x = (corner == .topLeft || corner == .bottomLeft) ? frame.minX + inset : frame.maxX - inset - size.width
            let y = (corner == .topLeft || corner == .topRight) ? frame.minY + inset : frame.maxY - inset - size.height
            return Rect(x: x, y: y, width: size.width, height: size.height)
        }
        var corner = legendPlacement
        if corner == .best {
            // The first corner (top right, top left, bottom right, bottom left) hiding the fewest points.
            let candidates: [LegendPlacement] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
            let hidden = candidates.map { c in elements.reduce(0) { $0 + $1.pointCount(in: box(at: c), transform: transform) } }
            corner = candidates[hidden.firstIndex(of: hidden.min()!)!]
        }
        var box = box(at: corner)
        if corner == .below {
            // Under the tick labels and the x label, aligned with the frame's left edge.
            let tickHeight = showsAxes ? style.tickLength + 2 + canvas.measure("0", style: TextStyle(fontSize: style.tickFontSize)).height : 0
            let labelHeight = xLabel == nil ? 0 : canvas.measure("Ag", style: TextStyle(fontSize: style.labelFontSize)).height + style.padding / 2
            // Shifted left, up to the cell's left edge, when it would run past the cell's right edge.
            let x = max(cell.minX, min(frame.minX, cell.maxX - size.width))
            box = Rect(x: x, y: frame.maxY + tickHeight + labelHeight + style.padding / 2, width: size.width, height: size.height)
        }
        canvas.setColor(Color.white.withAlpha(0.85))
        canvas.addRectangle(box)
        canvas.fill()
        canvas.setColor(Color.lightGray)
        canvas.setLineWidth(0.6)
        canvas.addRectangle(box)
        canvas.stroke()
        for (k, entry) in entries.enumerated() {
            let centreY = box.minY + 2.5 + (Double(k) + 0.5) * rowHeight
            let left = box.minX + 4
            switch entry.swatch {
            case let .line(color, width, dash):
                canvas.setColor(color)
                canvas.setLineWidth(width)
                canvas.setDash(dash)
                canvas.strokePolyline([Point(x: left, y: centreY), Point(x: left + swatchWidth, y: centreY)])
                canvas.setDash([])
            case let .lineWithMarker(color, width, dash, marker):
                canvas.setColor(color)
                canvas.setLineWidth(width)
                canvas.setDash(dash)
                canvas.strokePolyline([Point(x: left, y: centreY), Point(x: left + swatchWidth, y: centreY)])
                canvas.setDash([])
                marker.draw(on: canvas, center: Point(x: left + swatchWidth / 2, y: centreY), radius: min(3, rowHeight * 0.3))
            case let .marker(color, radius):
                canvas.setColor(color)
                canvas.addCircle(center: Point(x: left + swatchWidth / 2, y: centreY), radius: radius)
                canvas.fill()
            case .none:
                break
            case let .patch(color):
                canvas.setColor(color)
                canvas.addRectangle(Rect(x: left + 2, y: centreY - rowHeight * 0.3, width: swatchWidth - 4, height: rowHeight * 0.6))
                canvas.fill()
            }
            canvas.drawText(entry.label, at: Point(x: left + swatchWidth + 4, y: centreY), style: textStyle,
                            anchor: TextAnchor(.left, .center), angle: 0)
        }
    }
}
