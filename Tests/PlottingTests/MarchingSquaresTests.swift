import Foundation
import NumericalCore
import Plotting
import XCTest
import _TestSupport

final class MarchingSquaresTests: XCTestCase {
    /// f(x, y) = x² + y² on [−2, 2]², level 1: the unit circle.
    private func circleSegments(n: Int) -> [MarchingSquares.Segment] {
        let xs = (0..<n).map { -2 + 4 * Double($0) / Double(n - 1) }
        var values = Matrix(rows: n, columns: n)
        for i in 0..<n { for j in 0..<n { values[i, j] = xs[j] * xs[j] + xs[i] * xs[i] } }
        return MarchingSquares.segments(values: values, xs: xs, ys: xs, level: 1)
    }

    func testContourOfTheUnitCircleHasLengthTwoPiAndRadiusOne() {
        let segments = circleSegments(n: 101)   // h = 0.04
        let length = segments.reduce(0) { $0 + $1.length }
        // Linear interpolation of x² along an edge errs by ≤ h²/4 = 4e-4 in the crossing point;
        // the polygon's chords shorten the perimeter by O(h²) too: 2e-3 relative covers both.
        assertClose(length, 2 * Double.pi, rtol: 2e-3)
        for s in segments {
            for p in [s.start, s.end] {
                assertClose((p.x * p.x + p.y * p.y).squareRoot(), 1, atol: 1e-3)
            }
        }
    }

    func testContourConvergesAtSecondOrder() {
        let coarse = abs(circleSegments(n: 21).reduce(0) { $0 + $1.length } - 2 * Double.pi)
        let fine = abs(circleSegments(n: 41).reduce(0) { $0 + $1.length } - 2 * Double.pi)
        // Halving h (0.2 → 0.1) should divide the perimeter error by about 4.
        XCTAssertGreaterThan(coarse / fine, 2.8)
    }

    func testSegmentsFormClosedLoop() {
        // Every endpoint of a closed contour is shared by exactly two segments.
        var counts: [String: Int] = [:]
        for s in circleSegments(n: 31) {
            for p in [s.start, s.end] {
                counts[String(format: "%.9f,%.9f", p.x, p.y), default: 0] += 1
            }
        }
        XCTAssertFalse(counts.isEmpty)
        XCTAssertTrue(counts.values.allSatisfy { $0 == 2 })
    }

    func testSaddleGivesTwoSegmentsAndLevelsOutsideGiveNone() {
        let values = Matrix([[1, 0], [0, 1]])
        let saddle = MarchingSquares.segments(values: values, xs: [0, 1], ys: [0, 1], level: 0.5)
        XCTAssertEqual(saddle.count, 2)
        XCTAssertTrue(MarchingSquares.segments(values: values, xs: [0, 1], ys: [0, 1], level: 2).isEmpty)
    }
}
