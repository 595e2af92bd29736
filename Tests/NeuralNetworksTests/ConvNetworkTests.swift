import Autodiff
import NeuralNetworks
import NumericalCore
import XCTest
import _TestSupport

/// Convolutional layers (Conv2d, GroupNorm, AdaGN conditioning, residual block) and the
/// small image networks of the engine benchmark.
final class ConvNetworkTests: XCTestCase {
    func testConv2dLayerShapesAndOneValue() {
        var rng = RandomGenerator(seed: 1)
        var conv = Conv2d<Double>(inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2, padding: 1, generator: &rng)
        XCTAssertEqual(conv.parameterNames, ["weight", "bias"])
        let x = Tensor<Double>.randomNormal(shape: [1, 2, 5, 7], using: &rng)
        let y = conv(x)
        XCTAssertEqual(y.shape, [1, 3, 3, 4], "⌊(5 + 2 − 3)/2⌋ + 1 = 3, ⌊(7 + 2 − 3)/2⌋ + 1 = 4")
        // Output (o = 1, i = 1, j = 2) reads input rows 1…3 and columns 3…5: no padding involved.
        var expected = conv.bias!.doubles[1]
        for c in 0..<2 { for a in 0..<3 { for b in 0..<3 { expected += conv.weight[1, c, a, b] * x[0, c, 1 + a, 3 + b] } } }
        assertClose(y[0, 1, 1, 2], expected, atol: 1e-14)
        XCTAssertEqual(conv.flops(batch: 1, height: 5, width: 7), 2 * 3 * 12 * 2 * 9)
        conv.parameters = [conv.weight, Tensor(shape: [3], scalars: [0, 0, 0])]
        XCTAssertEqual(conv.bias!.doubles, [0, 0, 0])
    }

    func testGroupNormAndConditioningFollowTheirFormulas() {
        var rng = RandomGenerator(seed: 2)
        var norm = GroupNorm<Double>(groups: 2, channels: 4)
        norm.parameters = [Tensor(shape: [4], scalars: [1, 2, 3, 4]), Tensor(shape: [4], scalars: [0, 0.5, 0, -1])]
        let x = Tensor<Double>.randomNormal(shape: [1, 4, 1, 3], using: &rng)
        // Group 1 holds channels 2 and 3 (elements 6…11).
        let g1 = Array(x.doubles[6..<12])
        let mean = g1.reduce(0, +) / 6
        let variance = g1.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
        let expected = (x.doubles[10] - mean) / (variance + 1e-5).squareRoot() * 4 - 1  // channel 3, position 1
        assertClose(norm(x)[0, 3, 0, 1], expected, atol: 1e-13)

        var film = NoiseConditioning<Double>(embeddingSize: 2, channels: 4, generator: &rng)
        let e = Tensor<Double>(shape: [1, 2], scalars: [0.5, -1])
        XCTAssertEqual(film(x, embedding: e).doubles, x.doubles, "zero-initialised conditioning is the identity")
        film.parameters = [Tensor(shape: [8, 2], scalars: (0..<16).map { Double($0) / 10 }), Tensor.zeros([8])]
        // Channel 1: γ = row 1 · e = 0.2·0.5 − 0.3 = −0.2; β = row 5 · e = 1.0·0.5 − 1.1 = −0.6.
        assertClose(film(x, embedding: e)[0, 1, 0, 2], x[0, 1, 0, 2] * 0.8 - 0.6, atol: 1e-14)
    }

    /// Golden values: seeded networks (channels 8, noise 3, embedding 6, 4 groups, all
    /// parameters redrawn N(0, 0.3²) so the AdaGN is active) exported as a checkpoint and
    /// evaluated in float64 by PyTorch modules with the same parameter names
    /// (`nn.Conv2d`, `nn.GroupNorm`, `F.avg_pool2d`, `F.interpolate(mode="nearest")`;
    /// `benchmarks/reference/conv_networks_golden.py`). Agreement to 1e-12.
    func testConvNetworksMatchPyTorch() {
        var rng = RandomGenerator(seed: 8)
        var map = ConvMap<Double>(channels: 8, noiseSize: 3, embeddingSize: 6, groups: 4, generator: &rng)
        var potential = ConvPotential<Double>(channels: 8, groups: 4, generator: &rng)
        map.parameters = map.parameters.map { Tensor.randomNormal(shape: $0.shape, standardDeviation: 0.3, using: &rng) }
        potential.parameters = potential.parameters.map { Tensor.randomNormal(shape: $0.shape, standardDeviation: 0.3, using: &rng) }
        XCTAssertEqual(map.parameterNames.count, 44)
        XCTAssertTrue(map.parameterNames.contains("middle.conditioning.dense.weight"))
        XCTAssertTrue(map.parameterNames.contains("middle.skip.weight"))
        XCTAssertEqual(potential.parameterNames.count, 24)

        var inputs = RandomGenerator(seed: 99)
        let x = Tensor<Double>.randomNormal(shape: [2, 1, 8, 8], using: &inputs)
        let z = Tensor<Double>.randomNormal(shape: [2, 3], using: &inputs)
        let t = map(x, noise: z)
        XCTAssertEqual(t.shape, [2, 1, 8, 8])
        let d = t.doubles
        assertClose(Array(d[0..<3]) + Array(d[64..<67]),
                    [-0.014278883894538543, 0.059447549960365303, 0.30213796773237195,
                     -0.018058107223464848, 0.056053032687209396, 0.2960391687766807], atol: 1e-12)
        assertClose(d.reduce(0, +), 37.21528984716335, atol: 1e-11)
        assertClose(potential(x).doubles, [0.17381624698817638, 0.20704121182209473], atol: 1e-12)
    }
}
