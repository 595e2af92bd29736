/// File formats a figure renders to.
public enum ImageFormat: String, CaseIterable, Sendable {
    case png
    case svg
    case pdf
}

/// A page of `rows × columns` panels (small multiples) with an optional title.
///
/// Size is in inches; PNG output is `width·dpi × height·dpi` pixels, SVG and PDF are
/// `width·72 × height·72` points. All layout is in points, computed by the same code for every
/// format. Margins are shared along each row and column and cells are sized so that every
/// plot area has the same size and panels line up. Rendering lives in the Cairo backend (`rasterize()`, `encoded(as:)`, `write(to:)`).
public final class Figure {
    public let rows: Int
    public let columns: Int
    /// Width in inches.
    public var width: Double
    /// Height in inches.
    public var height: Double
    /// Pixels per inch of the PNG rendering.
    public var dpi: Double
    public var title: String?
    public var style = FigureStyle()
    /// Panels in row-major order.
    public let panels: [Axes]

    public init(rows: Int = 1, columns: Int = 1, width: Double, height: Double, dpi: Double = 150, title: String? = nil) {
        precondition(rows > 0 && columns > 0, "a figure needs at least one panel")
        precondition(width > 0 && height > 0 && dpi > 0, "figure size and dpi must be positive")
        self.rows = rows
        self.columns = columns
        self.width = width
        self.height = height
        self.dpi = dpi
        self.title = title
        panels = (0..<(rows * columns)).map { _ in Axes() }
    }

    /// The panel in row `row` (from the top) and column `column` (from the left).
    public subscript(row: Int, column: Int) -> Axes {
        precondition(row >= 0 && row < rows && column >= 0 && column < columns, "no panel (\(row), \(column))")
        return panels[row * columns + column]
    }

    /// Page size in points.
    public var pageSize: Size { Size(width: width * 72, height: height * 72) }

    /// The plot-area rectangle of every panel, in points (row-major), as laid out on `canvas`.
    public func layout(on canvas: Canvas) -> [AxesLayout] {
        let page = Rect(x: 0, y: 0, width: pageSize.width, height: pageSize.height)
        var top = style.padding
        if let title {
            top += canvas.measure(title, style: TextStyle(fontSize: style.figureTitleFontSize, bold: true)).height + style.padding
        }
        let body = page.inset(left: style.padding, top: top, right: style.padding, bottom: style.padding)
        let xTarget = max(3, min(8, Int(body.width / Double(columns) / 55)))
        let yTarget = max(3, min(8, Int(body.height / Double(rows) / 40)))
        let plans = panels.map { $0.plan(on: canvas, style: style, xTickTarget: xTarget, yTickTarget: yTarget) }
        // Margins shared along each column (left, right) and each row (top, bottom); cells are
        // then sized so that every plot area has the same width and height.
        var left = [Double](repeating: 0, count: columns), right = left
        var above = [Double](repeating: 0, count: rows), below = above
        for (index, plan) in plans.enumerated() {
            let (r, c) = (index / columns, index % columns)
            left[c] = max(left[c], plan.margins.left)
            right[c] = max(right[c], plan.margins.right)
            above[r] = max(above[r], plan.margins.top)
            below[r] = max(below[r], plan.margins.bottom)
        }
        let frameWidth = max(1, (body.width - left.reduce(0, +) - right.reduce(0, +)) / Double(columns))
        let frameHeight = max(1, (body.height - above.reduce(0, +) - below.reduce(0, +)) / Double(rows))
        var cellX = [body.minX], cellY = [body.minY]
        for c in 0..<columns { cellX.append(cellX[c] + left[c] + frameWidth + right[c]) }
        for r in 0..<rows { cellY.append(cellY[r] + above[r] + frameHeight + below[r]) }
        return plans.enumerated().map { index, plan in
            let (r, c) = (index / columns, index % columns)
            let cell = Rect(x: cellX[c], y: cellY[r], width: cellX[c + 1] - cellX[c], height: cellY[r + 1] - cellY[r])
            var frame = Rect(x: cellX[c] + left[c], y: cellY[r] + above[r], width: frameWidth, height: frameHeight)
            if panels[index].equalAspect, plan.x.kind == .linear, plan.y.kind == .linear,
               plan.x.domain.span > 0, plan.y.domain.span > 0 {
                frame = frame.centered(aspectRatio: plan.x.domain.span / plan.y.domain.span)
            }
            return AxesLayout(plan: plan, cell: cell, transform: PlotTransform(xScale: plan.x, yScale: plan.y, frame: frame))
        }
    }

    /// Draws the whole figure on a canvas whose units are points.
    public func draw(on canvas: Canvas) {
        canvas.setColor(style.background)
        canvas.addRectangle(Rect(x: 0, y: 0, width: pageSize.width, height: pageSize.height))
        canvas.fill()
        if let title {
            let titleStyle = TextStyle(fontSize: style.figureTitleFontSize, bold: true, color: style.textColor)
            canvas.drawText(title, at: Point(x: pageSize.width / 2, y: style.padding),
                            style: Axes.fitted(title, style: titleStyle, width: pageSize.width - 2 * style.padding, on: canvas),
                            anchor: TextAnchor(.center, .top), angle: 0)
        }
        for (axes, layout) in zip(panels, layout(on: canvas)) {
            axes.draw(on: canvas, layout: layout, style: style)
        }
    }
}

/// Where one panel ended up: its cell, its plot area and data transform, and its tick plan.
public struct AxesLayout {
    public let plan: AxesPlan
    public let cell: Rect
    public let transform: PlotTransform
}
