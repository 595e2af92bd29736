import Autodiff
import Foundation
import NeuralNetworks
import NumericalCore
import XCTest

/// Optimiser state and parameter averages in checkpoints: training resumed from a file
/// continues bit for bit like training that never stopped; mismatches name the tensor.
final class TrainingStateCheckpointTests: XCTestCase {
    var folder: URL!

    override func setUp() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("jkokit-training-state-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A model, its optimiser and its average: one object to train and compare.
    struct Trainer<O: StatefulOptimizer> where O.Scalar == Float {
        var potential: ToyPotential<Float>
        var optimizer: O
        var average = ExponentialMovingAverage<Float>(decay: 0.9)

        /// Fits v(x) ≈ |x|² on a fixed batch drawn from `seed + k` at step k.
        mutating func train(steps: Range<Int>) {
            for k in steps {
                var rng = RandomGenerator(seed: UInt64(100 + k))
                let x = Tensor<Float>.randomNormal(shape: [16, 2], using: &rng)
                let target = (x * x).sum(alongAxis: 1)
                let current = potential
                let grads = gradient(at: current.parameters) { p in
                    (current.replacingParameters(p)(x) - target).squared().mean()
                }
                optimizer.step(&potential, gradients: grads)
                average.update(from: potential)
            }
        }

        func checkpoint() -> Checkpoint {
            var c = Checkpoint()
            c.add(potential, as: "potential")
            c.add(optimizer, of: potential, as: "optimizer.potential")
            c.add(average, of: potential, as: "ema.potential")
            return c
        }

        func bits() -> [[UInt32]] {
            potential.parameters.map { $0.scalars.map(\.bitPattern) } + average.averages.map { $0.map(\.bitPattern) }
        }
    }

    func resumedRunMatches<O: StatefulOptimizer>(_ fresh: O) throws where O.Scalar == Float {
        var rng = RandomGenerator(seed: 7)
        let start = Trainer(potential: ToyPotential<Float>(generator: &rng), optimizer: fresh)
        var straight = start
        straight.train(steps: 0..<6)

        var first = start
        first.train(steps: 0..<3)
        let url = folder.appendingPathComponent("step-3.safetensors")
        try first.checkpoint().write(to: url)
        let file = try Checkpoint(contentsOf: url)
        var resumed = start   // the untrained model, optimiser and average
        try file.load(into: &resumed.potential, from: "potential")
        try file.load(into: &resumed.optimizer, of: resumed.potential, from: "optimizer.potential")
        try file.load(into: &resumed.average, of: resumed.potential, from: "ema.potential")
        XCTAssertEqual(resumed.optimizer.stepCount, 3)
        XCTAssertEqual(resumed.average.updateCount, 3)
        resumed.train(steps: 3..<6)
        XCTAssertEqual(resumed.bits(), straight.bits(), "resumed training differs from uninterrupted training")
        // Without the optimiser state the continuation differs (the test can fail).
        var naive = start
        try file.load(into: &naive.potential, from: "potential")
        naive.train(steps: 3..<6)
        XCTAssertNotEqual(naive.bits().prefix(1), straight.bits().prefix(1))
    }

    func testAdamResumesBitExactly() throws {
        try resumedRunMatches(Adam<Float>(learningRate: 1e-3, beta1: 0.5, beta2: 0.9))
    }

    func testAdamWAndMomentumSGDResumeBitExactly() throws {
        try resumedRunMatches(Adam<Float>.adamW(learningRate: 1e-3))
        try resumedRunMatches(SGD<Float>(learningRate: 1e-3, momentum: 0.9, nesterov: true))
    }

    func testStateNamesFollowPyTorchAndMismatchesNameTheTensor() throws {
        var rng = RandomGenerator(seed: 8)
        var trainer = Trainer(potential: ToyPotential<Float>(generator: &rng), optimizer: Adam<Float>(learningRate: 1e-3))
        trainer.train(steps: 0..<1)
        let checkpoint = trainer.checkpoint()
        let names = Set(checkpoint.file.tensors.map(\.name))
        XCTAssertTrue(names.contains("optimizer.potential.trunk.input.weight.exp_avg"))
        XCTAssertTrue(names.contains("optimizer.potential.head.2.bias.exp_avg_sq"))
        XCTAssertTrue(names.contains("ema.potential.head.0.weight"))
        XCTAssertEqual(checkpoint.metadata["optimizer.potential.step"], "1")
        XCTAssertEqual(checkpoint.metadata["ema.potential.updates"], "1")
        // The layer itself still loads: the state lives under other prefixes.
        var copy = trainer.potential
        XCTAssertNoThrow(try checkpoint.load(into: &copy, from: "potential"))

        // A map's Adam state does not fit the potential: the first differing tensor is named.
        var map = ToyMap<Float>(generator: &rng)
        var adam = Adam<Float>(learningRate: 1e-3)
        let mapGrads = map.parameters.map { Tensor<Float>.ones($0.shape) }
        adam.step(&map, gradients: mapGrads)
        var other = Checkpoint()
        other.add(adam, of: map, as: "optimizer.potential")
        var target = Adam<Float>(learningRate: 1e-3)
        XCTAssertThrowsError(try other.load(into: &target, of: trainer.potential, from: "optimizer.potential")) { error in
            // Same trunk and head.0; the map's head.2 has 2 outputs, the potential's 1.
            XCTAssertEqual(error as? CheckpointError,
                           .shapeMismatch(tensor: "optimizer.potential.head.2.weight.exp_avg", file: [2, 128], model: [1, 128]))
        }
        XCTAssertEqual(target.stepCount, 0, "a failed load leaves the optimiser unchanged")
        // Missing step count: a clear message naming the key.
        XCTAssertThrowsError(try checkpoint.load(into: &target, of: trainer.potential, from: "optimiser.potential")) { error in
            XCTAssertEqual("\(error)", "corrupt checkpoint: metadata 'optimiser.potential.step' is missing; was this state saved under another prefix?")
        }
    }
}
