import Foundation
import NumericalCore
import Plotting
import XCTest
import _TestSupport

/// Smoke tests of the Cairo output: files exist, have the requested size and are not blank.
/// Images are never compared byte for byte. Set PLOTTING_TEST_OUTPUT to a folder to keep the files.
final class RenderingTests: XCTestCase {
    private var outputFolder: URL {
        if let kept = ProcessInfo.processInfo.environment["PLOTTING_TEST_OUTPUT"] { return URL(fileURLWithPath: kept) }
        return FileManager.default.temporaryDirectory.appendingPathComponent("plotting-tests-\(ProcessInfo.processInfo.processIdentifier)")
    }

    private func smallFigure() -> Figure {
        let figure = Figure(rows: 1, columns: 2, width: 4, height: 2, dpi: 100, title: "smoke")
        figure[0, 0].add(LinePlot(x: [0, 1, 2, 3], y: [0, 1, 0, 1], label: "zigzag"))
        figure[0, 0].xLabel = "x"
        figure[0, 0].yLabel = "y"
        let values = FigureGalleryProbe.ramp(20)
        figure[0, 1].add(Heatmap(values: values, x: Interval(0, 1), y: Interval(0, 1)))
        figure[0, 1].colorBar = ColorBar(colormap: .viridis, range: Interval(0, 1), label: "value")
        return figure
    }

    func testPNGHasTheRequestedPixelSizeAndIsNotBlank() throws {
        let figure = smallFigure()
        let data = try figure.encoded(as: .png)
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height as big-endian UInt32 at bytes 16 and 20.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(width, 400)
        XCTAssertEqual(height, 200)

        let pixels = figure.rasterize()
        XCTAssertEqual(pixels.width, 400)
        XCTAssertEqual(pixels.height, 200)
        XCTAssertGreaterThan(pixels.luminanceVariance, 100)   // a blank page has variance 0
        XCTAssertGreaterThan(pixels.inkFraction, 0.1)          // the heatmap alone covers > 10 %
        XCTAssertEqual(pixels.pixel(x: 0, y: 0), .white)       // the background is white

        let doubled = Figure(rows: 1, columns: 1, width: 4, height: 2, dpi: 200)
        XCTAssertEqual(doubled.rasterize().width, 800)
    }

    func testSVGHasThePageSizeAndManyElements() throws {
        let text = String(decoding: try smallFigure().encoded(as: .svg), as: UTF8.self)
        XCTAssertTrue(text.contains("width=\"288pt\""), "4 in = 288 pt")
        XCTAssertTrue(text.contains("height=\"144pt\""), "2 in = 144 pt")
        let elements = ["<path", "<image", "<use", "<rect"].map { text.components(separatedBy: $0).count - 1 }.reduce(0, +)
        XCTAssertGreaterThan(elements, 30)   // frames, ticks, the line, glyphs of every label, the heatmap image
        XCTAssertGreaterThan(text.components(separatedBy: "<image").count - 1, 0)
    }

    func testPDFHasThePageSize() throws {
        let data = try smallFigure().encoded(as: .pdf)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("%PDF-"))
        XCTAssertTrue(text.contains("/MediaBox [ 0 0 288 144 ]"), "a 4 × 2 in page is 288 × 144 pt")
        XCTAssertGreaterThan(data.count, 2000)
    }

    func testWritingFilesPicksTheFormatFromTheExtension() throws {
        let folder = outputFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let figure = FigureGallery.elements()
        for format in ImageFormat.allCases {
            let url = folder.appendingPathComponent("gallery.\(format.rawValue)")
            try figure.write(to: url)
            let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
            XCTAssertGreaterThan(size, 10_000, "\(format)")
        }
        XCTAssertThrowsError(try figure.write(to: folder.appendingPathComponent("gallery.jpeg")))
        let pixels = figure.rasterize()
        XCTAssertEqual(pixels.width, 1500)
        XCTAssertGreaterThan(pixels.inkFraction, 0.2)
    }

    func testBenchmarkFigureRendersInUnderTwoSeconds() throws {
        // 8 panels of 200 × 200 heatmaps with contours, rendered to PNG (the bar: < 2 s, release).
        let start = Date()
        let figure = FigureGallery.heatmapTrajectory(panelCount: 8, gridSize: 200)
        let data = try figure.encoded(as: .png)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertGreaterThan(data.count, 50_000)
        XCTAssertLessThan(seconds, 2.0)
        if let kept = ProcessInfo.processInfo.environment["PLOTTING_TEST_OUTPUT"] {
            try data.write(to: URL(fileURLWithPath: kept).appendingPathComponent("benchmark.png"))
        }
    }
}

/// Small fixed inputs for the rendering tests.
enum FigureGalleryProbe {
    /// A size × size ramp: value (i + j) / (2 size − 2).
    static func ramp(_ size: Int) -> Matrix {
        var m = Matrix(rows: size, columns: size)
        for i in 0..<size { for j in 0..<size { m[i, j] = Double(i + j) / Double(2 * size - 2) } }
        return m
    }
}


