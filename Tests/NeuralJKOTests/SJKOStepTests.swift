import Autodiff
@testable import NeuralJKO
import NeuralNetworks
import NumericalCore
import XCTest

/// T(x) = w·x + b in 1D: the exact JKO map of a Gaussian is affine (DESIGN.md §1.1).
struct AffineMap1D: Layer, NoiseConditionedMap {
    var weight: Tensor<Float>
    var bias: Tensor<Float>
    init(weight: Float, bias: Float) {
        self.weight = Tensor(shape: [1, 1], scalars: [weight])
        self.bias = Tensor(shape: [1], scalars: [bias])
    }
    func callAsFunction(_ x: Tensor<Float>, noise z: Tensor<Float>) -> Tensor<Float> { linear(x, weight: weight, bias: bias) }
    mutating func visitParameters(_ body: (inout Tensor<Float>) -> Void) { body(&weight); body(&bias) }
    var parameterNames: [String] { ["weight", "bias"] }
}

/// v(y) = ½p y² + q y + c: the exact KL potential −log(dμ₁/dν) of Gaussians is quadratic.
struct QuadraticPotential1D: Layer, ScalarPotential {
    var coefficients: Tensor<Float>   // [p, q, c]
    init(p: Float, q: Float, c: Float) { coefficients = Tensor(shape: [3], scalars: [p, q, c]) }
    func callAsFunction(_ y: Tensor<Float>) -> Tensor<Float> {
        let y1 = y.reshaped(to: [y.shape[0]])
        let p = coefficients.slice(alongAxis: 0, range: 0..<1), q = coefficients.slice(alongAxis: 0, range: 1..<2)
        let c = coefficients.slice(alongAxis: 0, range: 2..<3)
        return y1 * y1 * p * Float(0.5) + y1 * q + c
    }
    mutating func visitParameters(_ body: (inout Tensor<Float>) -> Void) { body(&coefficients) }
    var parameterNames: [String] { ["coefficients"] }
}

/// The S-JKO losses and step against hand computations and the closed-form Gaussian JKO
/// step (1D, KL): start N(m, s), target ν = N(b, 1/a), step h. The exact step is
/// m′ = (m + h a b)/(1 + h a), M = (1 + √(1 + 4h(1 + h a)/s)) / (2(1 + h a)), S′ = M² s, and
/// the UOT optimum is T(x) = m′ + M(x − m), v(y) = −log(ρ₁/ν)(y)
/// = (y − m′)²/(2S′) − a(y − b)²/2 + ½ log(S′ a).
final class SJKOStepTests: XCTestCase {
    // Close enough that the density ratio dμ₁/dν stays moderate (χ² ≈ 0.1), so quantile
    // quadrature and stochastic batches of ν estimate E_ν[e^{−v}·] well.
    let m = 0.0, s = 0.6, b = 0.3, a = 1.25, h = 0.1

    var exact: (mean: Double, slope: Double, variance: Double) {
        let mean = (m + h * a * b) / (1 + h * a)
        let slope = (1 + (1 + 4 * h * (1 + h * a) / s).squareRoot()) / (2 * (1 + h * a))
        return (mean, slope, slope * slope * s)
    }

    /// The exact potential's coefficients (p, q, c) of ½p y² + q y + c.
    var exactPotential: (p: Double, q: Double, c: Double) {
        let e = exact
        return (1 / e.variance - a, -e.mean / e.variance + a * b,
                e.mean * e.mean / (2 * e.variance) - a * b * b / 2 + 0.5 * log(e.variance * a))
    }

    /// L_v = mean Ψ*(−v(y)) + mean v(T(x)) and L_T = mean |x − T(x)|²/(2h) − v(T(x)) on two
    /// points, by hand (KL, T_old = identity at k = 0).
    func testLossesMatchHandComputation() {
        let pair = SJKOTrainingPair(map: AffineMap1D(weight: 1.5, bias: -0.25), potential: QuadraticPotential1D(p: 0.8, q: -0.3, c: 0.1),
                                    timeStep: 0.2)
        let x = Tensor<Float>(shape: [2, 1], scalars: [0.5, -1.0]), y = Tensor<Float>(shape: [2, 1], scalars: [1.0, 2.0])
        let z = Tensor<Float>.zeros([2, 1])
        func v(_ t: Double) -> Double { 0.4 * t * t - 0.3 * t + 0.1 }
        let tx = [1.5 * 0.5 - 0.25, 1.5 * -1.0 - 0.25]
        let lv = ((exp(-v(1)) - 1) + (exp(-v(2)) - 1)) / 2 + (v(tx[0]) + v(tx[1])) / 2
        let lt = (pow(0.5 - tx[0], 2) / 0.4 - v(tx[0]) + pow(-1.0 - tx[1], 2) / 0.4 - v(tx[1])) / 2
        let (potentialLoss, _) = SJKOTrainingPair.potentialGradients(map: pair.map, potential: pair.potential, conjugate: .kl,
                                                                     r1Weight: 0, x: x, noise: z, target: y)
        let (mapLoss, _) = SJKOTrainingPair.mapGradients(map: pair.map, potential: pair.potential, costScale: pair.costScale,
                                                         x: x, previous: x, noise: z)
        // Float arithmetic on O(1) values: 1e-5 relative.
        XCTAssertEqual(Double(potentialLoss.scalar), lv, accuracy: 1e-5 * max(1, abs(lv)))
        XCTAssertEqual(Double(mapLoss.scalar), lt, accuracy: 1e-5 * max(1, abs(lt)))
    }

