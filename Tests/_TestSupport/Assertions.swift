import NumericalCore
import XCTest

/// |a − b| ≤ max(atol, rtol · max(|a|, |b|)): the one closeness rule of the test suite.
public func isClose(_ a: Double, _ b: Double, atol: Double = 0, rtol: Double = 0) -> Bool {
    if a == b { return true }
    guard a.isFinite, b.isFinite else { return false }
    return abs(a - b) <= max(atol, rtol * max(abs(a), abs(b)))
}

/// Asserts two scalars are close; the message shows both values and the gap.
public func assertClose(_ actual: Double, _ expected: Double, atol: Double = 0, rtol: Double = 0,
                        _ message: @autoclosure () -> String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    if !isClose(actual, expected, atol: atol, rtol: rtol) {
        XCTFail("\(actual) is not close to \(expected) (|Δ| = \(abs(actual - expected)), atol \(atol), rtol \(rtol)) \(message())",
                file: file, line: line)
    }
}

/// Asserts two arrays are close elementwise: counts first, then the worst index.
public func assertClose(_ actual: [Double], _ expected: [Double], atol: Double = 0, rtol: Double = 0,
                        _ message: @autoclosure () -> String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("count mismatch: \(actual.count) vs \(expected.count) \(message())", file: file, line: line)
        return
    }
    var worst = -1
    var worstExcess = 0.0
    for i in actual.indices where !isClose(actual[i], expected[i], atol: atol, rtol: rtol) {
        let excess = abs(actual[i] - expected[i]) - max(atol, rtol * max(abs(actual[i]), abs(expected[i])))
        if worst < 0 || excess > worstExcess || excess.isNaN { worst = i; worstExcess = excess }
    }
    if worst >= 0 {
        XCTFail("worst mismatch at index \(worst): \(actual[worst]) vs \(expected[worst]) (atol \(atol), rtol \(rtol)) \(message())",
                file: file, line: line)
    }
}

/// Asserts two matrices have the same shape and close entries.
public func assertClose(_ actual: Matrix, _ expected: Matrix, atol: Double = 0, rtol: Double = 0,
                        _ message: @autoclosure () -> String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    guard actual.shape == expected.shape else {
        XCTFail("shape mismatch: \(actual.shape) vs \(expected.shape) \(message())", file: file, line: line)
        return
    }
    assertClose(actual.elements, expected.elements, atol: atol, rtol: rtol, message(), file: file, line: line)
}

/// Observed order of convergence from errors at step sizes h, h/2, h/4, …:
/// the least-squares slope of log(error) against log(h).
public func observedOrder(stepSizes: [Double], errors: [Double]) -> Double {
    let x = stepSizes.map { log($0) }, y = errors.map { log($0) }
    let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
    var sxy = 0.0, sxx = 0.0
    for i in x.indices { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx) }
    return sxy / sxx
}
