@testable import Autodiff
import NumericalCore
import XCTest
import _TestSupport

/// The stride-1 kernels on padded planes against the defining sum and against the
/// image-by-image im2col kernels, with chunks forced small so that a batch spans several
/// chunks and ends in a partial one.
final class PaddedPlanesTests: XCTestCase {
    /// (x shape, weight shape, padding) of stride-1 convolutions: 3×3 with padding 1, 1×1
    /// without padding, a non-square kernel with padding 2.
    let cases: [([Int], [Int], Int)] = [([5, 3, 6, 7], [4, 3, 3, 3], 1),
                                        ([5, 3, 6, 7], [2, 3, 1, 1], 0),
                                        ([3, 2, 5, 4], [3, 2, 2, 3], 2)]

    func testForwardMatchesDirectSum() {
        var generator = RandomGenerator(seed: 11)
        for (xShape, wShape, p) in cases {
            let x = Tensor<Double>.randomNormal(shape: xShape, using: &generator)
            let w = Tensor<Double>.randomNormal(shape: wShape, using: &generator)
            let geometry = ConvolutionGeometry(input: xShape, weight: wShape, stride: 1, padding: p)
            let (ho, wo) = (geometry.outputHeight, geometry.outputWidth)
            var expected: [Double] = []
            for n in 0..<xShape[0] { for o in 0..<wShape[0] { for i in 0..<ho { for j in 0..<wo {
                var s = 0.0
                for c in 0..<xShape[1] { for u in 0..<wShape[2] { for v in 0..<wShape[3] {
                    let r = i + u - p, q = j + v - p
                    if r >= 0 && r < xShape[2] && q >= 0 && q < xShape[3] { s += w[o, c, u, v] * x[n, c, r, q] }
                } } }
                expected.append(s)
            } } } }
            for budget in [1, 2 * (xShape[1] + wShape[0]) * (xShape[2] + 2 * p) * (xShape[3] + 2 * p), PaddedPlanes.budget] {
                let layout = PaddedPlanes(geometry, budget: budget)
                let y = paddedConvolutionKernel(x, w, layout)
                XCTAssertEqual(y.shape, geometry.outputShape)
                assertClose(y.doubles, expected, atol: 1e-13, rtol: 1e-12, "\(wShape) p \(p), \(layout.imagesPerChunk) images per chunk")
            }
        }
    }

    /// The input and weight adjoints equal those of the image-by-image kernels.
    func testAdjointsMatchImageKernels() {
        var generator = RandomGenerator(seed: 12)
        for (xShape, wShape, p) in cases {
            let geometry = ConvolutionGeometry(input: xShape, weight: wShape, stride: 1, padding: p)
            let x = Tensor<Double>.randomNormal(shape: xShape, using: &generator)
            let w = Tensor<Double>.randomNormal(shape: wShape, using: &generator)
            let g = Tensor<Double>.randomNormal(shape: geometry.outputShape, using: &generator)
            let inputAdjoint = imageConvolutionTransposedKernel(g, w, geometry).doubles
            let weightAdjoint = imageConvolutionWeightGradientKernel(x, g, geometry).doubles
            for budget in [1, 2 * (xShape[1] + wShape[0]) * (xShape[2] + 2 * p) * (xShape[3] + 2 * p)] {
                let layout = PaddedPlanes(geometry, budget: budget)
                XCTAssertLessThan(layout.imagesPerChunk, xShape[0])
                assertClose(paddedConvolutionTransposedKernel(g, w, layout).doubles, inputAdjoint, atol: 1e-12, rtol: 1e-12)
                assertClose(paddedConvolutionWeightGradientKernel(x, g, layout).doubles, weightAdjoint, atol: 1e-12, rtol: 1e-12)
            }
            // ⟨conv(x, w), g⟩ = ⟨x, convT(g, w)⟩ on the padded path alone.
            let layout = PaddedPlanes(geometry)
            let lhs = zip(paddedConvolutionKernel(x, w, layout).doubles, g.doubles).map(*).reduce(0, +)
            let rhs = zip(x.doubles, paddedConvolutionTransposedKernel(g, w, layout).doubles).map(*).reduce(0, +)
            assertClose(lhs, rhs, rtol: 1e-12)
        }
    }
}
