import Autodiff
import NumericalCore
import XCTest
import _TestSupport

/// Forward values against independent references (direct sums, NumericalCore's Matrix).
final class ForwardValueTests: XCTestCase {
    func testMatmulMatchesMatrixProduct() {
        var generator = RandomGenerator(seed: 1)
        let a = Tensor<Double>.randomNormal(shape: [17, 29], using: &generator)
        let b = Tensor<Double>.randomNormal(shape: [29, 3], using: &generator)
        let expected = Matrix(rows: 17, columns: 29, elements: a.scalars) * Matrix(rows: 29, columns: 3, elements: b.scalars)
        assertClose(matmul(a, b).doubles, expected.elements, rtol: 1e-12)
    }

    /// conv2d against the defining sum y[n,o,i,j] = b[o] + Σ_{c,u,v} w[o,c,u,v]·x[n,c,2i+u−1,2j+v−1].
    func testConvolutionMatchesDirectSum() {
        var generator = RandomGenerator(seed: 2)
        let x = Tensor<Double>.randomNormal(shape: [2, 3, 7, 9], using: &generator)
        let w = Tensor<Double>.randomNormal(shape: [4, 3, 3, 3], using: &generator)
        let b = Tensor<Double>.randomNormal(shape: [4], using: &generator)
        let y = conv2d(x, weight: w, bias: b, stride: 2, padding: 1)
        XCTAssertEqual(y.shape, [2, 4, 4, 5])
        var expected: [Double] = []
        for n in 0..<2 { for o in 0..<4 { for i in 0..<4 { for j in 0..<5 {
            var s = b[o]
            for c in 0..<3 { for u in 0..<3 { for v in 0..<3 {
                let r = 2 * i + u - 1, q = 2 * j + v - 1
                if r >= 0 && r < 7 && q >= 0 && q < 9 { s += w[o, c, u, v] * x[n, c, r, q] }
            } } }
            expected.append(s)
        } } } }
        assertClose(y.doubles, expected, atol: 1e-13, rtol: 1e-12)
    }

    func testReductionsAndBroadcastValues() {
        let x = Tensor<Double>(shape: [2, 3], scalars: [1, 5, 3, -4, 2, 0])
        XCTAssertEqual(x.sum().scalar, 7)
        XCTAssertEqual(x.sum(alongAxis: 0).doubles, [-3, 7, 3])
        XCTAssertEqual(x.max(alongAxis: 1).doubles, [5, 2])
        XCTAssertEqual(x.mean(alongAxis: 1).doubles, [3, -2 / 3])
        XCTAssertEqual((x + Tensor(shape: [3], scalars: [10, 20, 30])).doubles, [11, 25, 33, 6, 22, 30])
        XCTAssertEqual((x * Tensor(shape: [2, 1], scalars: [2, -1])).doubles, [2, 10, 6, 4, -2, 0])
        XCTAssertEqual(x.transposed().doubles, [1, -4, 5, 2, 3, 0])
        XCTAssertEqual(Tensor.concatenated([x, x.slice(alongAxis: 1, range: 2..<3)], alongAxis: 1).doubles,
                       [1, 5, 3, 3, -4, 2, 0, 0])
        let image = Tensor<Double>(shape: [1, 1, 2, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(image.averagePooled(size: 2).doubles, [3.5, 5.5])
        XCTAssertEqual(image.upsampledNearest(factor: 2).shape, [1, 1, 4, 8])
    }

    /// Float kernels (fast exponential in σ, SiLU, softplus) agree with Double libm.
    func testFloatActivationsMatchDouble() {
        var generator = RandomGenerator(seed: 3)
        let x = Tensor<Double>.randomNormal(shape: [1000], standardDeviation: 20, using: &generator)
        let xf = x.converted(to: Float.self)
        for (name, f, g) in [("sigmoid", { (t: Tensor<Double>) in t.sigmoid() }, { (t: Tensor<Float>) in t.sigmoid() }),
                             ("silu", { $0.silu() }, { $0.silu() }),
                             ("softplus", { $0.softplus() }, { $0.softplus() })] {
            // Float rounding: relative 1e-6 (a few ulp), absolute 1e-30 near underflow.
            assertClose(g(xf).doubles, f(x).doubles, atol: 1e-30, rtol: 2e-6, name)
        }
    }

    func testSeededRandomTensorsAreReproducible() {
        var g1 = RandomGenerator(seed: 9), g2 = RandomGenerator(seed: 9)
        let a = Tensor<Float>.randomNormal(shape: [4, 5], mean: 1, standardDeviation: 2, using: &g1)
        let b = Tensor<Float>.randomNormal(shape: [4, 5], mean: 1, standardDeviation: 2, using: &g2)
        XCTAssertEqual(a.scalars, b.scalars)
        let u = Tensor<Double>.randomUniform(shape: [10_000], lowerBound: -1, upperBound: 3, using: &g1)
        XCTAssertTrue(u.scalars.allSatisfy { $0 >= -1 && $0 < 3 })
        // Mean of U(−1, 3) is 1 with standard error 4/√12/100 ≈ 0.0115; 4σ band.
        assertClose(u.mean().scalar, 1, atol: 0.05)
    }

    /// Transposed convolution is the adjoint of convolution: ⟨conv(x, w), g⟩ = ⟨x, convT(g, w)⟩.
    func testTransposedConvolutionIsTheAdjoint() {
        var generator = RandomGenerator(seed: 4)
        let x = Tensor<Double>.randomNormal(shape: [2, 3, 8, 6], using: &generator)
        let w = Tensor<Double>.randomNormal(shape: [5, 3, 3, 3], using: &generator)
        let y = conv2d(x, weight: w, stride: 2, padding: 1)
        let g = Tensor<Double>.randomNormal(shape: y.shape, using: &generator)
        // (8 + 2 − 3)/2 + 1 = 4 rows: (4 − 1)·2 − 2 + 3 + 1 = 8 with outputPadding 1.
        let back = transposedConv2d(g, weight: w, stride: 2, padding: 1, outputPadding: 1)
        XCTAssertEqual(back.shape, x.shape)
        assertClose((y * g).sum().scalar, (x * back).sum().scalar, rtol: 1e-12)
    }

    /// Each (sample, group) block of a group-normalised tensor has mean 0 and mean square
    /// σ²/(σ² + ε) (σ² its biased variance before normalisation).
    func testGroupNormalizationStandardisesEachGroup() {
        var generator = RandomGenerator(seed: 5)
        let x = Tensor<Double>.randomNormal(shape: [2, 6, 3, 4], mean: 3, standardDeviation: 2, using: &generator)
        let y = x.groupNormalized(groups: 3, epsilon: 0.01).scalars
        let xs = x.scalars
        for block in 0..<6 {
            let range = (block * 24)..<((block + 1) * 24)
            let mean = range.reduce(0) { $0 + xs[$1] } / 24
            let variance = range.reduce(0) { $0 + (xs[$1] - mean) * (xs[$1] - mean) } / 24
            assertClose(range.reduce(0) { $0 + y[$1] } / 24, 0, atol: 1e-14)
            assertClose(range.reduce(0) { $0 + y[$1] * y[$1] } / 24, variance / (variance + 0.01), rtol: 1e-12)
        }
    }
}
