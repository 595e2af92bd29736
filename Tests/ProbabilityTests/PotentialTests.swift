import XCTest
import NumericalCore
import Probability
import _TestSupport

/// Closed-form V, ∇V, ∇²V against central differences, and the confinement check.
final class PotentialTests: XCTestCase {
    func potentials() throws -> [any Potential] {
        let a = Matrix([[2.0, 0.3], [0.3, 0.7]])
        let g1 = try Gaussian(mean: [-1, 0.5], covariance: Matrix([[0.4, 0.1], [0.1, 0.3]]))
        let g2 = try Gaussian(mean: [1.2, -0.3], covariance: Matrix([[0.2, 0], [0, 0.5]]))
        let g3 = try Gaussian(mean: [-0.8], standardDeviation: 0.4)
        let g4 = try Gaussian(mean: [1.1], standardDeviation: 0.6)
        return [
            try QuadraticPotential(center: [0.3, -0.2], precision: a),
            try QuadraticPotential(center: 0.5, curvature: 1.7),
            try DoubleWellPotential(dimension: 1, tilt: 0.2),
            try DoubleWellPotential(dimension: 2, tilt: 0.3),
            MixturePotential(mixture: try GaussianMixture(weights: [0.3, 0.7], components: [g1, g2])),
            MixturePotential(mixture: try GaussianMixture(weights: [0.6, 0.4], components: [g3, g4])),
        ]
    }

    func testGradientAndHessianMatchCentralDifferences() throws {
        // Central differences with step 1e-5 have truncation O(1e-10·V‴) and rounding
        // O(1e-16/1e-5): 1e-6 absolute covers both for these O(1) potentials.
        let eps = 1e-5
        for v in try potentials() {
            let d = v.dimension
            for point in [[0.37, -0.81], [-1.3, 0.2], [0.05, 1.4]].map({ Array($0.prefix(d)) }) {
                let g = v.gradient(point)
                let h = v.hessian(point)
                for i in 0..<d {
                    var plus = point, minus = point
                    plus[i] += eps; minus[i] -= eps
                    assertClose(g[i], (v.value(plus) - v.value(minus)) / (2 * eps), atol: 1e-6)
                    let column = Vector.scale(Vector.subtract(v.gradient(plus), v.gradient(minus)), 1 / (2 * eps))
                    for j in 0..<d { assertClose(h[j, i], column[j], atol: 1e-6) }
                }
                if d == 1 {
                    XCTAssertEqual(v.value(point[0]), v.value(point), accuracy: 1e-14)
                    XCTAssertEqual(v.derivative(point[0]), g[0], accuracy: 1e-14)
                    XCTAssertEqual(v.secondDerivative(point[0]), h[0, 0], accuracy: 1e-14)
                }
            }
        }
    }

    func testBatchEvaluationMatchesPointwise() throws {
        for v in try potentials() {
            let d = v.dimension, n = 7
            var points = [Double]()
            for i in 0..<(n * d) { points.append(sin(Double(i) * 1.7) * 1.5) }
            var values = [Double](repeating: 0, count: n)
            var grads = [Double](repeating: 0, count: n * d)
            var hess = [Double](repeating: 0, count: n * d * d)
            points.withUnsafeBufferPointer { p in
                v.evaluate(count: n, points: p.baseAddress!, values: &values, gradients: &grads, hessians: &hess)
            }
            for i in 0..<n {
                let x = Array(points[(i * d)..<((i + 1) * d)])
                assertClose(values[i], v.value(x), atol: 1e-13)
                assertClose(Array(grads[(i * d)..<((i + 1) * d)]), v.gradient(x), atol: 1e-13)
                assertClose(Array(hess[(i * d * d)..<((i + 1) * d * d)]), v.hessian(x).elements, atol: 1e-13)
            }
        }
    }

    func testConfinement() throws {
        for v in try potentials() { XCTAssertNoThrow(try v.checkConfinement()) }
        let flat = try QuadraticPotential(center: [0, 0], precision: Matrix([[1, 0], [0, -0.5]]))
        XCTAssertThrowsError(try flat.checkConfinement()) { error in
            XCTAssertTrue("\(error)".contains("not normalisable"), "\(error)")
        }
        XCTAssertNil(flat.gaussian)
        XCTAssertThrowsError(try DoubleWellPotential(dimension: 1, tilt: -1))
    }

    func testQuadraticLogPartitionFunction() throws {
        // Z = √(2π/a) in 1D.
        let v = try QuadraticPotential(center: 0.4, curvature: 2.5)
        XCTAssertEqual(v.logPartitionFunction!, 0.5 * log(2 * Double.pi / 2.5), accuracy: 1e-14)
    }

    /// The default (numerical) confinement check on potentials without a closed-form answer.
    func testDefaultConfinementCheck() throws {
        XCTAssertNoThrow(try LogGrowthPotential(power: 1, dimension: 1).checkConfinement())  // e^{-V} = 1/(1+x²): Cauchy
        XCTAssertThrowsError(try LogGrowthPotential(power: 0.5, dimension: 1).checkConfinement())  // 1/√(1+x²): not integrable
        XCTAssertThrowsError(try LogGrowthPotential(power: 1, dimension: 2).checkConfinement())  // 1/(1+|x|²) in 2D: not integrable
        XCTAssertNoThrow(try LogGrowthPotential(power: 1.5, dimension: 2).checkConfinement())
    }
}

/// V(x) = p·log(1 + |x|²), relying on the protocol's default confinement check.
struct LogGrowthPotential: Potential {
    let power: Double
    let dimension: Int
    func value(at point: UnsafePointer<Double>) -> Double {
        var r2 = 0.0
        for i in 0..<dimension { r2 += point[i] * point[i] }
        return power * log1p(r2)
    }
    func gradient(at point: UnsafePointer<Double>, into gradient: UnsafeMutablePointer<Double>) -> Double {
        var r2 = 0.0
        for i in 0..<dimension { r2 += point[i] * point[i] }
        for i in 0..<dimension { gradient[i] = 2 * power * point[i] / (1 + r2) }
        return power * log1p(r2)
    }
    func hessian(at point: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>) {
        var r2 = 0.0
        for i in 0..<dimension { r2 += point[i] * point[i] }
        for i in 0..<dimension {
            for j in 0..<dimension {
                hessian[i * dimension + j] = 2 * power * ((i == j ? 1 : 0) / (1 + r2) - 2 * point[i] * point[j] / ((1 + r2) * (1 + r2)))
            }
        }
    }
}
