import Autodiff
import NeuralNetworks
import XCTest
import _TestSupport

/// Optimiser update rules against golden values from PyTorch 2.15 (`torch.optim`, float64):
/// θ₀ = [1, −2, 0.25], gradients g₁ = [0.5, −1, 0], g₂ = [0.1, 0.2, 3], g₃ = [−0.3, 0.4, −2],
/// η = 0.1, β = (0.5, 0.9), ε = 1e-8. The first Adam step is also checked by hand:
/// m̂ = g, v̂ = g², so θ₁ = θ₀ − η·g/(|g| + ε) = [0.900000002, −1.900000001, 0.25].
/// Tolerance 1e-12: the same formula in Double, differing only in rounding order.
final class OptimizerTests: XCTestCase {
    let initial: [Double] = [1.0, -2.0, 0.25]
    let gradients: [[Double]] = [[0.5, -1.0, 0.0], [0.1, 0.2, 3.0], [-0.3, 0.4, -2.0]]

    func trajectory<O: Optimizer>(_ optimizer: O) -> [[Double]] where O.Scalar == Double {
        var opt = optimizer
        var parameters = [initial]
        var path: [[Double]] = []
        for g in gradients {
            opt.step(&parameters, gradients: [g])
            path.append(parameters[0])
        }
        return path
    }

    func assertPath(_ path: [[Double]], _ expected: [[Double]], file: StaticString = #filePath, line: UInt = #line) {
        for (k, (a, e)) in zip(path, expected).enumerated() {
            assertClose(a, e, atol: 1e-12, rtol: 1e-12, "step \(k + 1)", file: file, line: line)
        }
    }

    func testAdamMatchesHandAndPyTorchForThreeSteps() {
        let first = zip(initial, gradients[0]).map { t, g in g == 0 ? t : t - 0.1 * g / (abs(g) + 1e-8) }
        let path = trajectory(Adam<Double>(learningRate: 0.1, beta1: 0.5, beta2: 0.9, epsilon: 1e-8))
        assertClose(path[0], first, atol: 1e-15)
        assertPath(path, [[0.900000002, -1.900000001, 0.25],
                          [0.8336532537554514, -1.8715656799195095, 0.15810634207495405],
                          [0.8550680002928255, -1.8950126974388402, 0.17162781222895868]])
    }

    func testAdamWithL2PenaltyAndAdamW() {
        assertPath(trajectory(Adam<Double>(learningRate: 0.1, beta1: 0.5, beta2: 0.9, weightDecay: 0.1)),
                   [[0.9000000016666667, -1.9000000008333333, 0.150000039999984],
                    [0.8249639366733723, -1.8523768317056608, 0.05772825158765306],
                    [0.8207196701420155, -1.845522519422307, 0.0706903902027322]])
        assertPath(trajectory(Adam<Double>.adamW(learningRate: 0.1, beta1: 0.5, beta2: 0.9, weightDecay: 0.1)),
                   [[0.890000002, -1.880000001, 0.2475],
                    [0.8147532537354514, -1.8327656799095096, 0.15313134207495405],
                    [0.8280204677354709, -1.8378850406297451, 0.16512149880820914]])
    }

    func testAdamInFloatTracksDouble() {
        var single = Adam<Float>(learningRate: 0.1, beta1: 0.5, beta2: 0.9)
        var parameters: [[Float]] = [initial.map(Float.init)]
        for g in gradients { single.step(&parameters, gradients: [g.map(Float.init)]) }
        // Float rounding of ~10 operations on O(1) numbers: 1e-6.
        assertClose(parameters[0].map(Double.init), [0.8550680002928255, -1.8950126974388402, 0.17162781222895868], atol: 1e-6)
    }