    /// The logistic objective L_v = mean softplus(−v(y)) + mean softplus(v(T(x))) on two
    /// points each, by hand.
    func testLogisticPotentialLossMatchesHandComputation() {
        let map = AffineMap1D(weight: 1.5, bias: -0.25), potential = QuadraticPotential1D(p: 0.8, q: -0.3, c: 0.1)
        let x = Tensor<Float>(shape: [2, 1], scalars: [0.5, -1.0]), y = Tensor<Float>(shape: [2, 1], scalars: [1.0, 2.0])
        let z = Tensor<Float>.zeros([2, 1])
        func v(_ t: Double) -> Double { 0.4 * t * t - 0.3 * t + 0.1 }
        func softplus(_ t: Double) -> Double { log1p(exp(t)) }
        let tx = [1.5 * 0.5 - 0.25, 1.5 * -1.0 - 0.25]
        let lv = (softplus(-v(1)) + softplus(-v(2))) / 2 + (softplus(v(tx[0])) + softplus(v(tx[1]))) / 2
        let (value, _) = SJKOTrainingPair.potentialGradients(map: map, potential: potential, conjugate: .kl, objective: .logistic,
                                                             r1Weight: 0, x: x, noise: z, target: y)
        XCTAssertEqual(Double(value.scalar), lv, accuracy: 1e-5 * max(1, abs(lv)))
    }

    /// A start wider than twice the target (s = 3, 1/a = 0.8 → S′ ≈ 2.5 > 2/a, so
    /// χ²(μ₁‖ν) = ∞ and the semi-dual's E_ν[e^{−v}] has infinite variance): trained like
    /// the test below, the logistic objective lands on the closed-form step (slope and
    /// intercept within 3 %, the potential's curvature within 5 %).
    func testLogisticObjectiveRecoversTheClosedFormStep() {
        let wide = (m: 1.0, s: 3.0, b: -0.5, a: 1.25, h: 0.1)
        let mean = (wide.m + wide.h * wide.a * wide.b) / (1 + wide.h * wide.a)
        let slope = (1 + (1 + 4 * wide.h * (1 + wide.h * wide.a) / wide.s).squareRoot()) / (2 * (1 + wide.h * wide.a))
        XCTAssertGreaterThan(slope * slope * wide.s, 2 / wide.a, "χ²(μ₁‖ν) must be infinite for this test")
        let variance = slope * slope * wide.s
        let curvature = 1 / variance - wide.a
        func train(_ objective: PotentialObjective) -> (slope: Double, intercept: Double, curvature: Double) {
            var pair = SJKOTrainingPair(map: AffineMap1D(weight: 1, bias: 0), potential: QuadraticPotential1D(p: 0, q: 0, c: 0),
                                        timeStep: Float(wide.h), mapLearningRate: 1e-2, potentialLearningRate: 1e-2, beta1: 0.9, beta2: 0.999)
            pair.potentialObjective = objective
            var generator = RandomGenerator(seed: 11)
            let n = 2000
            for iteration in 0..<3000 {
                if iteration == 2000 { pair.mapOptimizer.learningRate = 1e-3; pair.potentialOptimizer.learningRate = 1e-3 }
                let x = Tensor<Float>.randomNormal(shape: [n, 1], mean: Float(wide.m), standardDeviation: Float(wide.s.squareRoot()), using: &generator)
                let y = Tensor<Float>.randomNormal(shape: [n, 1], mean: Float(wide.b), standardDeviation: Float((1 / wide.a).squareRoot()), using: &generator)
                let z = Tensor<Float>.zeros([n, 1])
                _ = pair.step(x: x, previous: x, target: y, potentialNoise: z, mapNoise: z)
            }
            return (Double(pair.map.weight.scalars[0]), Double(pair.map.bias.scalars[0]), Double(pair.potential.coefficients.scalars[0]))
        }
        let logistic = train(.logistic)
        let intercept = mean - slope * wide.m
        XCTAssertEqual(logistic.slope, slope, accuracy: 0.03 * slope, "logistic slope")
        XCTAssertEqual(logistic.intercept, intercept, accuracy: 0.03 * abs(intercept) + 0.01, "logistic intercept")
        XCTAssertEqual(logistic.curvature, curvature, accuracy: 0.05 * abs(curvature) + 0.02, "logistic curvature")
    }

