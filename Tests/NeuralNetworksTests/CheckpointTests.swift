import Autodiff
import Foundation
import NeuralNetworks
import NumericalCore
import XCTest

/// Checkpoints of layers: bit-exact round trips through a file, and rejection of a
/// corrupted or mismatched file with the tensor named.
final class CheckpointTests: XCTestCase {
    var folder: URL!

    override func setUp() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("jkokit-checkpoint-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    func saved(_ map: ToyMap<Float>, _ potential: ToyPotential<Float>) throws -> URL {
        var checkpoint = Checkpoint(metadata: ["step": "3"])
        checkpoint.add(map, as: "map")
        checkpoint.add(potential, as: "potential")
        let url = folder.appendingPathComponent("step-3.safetensors")
        try checkpoint.write(to: url)
        return url
    }

    func bits(_ layer: some Layer<Float>) -> [[UInt32]] { layer.parameters.map { $0.scalars.map(\.bitPattern) } }

    func testToyNetworksRoundTripBitExactly() throws {
        var rng = RandomGenerator(seed: 1)
        var map = ToyMap<Float>(generator: &rng)
        let potential = ToyPotential<Float>(generator: &rng)
        // A trained-looking state: one Adam step moves every parameter off its initial grid.
        let x = Tensor<Float>.randomNormal(shape: [8, 2], using: &rng), z = Tensor<Float>.randomNormal(shape: [8, 2], using: &rng)
        let current = map
        let grads = gradient(at: current.parameters) { p in current.replacingParameters(p)(x, noise: z).squared().sum() }
        var adam = Adam<Float>(learningRate: 1e-3)
        adam.step(&map, gradients: grads)

        let url = try saved(map, potential)
        let file = try Checkpoint(contentsOf: url)
        XCTAssertEqual(file.metadata, ["step": "3"])
        var otherRng = RandomGenerator(seed: 2)
        var loadedMap = ToyMap<Float>(generator: &otherRng)
        var loadedPotential = ToyPotential<Float>(generator: &otherRng)
        XCTAssertNotEqual(bits(loadedMap), bits(map))
        try file.load(into: &loadedMap, from: "map")
        try file.load(into: &loadedPotential, from: "potential")
        XCTAssertEqual(bits(loadedMap), bits(map))
        XCTAssertEqual(bits(loadedPotential), bits(potential))
        XCTAssertEqual(loadedMap(x, noise: z).scalars.map(\.bitPattern), map(x, noise: z).scalars.map(\.bitPattern))
    }

    func assertLoadFails<L: Layer>(_ url: URL, into layer: L, from prefix: String, _ expected: CheckpointError,
                                   file: StaticString = #filePath, line: UInt = #line) where L.Scalar: SafeTensorsScalar {
        var target = layer
        let before = layer.parameters.map(\.doubles)
        XCTAssertThrowsError(try Checkpoint(contentsOf: url).load(into: &target, from: prefix), file: file, line: line) {
            XCTAssertEqual($0 as? CheckpointError, expected, file: file, line: line)
            XCTAssertTrue("\($0)".contains("'\(expected.tensorName!)'"), "\($0)", file: file, line: line)
        }
        XCTAssertEqual(target.parameters.map(\.doubles), before, "a failed load leaves the layer unchanged", file: file, line: line)
    }

    func testMismatchedLayersAreRejectedNamingTheTensor() throws {
        var rng = RandomGenerator(seed: 3)
        let url = try saved(ToyMap<Float>(generator: &rng), ToyPotential<Float>(generator: &rng))
        assertLoadFails(url, into: ToyMap<Float>(width: 64, generator: &rng), from: "map",
                        .shapeMismatch(tensor: "map.trunk.input.weight", file: [128, 2], model: [64, 2]))
        assertLoadFails(url, into: ToyMap<Float>(noiseSize: 0, generator: &rng), from: "map",
                        .unexpectedTensor("map.noise.0.weight"))
        assertLoadFails(url, into: ToyMap<Float>(noiseSize: 3, generator: &rng), from: "map",
                        .shapeMismatch(tensor: "map.noise.0.weight", file: [128, 2], model: [128, 3]))
        assertLoadFails(url, into: ToyMap<Double>(generator: &rng), from: "map",
                        .dtypeMismatch(tensor: "map.trunk.input.weight", file: .float32, model: .float64))
        assertLoadFails(url, into: ToyMap<Float>(generator: &rng), from: "potential",
                        .missingTensor("potential.noise.0.weight"))
        assertLoadFails(url, into: ToyPotential<Float>(blockCount: 4, generator: &rng), from: "potential",
                        .missingTensor("potential.trunk.blocks.3.0.weight"))
    }

    func testCorruptedFileIsRejectedNamingTheTensor() throws {
        var rng = RandomGenerator(seed: 4)
        let map = ToyMap<Float>(generator: &rng)
        let url = try saved(map, ToyPotential<Float>(generator: &rng))
        var data = try Data(contentsOf: url)
        // The last tensor is potential.head.2.bias (one Float); flip a bit of the one before
        // it, potential.head.2.weight ([1, 128]).
        data[data.count - 4 - 100] ^= 0x10
        try data.write(to: url)
        var target = map
        XCTAssertThrowsError(try Checkpoint(contentsOf: url).load(into: &target, from: "map")) {
            XCTAssertEqual(($0 as? CheckpointError)?.tensorName, "potential.head.2.weight", "\($0)")
            XCTAssertTrue("\($0)".contains("CRC-32"), "\($0)")
        }
    }
}
