import Foundation
import NumericalCore
import Plotting
import XCTest
import _TestSupport

final class ScaleAndTickTests: XCTestCase {
    func testLinearScaleMapsDomainToUnitIntervalAndBack() {
        let scale = Scale(.linear, domain: Interval(-2, 6))
        assertClose(scale.normalized(-2), 0, atol: 1e-15)
        assertClose(scale.normalized(6), 1, atol: 1e-15)
        assertClose(scale.normalized(2), 0.5, atol: 1e-15)
        for v in [-3.5, 0.1, 7.25] {
            assertClose(scale.value(atNormalized: scale.normalized(v)), v, atol: 1e-12)
        }
    }

    func testLogScaleIsLinearInTheLogarithm() {
        let scale = Scale(.log, domain: Interval(1e-3, 10))
        assertClose(scale.normalized(1e-3), 0, atol: 1e-15)
        assertClose(scale.normalized(10), 1, atol: 1e-15)
        assertClose(scale.normalized(0.1), 0.5, atol: 1e-12) // −1 is halfway between −3 and 1
        assertClose(scale.value(atNormalized: 0.25), 1e-2, rtol: 1e-12)
        XCTAssertTrue(scale.normalized(0).isNaN)
        XCTAssertTrue(scale.normalized(-1).isNaN)
    }

    func testNiceTicksOnRoundIntervals() {
        assertClose(NiceTicks.linear(Interval(0, 1), targetCount: 5), [0, 0.2, 0.4, 0.6, 0.8, 1.0], atol: 1e-12)
        assertClose(NiceTicks.linear(Interval(0, 10), targetCount: 5), [0, 2, 4, 6, 8, 10], atol: 1e-12)
        assertClose(NiceTicks.linear(Interval(-3, 3), targetCount: 6), [-3, -2, -1, 0, 1, 2, 3], atol: 1e-12)
        assertClose(NiceTicks.linear(Interval(0, 100), targetCount: 3), [0, 50, 100], atol: 1e-12)
    }

    func testNiceTicksOnRandomIntervalsAreNiceInsideAndAboutTheTargetCount() {
        var rng = RandomGenerator(seed: 7)
        for _ in 0..<500 {
            let centre = (rng.uniform() - 0.5) * pow(10, 6 * rng.uniform() - 3)
            let span = pow(10, 8 * rng.uniform() - 4)
            let interval = Interval(centre - span * rng.uniform(), centre + span * rng.uniform() + 1e-12)
            let target = 3 + Int(rng.uniform() * 6)
            let ticks = NiceTicks.linear(interval, targetCount: target)
            XCTAssertGreaterThanOrEqual(ticks.count, 2, "\(interval)")
            XCTAssertLessThanOrEqual(ticks.count, 2 * target + 1, "\(interval) target \(target)")
            let step = NiceTicks.step(of: ticks)
            let mantissa = step / pow(10, floor(log10(step)))
            XCTAssertTrue([1, 2, 2.5, 5, 10].contains { abs($0 - mantissa) < 1e-6 }, "step \(step) is not nice")
            for t in ticks {
                // Inside the interval up to rounding of the multiplication i·step.
                XCTAssertGreaterThanOrEqual(t, interval.lower - 1e-9 * step)
                XCTAssertLessThanOrEqual(t, interval.upper + 1e-9 * step)
            }
            for k in 1..<ticks.count { assertClose(ticks[k] - ticks[k - 1], step, rtol: 1e-6) }
        }
    }

    func testLogTicksArePowersOfTenOrOneTwoFiveMultiples() {
        assertClose(NiceTicks.logarithmic(Interval(1e-3, 10)), [1e-3, 1e-2, 1e-1, 1, 10], rtol: 1e-12)
        assertClose(NiceTicks.logarithmic(Interval(2, 30)), [2, 5, 10, 20], rtol: 1e-12)
        let many = NiceTicks.logarithmic(Interval(1e-12, 1e4), targetCount: 5)
        XCTAssertLessThanOrEqual(many.count, 7)
        XCTAssertGreaterThanOrEqual(many.count, 3)
    }

    func testLooseBoundsEndOnTicks() {
        let bounds = NiceTicks.looseBounds(Interval(0.13, 0.87), targetCount: 5)
        assertClose(bounds.lower, 0.0, atol: 1e-12)
        assertClose(bounds.upper, 1.0, atol: 1e-12)
    }

    func testTickLabelsUseTheDecimalsTheStepNeeds() {
        XCTAssertEqual(TickFormatter.linearLabels([0, 0.25, 0.5, 0.75]), ["0.00", "0.25", "0.50", "0.75"])
        XCTAssertEqual(TickFormatter.linearLabels([-2, 0, 2]), ["\u{2212}2", "0", "2"])
        XCTAssertEqual(TickFormatter.linearLabels([0, 0.2, 0.4]), ["0.0", "0.2", "0.4"])
        XCTAssertEqual(TickFormatter.linearLabels([0, 2e5, 4e5]), ["0", "2e5", "4e5"])
        XCTAssertEqual(TickFormatter.logLabel(1e-3), "10⁻³")
        XCTAssertEqual(TickFormatter.logLabel(100), "10²")
        XCTAssertEqual(TickFormatter.logLabel(5e-3), "5×10⁻³")
        // One style per axis: decimals when all ticks are between 0.01 and 1000, else powers of ten.
        XCTAssertEqual(Scale(.log, domain: Interval(2e-3, 0.06)).labels(for: [2e-3, 5e-3, 1e-2, 2e-2, 5e-2]),
                       ["2×10⁻³", "5×10⁻³", "10⁻²", "2×10⁻²", "5×10⁻²"])
        XCTAssertEqual(Scale(.log, domain: Interval(0.01, 100)).labels(for: [0.01, 0.1, 1, 10, 100]), ["0.01", "0.1", "1", "10", "100"])
        XCTAssertEqual(TickFormatter.compact(0.012345), "0.01235")
        XCTAssertEqual(TickFormatter.compact(-3.25), "\u{2212}3.25")
        XCTAssertEqual(TickFormatter.compact(250), "250")
    }
}
