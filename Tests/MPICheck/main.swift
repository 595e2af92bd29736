import Autodiff
import Foundation
import MessagePassing
import NeuralJKO
import NeuralNetworks
import NumericalCore

// `jko-mpi-check CASE`: the multi-process checks of MessagePassingTests, run under
// `mpirun -np P`. Each case checks itself on every rank and prints one result line on
// rank 0; a failed check ends the job through Communicator.fail (MPI_Abort), as jko does.
//
//   allreduce   rank r contributes v_i = (r + 1)(i + 1), i < 1001 (Float and Double, exact
//               in both); the sum must be P(P + 1)/2 · (i + 1) exactly; then broadcast,
//               gather and all-gather of per-rank buffers of different lengths.
//   sjko-step   both networks' gradients and losses on a batch of 96, each rank's slice
//               all-reduced against the whole batch in one process (gradient_gap); then one
//               S-JKO training iteration at step 0 and one at step 1 (T_old frozen) of
//               NeuralJKOTrainer across the P ranks against the same trainer alone on the
//               same seed, i.e. the same global batch (parameter_gap, loss_gap). Gaps are
//               |a − b|₂ / |b|₂; worst_parameter_gap is |a − b|_∞ / |b|_∞ (for the record).
//   fail R      rank R throws; the others wait in a barrier that only MPI_Abort ends.

struct CheckFailure: Error, CustomStringConvertible {
    let description: String
}

func allReduceCheck(_ world: Communicator) throws {
    let n = 1001, p = world.size
    var floats = (0..<n).map { Float((world.rank + 1) * ($0 + 1)) }
    var doubles = floats.map(Double.init)
    world.allReduceSum(&floats)
    world.allReduceSum(&doubles)
    let factor = p * (p + 1) / 2
    for i in 0..<n where floats[i] != Float(factor * (i + 1)) || doubles[i] != Double(factor * (i + 1)) {
        throw CheckFailure(description: "allreduce: entry \(i) is \(floats[i]) / \(doubles[i]), expected \(factor * (i + 1))")
    }
    var averaged = [Double](repeating: Double(world.rank), count: 3)
    world.allReduceAverage(&averaged)
    guard averaged == [Double](repeating: Double(p - 1) / 2, count: 3) else { throw CheckFailure(description: "average: \(averaged)") }
    var message: [UInt8] = world.isRoot ? Array("root message".utf8) : []
    world.broadcast(&message)
    guard String(decoding: message, as: UTF8.self) == "root message" else { throw CheckFailure(description: "broadcast: \(message)") }
    // Rank r sends r + 1 values r; gathered in rank order: 0, 1, 1, 2, 2, 2, …
    let mine = [Double](repeating: Double(world.rank), count: world.rank + 1)
    let expected = (0..<p).flatMap { [Double](repeating: Double($0), count: $0 + 1) }
    guard world.allGather(mine) == expected else { throw CheckFailure(description: "allGather: \(world.allGather(mine))") }
    let gathered = world.gather(mine)
    guard gathered == (world.isRoot ? expected : []) else { throw CheckFailure(description: "gather: \(gathered)") }
    world.barrier()
    if world.isRoot { print("allreduce ok: \(p) ranks, \(n) Float and Double sums exact, broadcast/gather/allGather ok, \(world.statistics.allReduceCalls) all-reduces") }
}

/// A small S-JKO trainer (2D toy target, the toy networks at width 32).
func makeTrainer(_ communicator: Communicator) -> NeuralJKOTrainer<FlowMap<Float>, FlowPotential<Float>> {
    var settings = NeuralJKOSettings()
    settings.firstStepIterations = 1
    settings.laterStepIterations = 1
    settings.batchSize = 96
    settings.width = 32
    settings.blockCount = 2
    settings.mapLearningRate = 1e-3
    settings.potentialLearningRate = 1e-3
    settings.r1Weight = 0.1
    let problem = NeuralJKOProblem(dimension: 2, prior: { n, g in Matrix(rows: n, columns: 2, elements: g.normals(2 * n)) },
                                   target: { n, g in Matrix(rows: n, columns: 2, elements: g.normals(2 * n).map { 0.5 * $0 + 1 }) },
                                   timeSteps: [0.1, 0.1])
    var rng = RandomGenerator(seed: 7)
    let map = FlowMap<Float>(dimension: 2, noiseSize: settings.noiseSize, width: settings.width, blockCount: settings.blockCount,
                             residual: false, generator: &rng)
    let potential = FlowPotential<Float>(dimension: 2, width: settings.width, blockCount: settings.blockCount,
                                         quadratic: false, quadraticScale: 1, network: true, generator: &rng)
    return NeuralJKOTrainer(problem: problem, settings: settings, map: map, potential: potential, generator: rng, communicator: communicator)
}

