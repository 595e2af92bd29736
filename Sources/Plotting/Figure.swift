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
/// format. Panel margins are the largest any panel needs, so that panels of a row or column
/// line up. Rendering lives in the Cairo backend (`rasterize()`, `encoded(as:)`, `write(to:)`).
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
        let cellWidth = body.width / Double(columns)
        let cellHeight = body.height / Double(rows)
        let xTarget = max(3, min(8, Int(cellWidth / 55)))
        let yTarget = max(3, min(8, Int(cellHeight / 40)))
        let plans = panels.map { $0.plan(on: canvas, style: style, xTickTarget: xTarget, yTickTarget: yTarget) }
        var margins = AxesPlan.Margins(left: 0, top: 0, right: 0, bottom: 0)
        for plan in plans {
            margins.left = max(margins.left, plan.margins.left)
            margins.top = max(margins.top, plan.margins.top)
            margins.right = max(margins.right, plan.margins.right)
            margins.bottom = max(margins.bottom, plan.margins.bottom)
        }
        return plans.enumerated().map { index, plan in
            let cell = Rect(x: body.minX + Double(index % columns) * cellWidth,
                            y: body.minY + Double(index / columns) * cellHeight,
                            width: cellWidth, height: cellHeight)
            var frame = cell.inset(left: margins.left, top: margins.top, right: margins.right, bottom: margins.bottom)
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
            canvas.drawText(title, at: Point(x: pageSize.width / 2, y: style.padding),
                            style: TextStyle(fontSize: style.figureTitleFontSize, bold: true, color: style.textColor),
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
