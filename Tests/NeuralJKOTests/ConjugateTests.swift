import Autodiff
import NeuralJKO
import XCTest

/// Ψ* and its derivative against their definitions: the closed forms of the table in
/// ``Conjugate``, central differences of the value (step 1e-6: error O(1e-12) in Double),
/// and the tensor form against the scalar form.
final class ConjugateTests: XCTestCase {
    func testValuesAtKnownPoints() {
        // kl: e^t − 1; chi2: y²/4 + y with y = max(t, −2); softplus: 2 log(1 + e^t) − 2 log 2; linear: t.
        XCTAssertEqual(Conjugate.kl.value(1), M_E - 1, accuracy: 1e-15)
        XCTAssertEqual(Conjugate.chi2.value(1), 1.25, accuracy: 1e-15)
        XCTAssertEqual(Conjugate.chi2.value(-5), -1, accuracy: 1e-15)   // y = −2: 1 − 2
        XCTAssertEqual(Conjugate.softplus.value(0), 0, accuracy: 1e-15)
        XCTAssertEqual(Conjugate.softplus.value(2), 2 * log(1 + exp(2.0)) - 2 * log(2.0), accuracy: 1e-14)
        XCTAssertEqual(Conjugate.linear.value(-3.5), -3.5)
        // Every Ψ* here has Ψ*(0) = 0 and (Ψ*)′(0) = 1: the density ratio is 1 where v = 0.
        for c in Conjugate.allCases {
            XCTAssertEqual(c.value(0), 0, accuracy: 1e-15, "\(c)")
            XCTAssertEqual(c.derivative(0), 1, accuracy: 1e-15, "\(c)")
        }
    }

    func testDerivativeMatchesCentralDifferences() {
        let step = 1e-6
        for c in Conjugate.allCases {
            for t in [-3.0, -1.5, -0.3, 0.4, 1.7] {
                let fd = (c.value(t + step) - c.value(t - step)) / (2 * step)
                XCTAssertEqual(c.derivative(t), fd, accuracy: 1e-8, "\(c) at \(t)")
            }
        }
    }

    func testTensorFormMatchesScalarForm() {
        let points: [Double] = [-3, -1.5, -0.3, 0, 0.4, 1.7]
        let t = Tensor<Double>(shape: [points.count], scalars: points)
        for c in Conjugate.allCases {
            let values = c(t).scalars
            for (v, p) in zip(values, points) { XCTAssertEqual(v, c.value(p), accuracy: 1e-14, "\(c) at \(p)") }
            // The tensor form's gradient is the derivative.
            let g = gradient(at: t) { c($0).sum() }.scalars
            for (gi, p) in zip(g, points) { XCTAssertEqual(gi, c.derivative(p), accuracy: 1e-12, "\(c)′ at \(p)") }
        }
    }
}