    func testSGDWithMomentumAndNesterov() {
        assertPath(trajectory(SGD<Double>(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)),
                   [[0.949, -1.898, 0.24975],
                    [0.8921509999999999, -1.8243019999999999, -0.05072475000000003],
                    [0.870094749, -1.796149498, -0.12110130025000007]])
        assertPath(trajectory(SGD<Double>(learningRate: 0.1, momentum: 0.9, nesterov: true)),
                   [[0.905, -1.81, 0.25],
                    [0.8455, -1.7670000000000001, -0.32000000000000006],
                    [0.85795, -1.7863000000000002, -0.18300000000000008]])
        // Plain SGD: θ₁ = θ₀ − ηg₁.
        assertPath(Array(trajectory(SGD<Double>(learningRate: 0.1)).prefix(1)), [[0.95, -1.9, 0.25]])
    }

    func testGlobalNormClipping() {
        var g: [[Double]] = [[3, 0], [0, 4, 0]]  // ‖g‖ = 5
        let norm = GradientClipping.clipGlobalNorm(&g, maxNorm: 1)
        XCTAssertEqual(norm, 5)
        let s = 1 / (5 + 1e-6)
        assertClose(g[0] + g[1], [3 * s, 0, 0, 4 * s, 0], atol: 1e-15)
        var small: [[Double]] = [[0.3, 0.4]]
        XCTAssertEqual(GradientClipping.clipGlobalNorm(&small, maxNorm: 1), 0.5, accuracy: 1e-15)
        XCTAssertEqual(small, [[0.3, 0.4]], "a gradient inside the ball is left alone")
    }

    func testCosineScheduleMatchesPyTorchAndConstantIsConstant() {
        // torch.optim.lr_scheduler.CosineAnnealingLR(T_max = 10, eta_min = 0.01), base 0.5.
        let torch = [0.5, 0.48800884649231263, 0.4532091636218621, 0.39900738681165593, 0.33070916362186215,
                     0.255, 0.17929083637813792, 0.11099261318834411, 0.05679083637813791, 0.021991153507687385, 0.01]
        let cosine = CosineLearningRate(baseRate: 0.5, finalRate: 0.01, totalSteps: 10)
        assertClose((0...10).map { cosine.learningRate(atStep: $0) }, torch, atol: 1e-14)
        XCTAssertEqual(cosine.learningRate(atStep: 50), 0.01, "stays at the final rate after K steps")
        let warm = CosineLearningRate(baseRate: 1, totalSteps: 14, warmupSteps: 4)
        assertClose((0..<5).map { warm.learningRate(atStep: $0) }, [0.25, 0.5, 0.75, 1, 1], atol: 1e-15)
        XCTAssertEqual(ConstantLearningRate(2e-5).learningRate(atStep: 12345), 2e-5)
    }

    func testExponentialMovingAverage() {
        var ema = ExponentialMovingAverage<Double>(decay: 0.9)
        ema.update([[1.0, 2.0]])
        ema.update([[2.0, 0.0]])
        ema.update([[4.0, 1.0]])
        // θ̄ = θ₁, then 0.9θ̄ + 0.1θ: [1.1, 1.8], then [1.39, 1.72].
        assertClose(ema.averages[0], [1.39, 1.72], atol: 1e-14)
        XCTAssertEqual(ema.updateCount, 3)
        // The pointer form agrees with the array form.
        var viaPointers = ExponentialMovingAverage<Double>(decay: 0.9)
        for p in [[1.0, 2.0], [2.0, 0.0], [4.0, 1.0]] {
            p.withUnsafeBufferPointer { viaPointers.update([$0]) }
        }
        XCTAssertEqual(viaPointers.averages, ema.averages)
        // The layer form (read in place) agrees bit for bit with the array form.
        var viaLayer = ExponentialMovingAverage<Double>(decay: 0.9)
        for p in [[1.0, 2.0], [2.0, 0.0], [4.0, 1.0]] {
            viaLayer.update(from: Linear<Double>(weight: Tensor(shape: [1, 2], scalars: p), bias: nil))
        }
        XCTAssertEqual(viaLayer.averages, ema.averages)
        XCTAssertEqual(viaLayer.updateCount, 3)
    }
}
