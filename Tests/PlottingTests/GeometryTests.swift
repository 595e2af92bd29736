import NumericalCore
import Plotting
import XCTest
import _TestSupport

final class GeometryTests: XCTestCase {
    func testDataToSurfaceTransformFlipsYAndMapsCornersToTheFrame() {
        let frame = Rect(x: 50, y: 20, width: 200, height: 100)
        let transform = PlotTransform(xScale: Scale(domain: Interval(-1, 3)), yScale: Scale(domain: Interval(0, 10)), frame: frame)
        XCTAssertEqual(transform.point(-1, 0), Point(x: 50, y: 120))   // bottom-left of the data is bottom-left of the frame
        XCTAssertEqual(transform.point(3, 10), Point(x: 250, y: 20))   // top-right
        XCTAssertEqual(transform.point(1, 5), Point(x: 150, y: 70))    // centre
        let back = transform.dataCoordinates(of: transform.point(0.37, 8.2))
        assertClose(back.x, 0.37, atol: 1e-12)
        assertClose(back.y, 8.2, atol: 1e-12)
        assertClose(transform.pointsPerUnit.x, 50, atol: 1e-12)
        assertClose(transform.pointsPerUnit.y, 10, atol: 1e-12)
    }

    func testLogAxisTransform() {
        let frame = Rect(x: 0, y: 0, width: 100, height: 300)
        let transform = PlotTransform(xScale: Scale(domain: Interval(0, 1)), yScale: Scale(.log, domain: Interval(1e-4, 1e-1)), frame: frame)
        assertClose(transform.surfaceY(1e-4), 300, atol: 1e-9)
        assertClose(transform.surfaceY(1e-3), 200, atol: 1e-9)
        assertClose(transform.surfaceY(1e-1), 0, atol: 1e-9)
    }

    func testRectangleHelpers() {
        let r = Rect(x: 0, y: 0, width: 400, height: 200)
        XCTAssertEqual(r.centered(aspectRatio: 1), Rect(x: 100, y: 0, width: 200, height: 200))
        XCTAssertEqual(r.centered(aspectRatio: 4), Rect(x: 0, y: 50, width: 400, height: 100))
        XCTAssertEqual(r.inset(left: 10, top: 20, right: 30, bottom: 40), Rect(x: 10, y: 20, width: 360, height: 140))
        XCTAssertEqual(Interval.enclosing([3, .nan, -1, .infinity, 2]), Interval(-1, 3))
        XCTAssertNil(Interval.enclosing([Double.nan]))
    }

    func testAutomaticLimitsArePaddedExceptAroundRasters() {
        let axes = Axes()
        axes.add(LinePlot(x: [0, 10], y: [1, 2]))
        let (x, y) = axes.resolvedScales()
        assertClose(x.domain.lower, -0.4, atol: 1e-12)
        assertClose(x.domain.upper, 10.4, atol: 1e-12)
        assertClose(y.domain.span, 1.08, atol: 1e-12)
        let raster = Axes()
        raster.add(Heatmap(values: Matrix(rows: 2, columns: 3), x: Interval(-1, 2), y: Interval(0, 5)))
        XCTAssertEqual(raster.resolvedScales().x.domain, Interval(-1, 2))
        XCTAssertEqual(raster.resolvedScales().y.domain, Interval(0, 5))
    }

    func testHeatmapRowZeroIsAtTheBottom() {
        // Row 0 (bottom) holds the minimum, row 1 (top) the maximum: the image's top row is bright.
        let values = Matrix([[0, 0], [1, 1]])
        let image = Heatmap(values: values, x: Interval(0, 1), y: Interval(0, 1), colormap: .viridis).image()
        XCTAssertEqual(image.pixel(x: 0, y: 0), Colormap.viridis.color(at: 1).withAlpha(1).quantized)
        XCTAssertEqual(image.pixel(x: 1, y: 1), Colormap.viridis.color(at: 0).withAlpha(1).quantized)
    }
}

extension Color {
    /// Rounded to 8 bits per channel, as pixels store it.
    var quantized: Color {
        let b = bytes
        return Color(red: Double(b.red) / 255, green: Double(b.green) / 255, blue: Double(b.blue) / 255, alpha: Double(b.alpha) / 255)
    }
}