func parameters(_ trainer: NeuralJKOTrainer<FlowMap<Float>, FlowPotential<Float>>) -> [Float] {
    (trainer.pair.map.parameters + trainer.pair.potential.parameters).flatMap(\.scalars)
}

/// |a − b|₂ / |b|₂.
func relativeDifference(_ a: [Float], _ b: [Float]) -> Double {
    let gap = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
    return (gap / max(b.reduce(0.0) { $0 + Double($1) * Double($1) }, 1e-300)).squareRoot()
}

/// |a − b|_∞ / |b|_∞.
func worstDifference(_ a: [Float], _ b: [Float]) -> Double {
    let gap = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0
    return gap / max(Double(b.map { abs($0) }.max() ?? 0), 1e-30)
}

/// Both networks' gradients at the start, on a batch of 96: each rank's slice with its
/// share, summed by GradientAllReduce, against the whole batch in one process.
func gradientGap(_ world: Communicator) -> Double {
    let trainer = makeTrainer(world)
    let pair = trainer.pair
    var rng = RandomGenerator(seed: 11)
    let n = 96, rows = world.slice(of: n)
    let share = Float(rows.count) / Float(n)
    let x = Tensor<Float>.randomNormal(shape: [n, 2], using: &rng), y = Tensor<Float>.randomNormal(shape: [n, 2], using: &rng)
    let z0 = Tensor<Float>.randomNormal(shape: [n, 2], using: &rng), z = Tensor<Float>.randomNormal(shape: [n, 2], using: &rng)
    let previous = x * 0.9
    func gradients(_ rows: Range<Int>, share: Float, over communicator: Communicator) -> [Float] {
        let part = { (t: Tensor<Float>) in t.rowSlice(rows) }
        let potential = SJKOTrainingPair.potentialGradients(map: pair.map, potential: pair.potential, conjugate: pair.conjugate,
                                                            r1Weight: pair.r1Weight, x: part(x), noise: part(z0), target: part(y))
        let map = SJKOTrainingPair.mapGradients(map: pair.map, potential: pair.potential, costScale: 5, x: part(x),
                                                previous: part(previous), noise: part(z))
        var gv = potential.gradients, gt = map.gradients
        let lv = GradientAllReduce.sum(&gv, loss: potential.value.scalar, share: share, over: communicator)
        let lt = GradientAllReduce.sum(&gt, loss: map.value.scalar, share: share, over: communicator)
        return (gv + gt).flatMap(\.scalars) + [lv, lt]
    }
    let parallel = gradients(rows, share: share, over: world)
    guard world.isRoot else { return 0 }
    return relativeDifference(parallel, gradients(0..<n, share: 1, over: .single))
}

func trainingStepCheck(_ world: Communicator) throws {
    let gradients = gradientGap(world)
    var parallel = makeTrainer(world)
    let first = parallel.trainStep(0)
    let second = parallel.trainStep(1)
    // Every rank must hold the same networks after the identical steps.
    var spread = parameters(parallel)
    let own = spread
    world.allReduceMaximum(&spread)
    let ranksAgree = spread == own
    var agreeing = [ranksAgree ? 1.0 : 0.0]
    world.allReduceSum(&agreeing)
    guard Int(agreeing[0]) == world.size else { throw CheckFailure(description: "the ranks hold different networks after the step") }
    guard world.isRoot else { return }
    var alone = makeTrainer(.single)
    let firstAlone = alone.trainStep(0)
    let secondAlone = alone.trainStep(1)
    let parameterGap = relativeDifference(parameters(parallel), parameters(alone))
    let worstParameter = worstDifference(parameters(parallel), parameters(alone))
    let lossGap = relativeDifference([first.finalPotentialLoss, first.finalMapLoss, second.finalPotentialLoss, second.finalMapLoss],
                                     [firstAlone.finalPotentialLoss, firstAlone.finalMapLoss, secondAlone.finalPotentialLoss, secondAlone.finalMapLoss])
    print(String(format: "sjko-step: ranks=%d batch=96 cores_per_rank=%d gradient_gap=%.3e parameter_gap=%.3e loss_gap=%.3e worst_parameter_gap=%.3e",
                 world.size, Parallel.coreCount, gradients, parameterGap, lossGap, worstParameter))
}

let world: Communicator
do { world = try Communicator.start() } catch { Communicator.single.fail("Error: \(error)") }
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "allreduce": try allReduceCheck(world)
    case "sjko-step": try trainingStepCheck(world)
    case "fail":
        let failing = Int(arguments.dropFirst().first ?? "") ?? 1
        if world.rank == failing { throw CheckFailure(description: "rank \(failing) stops on purpose") }
        world.barrier()
    default: throw CheckFailure(description: "usage: jko-mpi-check allreduce | sjko-step | fail RANK")
    }
} catch {
    world.fail("Error: \(error)")
}
world.finish()
