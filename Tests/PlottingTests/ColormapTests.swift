import Foundation
import Plotting
import XCTest
import _TestSupport

final class ColormapTests: XCTestCase {
    /// Reference colours are matplotlib's 8-bit renderings; the tolerance is one 8-bit level
    /// plus the half-entry interpolation step (≈ 0.004), rounded up to 0.01.
    private func assertColor(_ c: Color, _ hex: String, atol: Double = 0.01, file: StaticString = #filePath, line: UInt = #line) {
        let expected = Color(hex: hex)!
        assertClose([c.red, c.green, c.blue], [expected.red, expected.green, expected.blue], atol: atol,
                    "expected #\(hex)", file: file, line: line)
    }

    func testViridisEndpointsAndMidpoint() {
        assertColor(Colormap.viridis.color(at: 0), "440154")
        assertColor(Colormap.viridis.color(at: 0.5), "21918c")
        assertColor(Colormap.viridis.color(at: 1), "fde725")
        XCTAssertEqual(Colormap.viridis.entries.count, 256)
    }

    func testMagmaEndpointsAndMidpoint() {
        assertColor(Colormap.magma.color(at: 0), "000004")
        assertColor(Colormap.magma.color(at: 0.5), "b73779")
        assertColor(Colormap.magma.color(at: 1), "fcfdbf")
    }

    func testDivergingMapIsBlueWhiteRed() {
        assertColor(Colormap.redBlue.color(at: 0), "053061", atol: 1e-9)
        assertColor(Colormap.redBlue.color(at: 0.5), "f7f7f7", atol: 1e-9)
        assertColor(Colormap.redBlue.color(at: 1), "67001f", atol: 1e-9)
        // Symmetric about the middle in lightness: both sides darken towards the ends.
        let quarter = Colormap.redBlue.color(at: 0.25), threeQuarters = Colormap.redBlue.color(at: 0.75)
        XCTAssertGreaterThan(quarter.blue, quarter.red)
        XCTAssertGreaterThan(threeQuarters.red, threeQuarters.blue)
    }

    func testSequentialMapsGetLighterMonotonically() {
        // Relative luminance of linearised sRGB must increase along viridis and magma.
        func luminance(_ c: Color) -> Double {
            func linear(_ u: Double) -> Double { u <= 0.04045 ? u / 12.92 : pow((u + 0.055) / 1.055, 2.4) }
            return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
        }
        for map in [Colormap.viridis, Colormap.magma] {
            let values = map.entries.map(luminance)
            for k in 1..<values.count {
                XCTAssertGreaterThan(values[k], values[k - 1], "\(map.name) entry \(k)")
            }
        }
    }

    func testLookupClampsInterpolatesAndReverses() {
        XCTAssertEqual(Colormap.viridis.color(at: -3), Colormap.viridis.color(at: 0))
        XCTAssertEqual(Colormap.viridis.color(at: 7), Colormap.viridis.color(at: 1))
        XCTAssertEqual(Colormap.viridis.color(at: .nan).alpha, 0)
        let map = Colormap(name: "two", entries: [.black, .white])
        assertClose(map.color(at: 0.3).red, 0.3, atol: 1e-12)
        assertClose(map.color(for: 5, in: Interval(0, 10)).green, 0.5, atol: 1e-12)
        XCTAssertEqual(Colormap.magma.reversed.color(at: 0), Colormap.magma.color(at: 1))
    }

    func testHexParsing() {
        XCTAssertEqual(Color(hex: "#ff8000"), Color(red: 1, green: 128.0 / 255, blue: 0))
        XCTAssertNil(Color(hex: "12345"))
        XCTAssertNil(Color(hex: "zzzzzz"))
    }
}
