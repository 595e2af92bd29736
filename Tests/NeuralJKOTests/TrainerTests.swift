import Autodiff
import Foundation
import NeuralJKO
import NeuralNetworks
import NumericalCore
import XCTest

/// The trainer's bookkeeping: both parametrisations, exact continuation from a checkpoint,
/// and the divergence guard. Tiny networks (width 8, one block), a 2D Gaussian problem.
final class TrainerTests: XCTestCase {
    typealias Trainer = NeuralJKOTrainer<FlowMap<Float>, FlowPotential<Float>>

    func makeTrainer(_ parametrisation: NeuralJKOSettings.Parametrisation, target: NeuralJKOProblem.Sampler? = nil,
                     steps: Int = 3, ema: Double? = nil) -> Trainer {
        var settings = NeuralJKOSettings()
        settings.parametrisation = parametrisation
        settings.noiseSize = 2
        settings.width = 8
        settings.blockCount = 1
        settings.batchSize = 64
        settings.firstStepIterations = 20
        settings.laterStepIterations = 10
        settings.mapLearningRate = 1e-3
        settings.potentialLearningRate = 1e-3
        settings.emaDecay = ema
        let problem = NeuralJKOProblem(
            dimension: 2,
            prior: { n, g in Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in g.normal() }) },
            target: target ?? { n, g in Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in 1 + 0.5 * g.normal() }) },
            timeSteps: [Double](repeating: 0.1, count: steps))
        var rng = RandomGenerator(seed: 11)
        let map = FlowMap<Float>(dimension: 2, noiseSize: 2, width: 8, blockCount: 1, residual: true, generator: &rng)
        let potential = FlowPotential<Float>(dimension: 2, width: 8, blockCount: 1, quadratic: true, generator: &rng)
        return Trainer(problem: problem, settings: settings, map: map, potential: potential, generator: rng)
    }

    /// Training steps 0, 1 then checkpointing, restoring into a fresh trainer and training
    /// step 2 gives bit-identical samples to training all three in one go; for S-JKO (with
    /// EMA) and for the chain (whose checkpoint holds every earlier map).
    func testCheckpointContinuationIsBitIdentical() throws {
        for (parametrisation, ema) in [(NeuralJKOSettings.Parametrisation.sjko, 0.9 as Double?), (.chain, nil)] {
            var straight = makeTrainer(parametrisation, ema: ema)
            for k in 0..<3 { XCTAssertEqual(straight.trainStep(k).status, .converged) }
            var first = makeTrainer(parametrisation, ema: ema)
            for k in 0..<2 { _ = first.trainStep(k) }
            let file = first.checkpoint().file
            var resumed = makeTrainer(parametrisation, ema: ema)
            try resumed.restore(from: Checkpoint(file: SafeTensorsFile(data: file.encoded())))
            resumed.generator = first.generator
            XCTAssertEqual(resumed.completedSteps, 2)
            _ = resumed.trainStep(2)
            var g1 = RandomGenerator(seed: 5), g2 = RandomGenerator(seed: 5)
            XCTAssertEqual(straight.sample(count: 50, using: &g1).elements, resumed.sample(count: 50, using: &g2).elements, "\(parametrisation)")
        }
    }

    /// The chain keeps one map per step and samples by composing them; S-JKO keeps T_old only.
    func testParametrisationsKeepTheirMaps() {
        var chain = makeTrainer(.chain), sjko = makeTrainer(.sjko)
        for k in 0..<3 { _ = chain.trainStep(k); _ = sjko.trainStep(k) }
        XCTAssertEqual(chain.chain.count, 3)
        XCTAssertNil(chain.previousMap)
        XCTAssertTrue(sjko.chain.isEmpty)
        XCTAssertNotNil(sjko.previousMap)
        // Sampling the chain after 3 steps applies T_2 ∘ T_1 ∘ T_0 to prior samples.
        var g = RandomGenerator(seed: 3)
        XCTAssertEqual(chain.sample(count: 10, using: &g).rows, 10)
    }

    /// A target that turns NaN after 15 batches stops step 0 at its 16th iteration with a
    /// `.diverged` record naming the step, the iteration and the loss; the trainer keeps
    /// the last good iterate (no step completed).
    func testNonFiniteLossStopsWithStepAndIteration() {
        final class Counter: @unchecked Sendable { var calls = 0 }
        let counter = Counter()
        var trainer = makeTrainer(.sjko, target: { n, g in
            counter.calls += 1
            let value = counter.calls > 15 ? Double.nan : 1.0
            return Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in value + 0.5 * g.normal() })
        })
        let record = trainer.trainStep(0)
        guard case let .diverged(step, iteration, loss, _) = record.status else { return XCTFail("expected divergence, got \(record.status)") }
        XCTAssertEqual(step, 0)
        XCTAssertEqual(iteration, 16)
        XCTAssertEqual(loss, "potential")
        XCTAssertEqual(trainer.completedSteps, 0)
    }
}
