import XCTest
@testable import Experiments

final class ProgressReporterTests: XCTestCase {
    /// A step in progress counts as its finished fraction: 2.5 of 11 units is 22.7 %, and the
    /// line names the detail it was given.
    func testFractionalProgressLine() {
        let reporter = ProgressReporter(label: "toy", total: 11, isTerminal: false)
        let line = reporter.line(done: 2.5, detail: "step 3/10 it 250/500")
        XCTAssertTrue(line.hasPrefix("toy  22.7% step 3/10 it 250/500 | "), line)
        XCTAssertTrue(line.hasSuffix(" left"), line)
    }
}
