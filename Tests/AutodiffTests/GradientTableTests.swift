import Autodiff
import XCTest

/// Every differentiable operation against central finite differences in Double, on odd
/// shapes, with broadcasting in both directions and values used twice.
final class GradientTableTests: XCTestCase {
    func testArithmeticAndBroadcasting() {
        let cases: [GradientCase] = [
            GradientCase("add 3×5", [[3, 5], [3, 5]]) { $0[0] + $0[1] },
            GradientCase("add row broadcast 3×5 + 5", [[3, 5], [5]]) { $0[0] + $0[1] },
            GradientCase("add column broadcast 3×1 + 1×5", [[3, 1], [1, 5]]) { $0[0] + $0[1] },
            GradientCase("subtract 5 − 3×5", [[5], [3, 5]]) { $0[0] - $0[1] },
            GradientCase("multiply 17×29 · 29", [[17, 29], [29]]) { $0[0] * $0[1] },
            GradientCase("multiply 1×29 · 17×1", [[1, 29], [17, 1]]) { $0[0] * $0[1] },
            GradientCase("divide 3×5 / 3×1", [[3, 5], [3, 1]], positive: true) { $0[0] / $0[1] },
            GradientCase("scalar forms", [[3, 5]]) { (2 * $0[0] - 1) / 3 + 0.5 },
            GradientCase("used twice x·x + x", [[3, 5]]) { $0[0] * $0[0] + $0[0] },
            GradientCase("negate", [[3, 5]]) { -$0[0] },
            GradientCase("reciprocal", [[3, 5]], positive: true) { $0[0].reciprocal() },
        ]
        cases.forEach { assertGradientsMatch($0) }
    }

    func testElementwiseFunctions() {
        let cases: [GradientCase] = [
            GradientCase("exp", [[3, 5]]) { $0[0].exp() },
            GradientCase("expm1", [[3, 5]]) { $0[0].expm1() },
            GradientCase("log", [[3, 5]], positive: true) { $0[0].log() },
            GradientCase("log1p", [[3, 5]], positive: true) { $0[0].log1p() },
            GradientCase("sqrt", [[3, 5]], positive: true) { $0[0].squareRoot() },
            GradientCase("pow 2.5", [[3, 5]], positive: true) { $0[0].power(2.5) },
            GradientCase("abs", [[3, 5]]) { $0[0].absoluteValue() },
            GradientCase("softplus", [[17, 29]]) { ($0[0] * 3).softplus() },
            GradientCase("silu", [[17, 29]]) { ($0[0] * 3).silu() },
            GradientCase("relu", [[17, 29]]) { $0[0].relu() },
            GradientCase("leaky relu", [[17, 29]]) { $0[0].leakyRelu(slope: 0.2) },
            GradientCase("tanh", [[17, 29]]) { $0[0].tanh() },
            GradientCase("sigmoid", [[17, 29]]) { ($0[0] * 3).sigmoid() },
            GradientCase("sin", [[3, 5]]) { ($0[0] * 2).sin() },
            GradientCase("cos", [[3, 5]]) { ($0[0] * 2).cos() },
            GradientCase("clamped (χ² conjugate's max(t, −2))", [[17, 29]]) { ($0[0] * 3).clamped(lowerBound: -2) },
            GradientCase("clamped both sides", [[17, 29]]) { $0[0].clamped(lowerBound: -0.5, upperBound: 0.7) },
        ]
        cases.forEach { assertGradientsMatch($0) }
    }

    func testReductionsAndShapes() {
        let cases: [GradientCase] = [
            GradientCase("sum all", [[3, 5]]) { $0[0].sum() },
            GradientCase("sum axis 0", [[17, 29]]) { $0[0].sum(alongAxis: 0) },
            GradientCase("sum axis 1 kept", [[3, 5, 2]]) { $0[0].sum(alongAxis: 1, keepingDimension: true) },
            GradientCase("mean axes", [[3, 5, 2]]) { $0[0].mean(alongAxes: [0, 2]) },
            GradientCase("mean all", [[3, 5]]) { $0[0].mean() },
            GradientCase("max axis 1", [[3, 5]]) { $0[0].max(alongAxis: 1) },
            GradientCase("max axis 0 kept", [[3, 5]]) { $0[0].max(alongAxis: 0, keepingDimension: true) },
            GradientCase("broadcasted", [[3, 1]]) { $0[0].broadcasted(to: [2, 3, 5]) },
            GradientCase("reshape", [[3, 5]]) { $0[0].reshaped(to: [5, -1]) * $0[0].reshaped(to: [5, 3]) },
            GradientCase("transpose", [[3, 5]]) { $0[0].transposed() },
            GradientCase("permute", [[2, 3, 5]]) { $0[0].permuted([2, 0, 1]) },
            GradientCase("slice", [[3, 5]]) { $0[0].slice(alongAxis: 1, range: 1..<4) },
            GradientCase("pad", [[3, 5]]) { $0[0].padded(alongAxis: 0, before: 2, after: 1) },
            GradientCase("concat", [[3, 5], [3, 2]]) { Tensor.concatenated([$0[0], $0[1], $0[0]], alongAxis: 1) },
            GradientCase("stack", [[3, 5], [3, 5]]) { Tensor.stacked([$0[0], $0[1]], alongAxis: 1) },
        ]
        cases.forEach { assertGradientsMatch($0) }
    }