    /// With c = 2 target rows per prior row, L_v's first mean runs over all 2n target
    /// points (by hand), and its gradient, computed in row shards over the cores, equals the
    /// gradient of the unsharded loss.
    func testPotentialLossWithMoreTargetRowsThanPriorRows() {
        let map = AffineMap1D(weight: 1.5, bias: -0.25), potential = QuadraticPotential1D(p: 0.8, q: -0.3, c: 0.1)
        let x = Tensor<Float>(shape: [2, 1], scalars: [0.5, -1.0]), y = Tensor<Float>(shape: [4, 1], scalars: [1.0, 2.0, -0.5, 0.25])
        let z = Tensor<Float>.zeros([2, 1])
        func v(_ t: Double) -> Double { 0.4 * t * t - 0.3 * t + 0.1 }
        let tx = [1.5 * 0.5 - 0.25, 1.5 * -1.0 - 0.25]
        let lv = [1.0, 2.0, -0.5, 0.25].map { exp(-v($0)) - 1 }.reduce(0, +) / 4 + (v(tx[0]) + v(tx[1])) / 2
        let (value, gradients) = SJKOTrainingPair.potentialGradients(map: map, potential: potential, conjugate: .kl,
                                                                     r1Weight: 0, x: x, noise: z, target: y)
        XCTAssertEqual(Double(value.scalar), lv, accuracy: 1e-5 * max(1, abs(lv)))
        // Unsharded: the same loss as one expression of the potential's parameters.
        let moved = map(x, noise: z), psi = Conjugate.kl
        let whole = valueWithGradient(at: potential.parameters) { p in
            let w = potential.replacingParameters(p)
            return psi(-w(y)).mean() + w(moved).mean()
        }
        XCTAssertEqual(value.scalar, whole.value.scalar, accuracy: 1e-6)
        for (g, h) in zip(gradients, whole.gradients) {
            for (a, b) in zip(g.scalars, h.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        }
    }

    /// Quantile points x_i = Q((i + ½)/n) of a Gaussian: the batch means become quadrature
    /// of the expectations with error O(1/n²) in the bulk.
    func quantilePoints(mean: Double, variance: Double, count: Int) -> Tensor<Float> {
        let values = (0..<count).map { i in Float(mean + variance.squareRoot() * SpecialFunctions.normalQuantile((Double(i) + 0.5) / Double(count))) }
        return Tensor(shape: [count, 1], scalars: values)
    }

    /// At the closed-form optimum both losses are stationary in the parameters of the
    /// affine map and the quadratic potential: the gradients there are < 1 % of those at a
    /// point perturbed by 0.05 in every parameter (quadrature and Float rounding set the floor).
    func testClosedFormGaussianStepIsStationary() {
        for objective in PotentialObjective.allCases { assertClosedFormStepIsStationary(objective) }
    }

    func assertClosedFormStepIsStationary(_ objective: PotentialObjective) {
        let e = exact, v = exactPotential
        let n = 20_001
        let x = quantilePoints(mean: m, variance: s, count: n), y = quantilePoints(mean: b, variance: 1 / a, count: n)
        let z = Tensor<Float>.zeros([n, 1])
        func gradients(shift: Float) -> (map: [Float], potential: [Float]) {
            let map = AffineMap1D(weight: Float(e.slope) + shift, bias: Float(e.mean - e.slope * m) + shift)
            let potential = QuadraticPotential1D(p: Float(v.p) + shift, q: Float(v.q) - shift, c: Float(v.c) + shift)
            let (_, gv) = SJKOTrainingPair.potentialGradients(map: map, potential: potential, conjugate: .kl, objective: objective,
                                                              r1Weight: 0, x: x, noise: z, target: y)
            let (_, gt) = SJKOTrainingPair.mapGradients(map: map, potential: potential, costScale: Float(1 / (2 * h)),
                                                        x: x, previous: x, noise: z)
            return (gt.flatMap(\.scalars), gv.flatMap(\.scalars))
        }
        let atOptimum = gradients(shift: 0), perturbed = gradients(shift: 0.05)
        func norm(_ g: [Float]) -> Float { g.map { $0 * $0 }.reduce(0, +).squareRoot() }
        XCTAssertLessThan(norm(atOptimum.map), 0.01 * norm(perturbed.map), "\(objective): map gradient at the optimum \(atOptimum.map)")
        XCTAssertLessThan(norm(atOptimum.potential), 0.01 * norm(perturbed.potential), "\(objective): potential gradient at the optimum \(atOptimum.potential)")
    }

    /// Training the pair from T = id, v = 0 on fresh batches (seeded) converges to the
    /// closed-form step: slope, intercept and the potential's curvature within 3 %
    /// (the stochastic-gradient noise of batch 2000 at the final learning rate).
    func testTrainingConvergesToClosedFormGaussianStep() {
        let e = exact, v = exactPotential
        var pair = SJKOTrainingPair(map: AffineMap1D(weight: 1, bias: 0), potential: QuadraticPotential1D(p: 0, q: 0, c: 0),
                                    timeStep: Float(h), mapLearningRate: 1e-2, potentialLearningRate: 1e-2, beta1: 0.9, beta2: 0.999)
        var generator = RandomGenerator(seed: 7)
        let n = 2000
        for iteration in 0..<3000 {
            if iteration == 2000 { pair.mapOptimizer.learningRate = 1e-3; pair.potentialOptimizer.learningRate = 1e-3 }
            let x = Tensor<Float>.randomNormal(shape: [n, 1], mean: Float(m), standardDeviation: Float(s.squareRoot()), using: &generator)
            let y = Tensor<Float>.randomNormal(shape: [n, 1], mean: Float(b), standardDeviation: Float((1 / a).squareRoot()), using: &generator)
            let z = Tensor<Float>.zeros([n, 1])
            _ = pair.step(x: x, previous: x, target: y, potentialNoise: z, mapNoise: z)
        }
        let slope = Double(pair.map.weight.scalars[0]), intercept = Double(pair.map.bias.scalars[0])
        XCTAssertEqual(slope, e.slope, accuracy: 0.03 * e.slope)
        XCTAssertEqual(intercept, e.mean - e.slope * m, accuracy: 0.03 * abs(e.mean - e.slope * m) + 0.01)
        XCTAssertEqual(Double(pair.potential.coefficients.scalars[0]), v.p, accuracy: 0.05 * abs(v.p) + 0.02)
    }

    /// The optimality residual the runs report (`optimality_residual`): at the closed-form
    /// step, 2s(T(x) − x) = ∇v(T(x)) holds identically (the JKO Euler–Lagrange equation of
    /// the affine map and the quadratic potential), so the relative residual is at Float
    /// rounding (< 1e-4); with the map's slope off by 5 % it is the relative size of that
    /// error in the velocity, computed here by hand from the same formula.
    func testOptimalityResidualAtTheClosedFormStep() {
        let e = exact, v = exactPotential
        var settings = NeuralJKOSettings()
        settings.noiseSize = 0
        let problem = NeuralJKOProblem(dimension: 1,
                                       prior: { n, g in Matrix(rows: n, columns: 1, elements: (0..<n).map { _ in self.m + self.s.squareRoot() * g.normal() }) },
                                       target: { n, g in Matrix(rows: n, columns: 1, elements: (0..<n).map { _ in self.b + (1 / self.a).squareRoot() * g.normal() }) },
                                       timeSteps: [h])
        func residual(slope: Double) -> Double {
            let trainer = NeuralJKOTrainer(problem: problem, settings: settings,
                                           map: AffineMap1D(weight: Float(slope), bias: Float(e.mean - slope * m)),
                                           potential: QuadraticPotential1D(p: Float(v.p), q: Float(v.q), c: Float(v.c)),
                                           generator: RandomGenerator(seed: 3))
            return trainer.optimalityResidual(step: 0, previousMap: nil, count: 20_000)
        }
        XCTAssertLessThan(residual(slope: e.slope), 1e-4)
        // Off the optimum: u = (T − x)/h with T = m′ + M′(x − m) and ∇v(T) = pT + q, both affine
        // in x − m, so the ratio of root-mean-squares is exact in closed form over N(m, s):
        // with x − m = ξ, u − ∇v = α + βξ, u = γ + δξ ⇒ ratio² = (α² + β²s)/(γ² + δ²s).
        let slope = 1.05 * e.slope
        let alpha = (e.mean - m) / h - (v.p * e.mean + v.q), beta = (slope - 1) / h - v.p * slope
        let gamma = (e.mean - m) / h, delta = (slope - 1) / h
        let expected = ((alpha * alpha + beta * beta * s) / (gamma * gamma + delta * delta * s)).squareRoot()
        // Monte Carlo over 20 000 draws of N(m, s): a few % relative.
        XCTAssertEqual(residual(slope: slope), expected, accuracy: 0.05 * expected)
        XCTAssertGreaterThan(expected, 0.05)
    }
}
