import Foundation
import NumericalCore
import Plotting
import XCTest
import _TestSupport

/// Reproducible vector output, the slide style, per-panel colour scales and joined contours.
final class ReproducibleOutputTests: XCTestCase {
    private func figure(style: FigureStyle = .paper) -> Figure {
        let figure = Figure(rows: 1, columns: 2, width: 4, height: 2, dpi: 100, title: "reproducible")
        figure.style = style
        figure[0, 0].add(LinePlot(x: [0, 1, 2, 3], y: [0, 1, 0, 1], dash: [3, 2], label: "zigzag", marker: .diamond))
        figure[0, 0].yLabel = "y"
        figure[0, 1].add(Heatmap(values: FigureGalleryProbe.ramp(12), x: Interval(0, 1), y: Interval(0, 1)))
        return figure
    }

    func testTwoPDFRendersAreByteIdenticalAndCarryTheFixedDate() throws {
        let a = try figure().encoded(as: .pdf)
        Thread.sleep(forTimeInterval: 1.1)   // Cairo's default creation date has one-second resolution
        let b = try figure().encoded(as: .pdf)
        XCTAssertEqual(a, b, "two renders of one figure must give the same PDF bytes")
        let text = String(decoding: a, as: UTF8.self)
        XCTAssertTrue(text.contains("/CreationDate (20000101000000Z)"), "the creation date is the fixed one (Cairo 1.16 writes it without the D: prefix): \(text.components(separatedBy: "\n").filter { $0.contains("Date") })")
    }

    func testTalkStyleHasLargerTextAndWiderStrokes() {
        let talk = FigureStyle.talk, paper = FigureStyle.paper
        assertClose(talk.tickFontSize / paper.tickFontSize, 1.5, rtol: 1e-12)
        assertClose(talk.labelFontSize, 13.5, rtol: 1e-12)
        XCTAssertEqual(paper.lineScale, 1)
        XCTAssertGreaterThan(talk.lineScale, 1.5)
        // Wider strokes ink more pixels on the same page (a line panel: no heatmap to shrink).
        func lines(_ style: FigureStyle) -> Double {
            let page = Figure(width: 3, height: 2, dpi: 100)
            page.style = style
            page[0, 0].add(LinePlot(x: [0, 1, 2, 3], y: [0, 1, 0, 1], width: 1.5))
            return page.rasterize().inkFraction
        }
        let thin = lines(paper), thick = lines(talk)
        XCTAssertGreaterThan(thick, thin * 1.05, "talk strokes and text cover more of the page (\(thin) vs \(thick))")
    }

    func testPerPanelScalingKeepsEachPanelOnTheFullRange() {
        // Panel a holds a spike 100× the rest; panel b is a smooth bump of peak 0.2.
        var a = Matrix(rows: 4, columns: 4, repeating: 0.1)
        a[2, 2] = 10
        var b = Matrix(rows: 4, columns: 4, repeating: 0.05)
        b[1, 1] = 0.2
        let (scaled, peaks) = DensityScaling.perPanel.apply(to: [a, b])
        XCTAssertEqual(peaks, [10, 0.2])
        XCTAssertEqual(scaled[1].elements.max(), 1, "b reaches the top of the colour map despite a's spike")
        assertClose(scaled[1][0, 0], 0.25, rtol: 1e-12)
        assertClose(scaled[0][0, 0], 0.01, rtol: 1e-12)
        // A shared scale at the 90 % quantile of all 32 values lets the spike saturate instead.
        let (shared, divisors) = DensityScaling.shared(quantile: 0.9).apply(to: [a, b])
        XCTAssertEqual(divisors[0], divisors[1])
        assertClose(divisors[0], 0.1, rtol: 1e-12)
        XCTAssertGreaterThan(shared[0][2, 2], 1, "the spike is above the shared range (saturates)")
    }

    func testDashedContoursAreJoinedIntoClosedPolylines() {
        // A radial bump: the level set at half height is one circle, cut by ~60 cells.
        let n = 40
        let xs = (0..<n).map { -1 + 2 * (Double($0) + 0.5) / Double(n) }
        var values = Matrix(rows: n, columns: n)
        for i in 0..<n { for j in 0..<n { values[i, j] = exp(-(xs[i] * xs[i] + xs[j] * xs[j]) / 0.2) } }
        let segments = MarchingSquares.segments(values: values, xs: xs, ys: xs, level: 0.5)
        let lines = MarchingSquares.polylines(values: values, xs: xs, ys: xs, level: 0.5)
        XCTAssertGreaterThan(segments.count, 30)
        XCTAssertEqual(lines.count, 1, "one closed curve, not \(lines.count) pieces")
        XCTAssertEqual(lines[0].count, segments.count + 1, "every segment used once, the ring closed")
        XCTAssertEqual(lines[0].first!.x, lines[0].last!.x)
        XCTAssertEqual(lines[0].first!.y, lines[0].last!.y)
    }

    func testOkabeItoPaletteIsTheEightPublishedColours() {
        XCTAssertEqual(Color.okabeIto.count, 8)
        XCTAssertEqual(Color.okabeIto[1].bytes.red, 0xE6)
        XCTAssertEqual(Color.okabeIto[1].bytes.green, 0x9F)
        XCTAssertEqual(Color.okabeIto[6].bytes.red, 0xD5)   // vermillion D55E00
        XCTAssertEqual(Set(Color.okabeIto.map { "\($0.bytes)" }).count, 8)
    }
}