    func testMatrixProducts() {
        let cases: [GradientCase] = [
            GradientCase("matmul 3×5 · 5×4", [[3, 5], [5, 4]]) { matmul($0[0], $0[1]) },
            GradientCase("matmul 17×29ᵀ · 17×3", [[17, 29], [17, 3]]) { matmul($0[0], $0[1], transposeA: true) },
            GradientCase("matmul 3×5 · 4×5ᵀ", [[3, 5], [4, 5]]) { matmul($0[0], $0[1], transposeB: true) },
            GradientCase("matmul ᵀ·ᵀ", [[5, 3], [4, 5]]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
            GradientCase("batched matmul", [[2, 3, 5], [2, 5, 4]]) { $0[0].matmul($0[1]) },
            GradientCase("batched × matrix", [[2, 3, 5], [5, 4]]) { $0[0].matmul($0[1]) },
            GradientCase("linear", [[17, 5], [3, 5], [3]]) { linear($0[0], weight: $0[1], bias: $0[2]) },
            GradientCase("linear no bias", [[3, 5], [4, 5]]) { linear($0[0], weight: $0[1], bias: nil) },
        ]
        cases.forEach { assertGradientsMatch($0) }
    }

    func testConvolutionsPoolingNormalization() {
        let cases: [GradientCase] = [
            GradientCase("conv2d stride 2 padding 1", [[2, 3, 7, 9], [4, 3, 3, 3], [4]]) {
                conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1)
            },
            GradientCase("conv2d 1×2 kernel", [[1, 2, 5, 4], [3, 2, 1, 2]]) { conv2d($0[0], weight: $0[1]) },
            GradientCase("conv2d 3×3 stride 1 padding 1", [[3, 2, 5, 6], [3, 2, 3, 3], [3]]) {
                conv2d($0[0], weight: $0[1], bias: $0[2], padding: 1)
            },
            GradientCase("transposed conv2d stride 1 padding 1", [[2, 3, 4, 5], [3, 2, 3, 3]]) {
                transposedConv2d($0[0], weight: $0[1], padding: 1)
            },
            GradientCase("conv2d 2×3 kernel stride 3 padding 2", [[2, 2, 5, 7], [3, 2, 2, 3]]) {
                conv2d($0[0], weight: $0[1], stride: 3, padding: 2)
            },
            GradientCase("transposed conv2d stride 2", [[2, 3, 4, 5], [3, 2, 3, 3], [2]]) {
                transposedConv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1, outputPadding: 1)
            },
            GradientCase("average pool 2 (odd size)", [[2, 3, 5, 7]]) { $0[0].averagePooled(size: 2) },
            GradientCase("upsample nearest 2", [[2, 3, 3, 2]]) { $0[0].upsampledNearest(factor: 2) },
            GradientCase("group norm 2 groups", [[3, 4, 3, 5], [4], [4]]) {
                $0[0].groupNormalized(groups: 2, scale: $0[1], offset: $0[2])
            },
            GradientCase("channel affine, [C] scale and offset", [[3, 4, 2, 5], [4], [4]]) {
                $0[0].channelAffine(scale: $0[1], offset: $0[2])
            },
            GradientCase("channel affine, [N, C] scale, [C] offset", [[3, 4, 3, 2], [3, 4], [4]]) {
                $0[0].channelAffine(scale: $0[1], offset: $0[2])
            },
            GradientCase("channel affine, [N, C] offset only, rank 2", [[3, 4], [3, 4]]) {
                $0[0].channelAffine(offset: $0[1])
            },
        ]
        cases.forEach { assertGradientsMatch($0) }
    }
}
