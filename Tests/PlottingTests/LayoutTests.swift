import Foundation
import NumericalCore
import Plotting
import XCTest
import _TestSupport

/// A canvas that draws nothing and records where text goes, with DejaVu-like metrics
/// (advance 0.62 em per character, ascent 0.93 em, descent 0.24 em): the geometry of a
/// layout, checked without rendering.
final class RecordingCanvas: Canvas {
    struct TextBox { let text: String; let minX, minY, maxX, maxY: Double }
    private(set) var texts: [TextBox] = []
    private(set) var images = 0

    func saveState() {}
    func restoreState() {}
    func setColor(_ color: Color) {}
    func setLineWidth(_ width: Double) {}
    func setDash(_ lengths: [Double]) {}
    func move(to point: Point) {}
    func line(to point: Point) {}
    func closePath() {}
    func addRectangle(_ rect: Rect) {}
    func addCircle(center: Point, radius: Double) {}
    func fill() {}
    func stroke() {}
    func clip(to rect: Rect) {}
    func drawImage(_ image: RGBAImage, in rect: Rect, smooth: Bool) { images += 1 }

    func measure(_ text: String, style: TextStyle) -> TextMetrics {
        TextMetrics(width: 0.62 * style.fontSize * Double(text.count), ascent: 0.93 * style.fontSize, descent: 0.24 * style.fontSize)
    }

    func drawText(_ text: String, at point: Point, style: TextStyle, anchor: TextAnchor, angle: Double) {
        let metrics = measure(text, style: style)
        let origin = anchor.originOffset(for: metrics)
        // Corners of the unrotated box relative to the anchor, then rotated (y down, angle counter-clockwise).
        let corners = [(origin.x, origin.y - metrics.ascent), (origin.x + metrics.width, origin.y - metrics.ascent),
                       (origin.x, origin.y + metrics.descent), (origin.x + metrics.width, origin.y + metrics.descent)]
        let rotated = corners.map { (x, y) in
            (point.x + x * cos(angle) + y * sin(angle), point.y - x * sin(angle) + y * cos(angle))
        }
        texts.append(TextBox(text: text, minX: rotated.map(\.0).min()!, minY: rotated.map(\.1).min()!,
                             maxX: rotated.map(\.0).max()!, maxY: rotated.map(\.1).max()!))
    }
}

final class LayoutTests: XCTestCase {
    private func assertTextInsidePage(_ figure: Figure, file: StaticString = #filePath, line: UInt = #line) -> RecordingCanvas {
        let canvas = RecordingCanvas()
        figure.draw(on: canvas)
        let page = figure.pageSize
        XCTAssertFalse(canvas.texts.isEmpty, file: file, line: line)
        for box in canvas.texts {
            XCTAssertTrue(box.minX >= -0.5 && box.minY >= -0.5 && box.maxX <= page.width + 0.5 && box.maxY <= page.height + 0.5,
                          "text '\(box.text)' at x \(box.minX)…\(box.maxX), y \(box.minY)…\(box.maxY) leaves the \(page.width)×\(page.height) page",
                          file: file, line: line)
        }
        return canvas
    }

    func testNoTextLeavesThePageInTheGalleryAndTheBenchmarkFigure() {
        _ = assertTextInsidePage(FigureGallery.elements())
        let canvas = assertTextInsidePage(FigureGallery.heatmapTrajectory(panelCount: 8, gridSize: 20))
        XCTAssertEqual(canvas.images, 8)
    }

    func testLongTitlesShrinkToFit() {
        let figure = Figure(rows: 1, columns: 2, width: 5, height: 2.5,
                            title: "A figure title that is far too long for a five-inch page at eleven points")
        figure[0, 0].title = "a panel title much longer than its panel"
        figure[0, 0].add(LinePlot(x: [0, 1], y: [0, 1]))
        _ = assertTextInsidePage(figure)
    }

    func testPlotAreasAreEqualAndDoNotOverlapTheirNeighboursLabels() {
        let figure = Figure(rows: 2, columns: 3, width: 7, height: 4.5, title: "equal panels")
        for (k, axes) in figure.panels.enumerated() {
            axes.add(LinePlot(x: [0, 1], y: [0, pow(10, Double(k))]))
            axes.yLabel = "y"
            axes.title = "panel \(k)"
        }
        figure[0, 2].colorBar = ColorBar(colormap: .viridis, range: Interval(0, 1), label: "value")
        let canvas = RecordingCanvas()
        let layouts = figure.layout(on: canvas)
        let frames = layouts.map(\.transform.frame)
        for frame in frames {
            assertClose(frame.width, frames[0].width, atol: 1e-9)
            assertClose(frame.height, frames[0].height, atol: 1e-9)
        }
        // Frames lie inside their cells and cells do not overlap.
        for (i, layout) in layouts.enumerated() {
            let f = layout.transform.frame, c = layout.cell
            XCTAssertTrue(f.minX >= c.minX && f.maxX <= c.maxX && f.minY >= c.minY && f.maxY <= c.maxY, "panel \(i)")
            for other in layouts[(i + 1)...] {
                let o = other.cell
                XCTAssertTrue(c.maxX <= o.minX + 1e-9 || o.maxX <= c.minX + 1e-9 || c.maxY <= o.minY + 1e-9 || o.maxY <= c.minY + 1e-9)
            }
        }
        _ = assertTextInsidePage(figure)
    }

    func testLongLegendsAreCutToTheirPlotArea() {
        let figure = Figure(width: 3, height: 2)
        for k in 0..<40 { figure[0, 0].add(LinePlot(x: [0, 1], y: [0, Double(k)], label: "curve \(k)")) }
        let canvas = RecordingCanvas()
        figure.draw(on: canvas)
        let frame = figure.layout(on: RecordingCanvas())[0].transform.frame
        let legendTexts = canvas.texts.filter { $0.text.hasPrefix("curve") || $0.text.hasPrefix("…") }
        XCTAssertLessThan(legendTexts.count, 40)
        XCTAssertTrue(legendTexts.contains { $0.text.hasSuffix("more") })
        XCTAssertTrue(legendTexts.allSatisfy { $0.maxY <= frame.maxY && $0.minY >= frame.minY })
    }
}
