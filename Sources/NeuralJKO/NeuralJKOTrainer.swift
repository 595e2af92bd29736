import Autodiff
import Foundation
import MessagePassing
import NeuralNetworks
import NumericalCore

/// Trains a neural JKO flow step by step (DESIGN.md §1.3) and samples its iterates.
///
/// Problem → trainer → records: ``NeuralJKOProblem`` gives μ₀, ν (samples only) and the
/// steps h_k; ``NeuralJKOSettings`` the scheme and the optimisation; ``trainStep(_:progress:)``
/// trains step k and returns a ``JKOStepRecord``. After step k the trainer represents
/// μ_{k+1}:
/// - `sjko`: μ_{k+1} = T_k#μ₀, one pass (``sample(count:using:)``); T_old of step k + 1 is a
///   frozen copy of T_k, and T, v are warm-started from step k;
/// - `chain`: μ_{k+1} = T_k#…#T_0#μ₀; every map is kept, sampling composes them, and step
///   k + 1 trains on samples of μ_{k+1} with T_old = identity.
/// Samples come from the EMA weights when averaging is on.
///
/// **Across processes** (``communicator`` with P > 1 ranks, `mpirun`): every rank builds the
/// same networks from the run seed and draws the **whole** global batch from the same
/// seeded stream ``generator``, then keeps its contiguous slice of rows
/// (``Communicator/slice(of:)``) and computes the losses and gradients of that slice only
/// (on its cores, ``DataParallel``); ``SJKOTrainingPair`` all-reduces them so that every
/// rank takes the same optimiser step. The shared stream is the deliberate choice over one
/// stream per rank: the global batch is then the very batch of a single process with the
/// same seed, so a run gives the same numbers for any P up to the order of the
/// floating-point sums (and a resumed run restores one stream, whatever P was), at the
/// price of every rank drawing n rows of random numbers where it uses n/P (cheap beside the
/// network passes). Sampling splits the rows of each block the same way and gathers them
/// on every rank.
///
/// Generic over the networks (``FlowMap``/``FlowPotential`` for point clouds, convolutional
/// pairs for images); `Map` and `Potential` are built once by the caller.
public struct NeuralJKOTrainer<Map: NoiseConditionedMap, Potential: ScalarPotential>
where Map.Scalar == Float, Potential.Scalar == Float, Map.Scalar: SafeTensorsScalar {
    public let problem: NeuralJKOProblem
    public let settings: NeuralJKOSettings
    public internal(set) var pair: SJKOTrainingPair<Map, Potential>
    /// EMA of the map's parameters (nil: off).
    public internal(set) var average: ExponentialMovingAverage<Float>?
    /// S-JKO: the frozen T_{k−1} (nil at k = 0: the identity). Chain: unused.
    public internal(set) var previousMap: Map?
    /// Chain: T_0…T_{k−1} as sampled (EMA weights when on).
    public internal(set) var chain: [Map] = []
    /// The number of trained steps (the trainer represents μ_{completedSteps}).
    public internal(set) var completedSteps = 0
    /// The training batches' random stream (the same on every rank).
    public var generator: RandomGenerator
    /// The ranks that train and sample together (``Communicator/single``: this process).
    public var communicator: Communicator {
        get { pair.communicator }
        set { pair.communicator = newValue }
    }

    public init(problem: NeuralJKOProblem, settings: NeuralJKOSettings, map: Map, potential: Potential,
                generator: RandomGenerator, communicator: Communicator = .single) {
        self.problem = problem
        self.settings = settings
        pair = SJKOTrainingPair(map: map, potential: potential, timeStep: 1, conjugate: settings.conjugate,
                                mapLearningRate: settings.mapLearningRate, potentialLearningRate: settings.potentialLearningRate,
                                beta1: settings.beta1, beta2: settings.beta2, r1Weight: Float(settings.r1Weight))
        pair.potentialObjective = settings.potentialObjective
        average = settings.emaDecay.map { ExponentialMovingAverage(decay: $0) }
        self.generator = generator
        pair.communicator = communicator
    }

    /// The map that represents the current iterate (EMA weights when averaging is on).
    public var samplingMap: Map {
        guard let average, average.updateCount > 0 else { return pair.map }
        return average.averaged(pair.map)
    }

    /// s = 1/(2h_k) or 1/(2h_k d).
    func costScale(step: Int) -> Float {
        let h = problem.timeSteps[min(step, problem.timeSteps.count - 1)]
        let d = settings.costNormalisation == .perDimension ? Double(problem.dimension) : 1
        return Float(1 / (2 * h * d))
    }

    /// Trains JKO step `step` (must equal ``completedSteps``): T_step and v_step, from the
    /// warm start. `progress(iteration, potentialLoss, mapLoss)` is called every
    /// `progressEvery` iterations. Stops early with a `.diverged` record at the first
    /// non-finite loss (the trainer then still represents the last good iterate).
    public mutating func trainStep(_ step: Int, progressEvery: Int = 50,
                                   progress: ((_ iteration: Int, _ potentialLoss: Float, _ mapLoss: Float) -> Void)? = nil) -> JKOStepRecord {
        precondition(step == completedSteps, "train step \(completedSteps) next, not \(step)")
        let iterations = settings.iterations(ofStep: step)
        let n = settings.batchSize, d = problem.dimension
        precondition(n >= communicator.size, "a global batch of \(n) rows cannot be split over \(communicator.size) ranks")
        // This rank's rows of the global batch and their share of it (all rows in one process).
        let rows = communicator.slice(of: n)
        let share = Float(rows.count) / Float(n)
        // c target rows per prior row (the rank's target rows are c times its prior rows).
        let targetFactor = settings.targetRows / n
        let noiseWidth = max(settings.noiseSize, 1)
        let stride = max(1, iterations / 200)
        let firstIteration = step == 0 ? 0 : settings.firstStepIterations + (step - 1) * settings.laterStepIterations
        let schedule: CosineLearningRate?
        switch settings.schedule {
        case .constant: schedule = nil
        case .cosineRun: schedule = CosineLearningRate(baseRate: 1, totalSteps: max(settings.totalIterations(steps: problem.stepCount), 1))
        case .cosineStep: schedule = CosineLearningRate(baseRate: 1, totalSteps: iterations)
        }
        let scheduleOffset = settings.schedule == .cosineStep ? 0 : firstIteration
        pair.costScale = costScale(step: step)
        let instanceNoise = settings.instanceNoise ? Float(1.0 / (32.0 * Double(step + 1))) : 0
        var potentialHistory = [Float](), mapHistory = [Float]()
        var potentialSum: Float = 0, mapSum: Float = 0, inWindow = 0
        let started = Date()
        var status = JKOStepRecord.Status.converged
        var done = 0
        let previousMap = self.previousMap
        for iteration in 1...iterations {
            if let schedule {
                let factor = schedule.learningRate(atStep: scheduleOffset + iteration - 1)
                pair.mapOptimizer.learningRate = settings.mapLearningRate * factor
                pair.potentialOptimizer.learningRate = settings.potentialLearningRate * factor
            }
            // The whole global batch from the shared stream, then this rank's rows of it.
            let x0 = Self.tensor(problem.prior(n, &generator)).rowSlice(rows)
            var y = Self.tensor(problem.target(targetFactor * n, &generator))
            if instanceNoise > 0 { y = y + Tensor<Float>.randomNormal(shape: y.shape, standardDeviation: instanceNoise, using: &generator) }
            y = y.rowSlice((targetFactor * rows.lowerBound)..<(targetFactor * rows.upperBound))
            let zPotential = Tensor<Float>.randomNormal(shape: [n, noiseWidth], using: &generator).rowSlice(rows)
            let zPrevious = Tensor<Float>.randomNormal(shape: [n, noiseWidth], using: &generator).rowSlice(rows)
            let zMap = settings.noiseCoupling == .shared ? zPrevious : Tensor<Float>.randomNormal(shape: [n, noiseWidth], using: &generator).rowSlice(rows)
            let m = rows.count
            let x: Tensor<Float>, previous: Tensor<Float>
            switch settings.parametrisation {
            case .sjko:
                x = x0
                if let previousMap {
                    previous = DataParallel.mapRows(m) { r in previousMap(x0.rowSlice(r), noise: zPrevious.rowSlice(r)) }
                } else {
                    previous = x0
                }
            case .chain:
                x = composeChain(x0, of: n, rows: rows, using: &generator)
                previous = x
            }
            let (lv, lt) = pair.step(x: x, previous: previous, target: y, potentialNoise: zPotential, mapNoise: zMap, share: share)
            done = iteration
            guard lv.isFinite, lt.isFinite else {
                status = .diverged(step: step, iteration: iteration, loss: lv.isFinite ? "map" : "potential", value: lv.isFinite ? lt : lv)
                break
            }
            average?.update(from: pair.map)
            potentialSum += lv
            mapSum += lt
            inWindow += 1
            if inWindow == stride || iteration == iterations {
                potentialHistory.append(potentialSum / Float(inWindow))
                mapHistory.append(mapSum / Float(inWindow))
                potentialSum = 0; mapSum = 0; inWindow = 0
            }
            if let progress, iteration % progressEvery == 0 || iteration == iterations { progress(iteration, lv, lt) }
        }
        _ = d
        let seconds = Date().timeIntervalSince(started)
        var record = JKOStepRecord(step: step, status: status, iterations: done, potentialLosses: potentialHistory,
                                   mapLosses: mapHistory, historyStride: stride, seconds: seconds)
        if status == .converged {
            if settings.optimalityCheckCount > 0 {
                record.optimalityResidual = optimalityResidual(step: step, previousMap: previousMap, count: settings.optimalityCheckCount)
            }
            finishStep()
        }
        return record
    }

    /// The first-order optimality condition of JKO step `step`, checked on the trained
    /// networks before the step is closed. The map minimises E[s|T(x) − T_old(x)|² − v(T(x))]
    /// pointwise (v frozen), so at the optimum
    ///
    ///   2s (T(x) − T_old(x)) = ∇v(T(x)),  i.e. (T(x) − T_old(x))/h = ∇v(T(x)) for s = 1/(2h),
    ///
    /// the discrete velocity of the step equals the potential's gradient where the mass lands
    /// (with e^{−v} = dρ_{k+1}/dν this is −∇(log ρ_{k+1} + V), the JKO Euler–Lagrange
    /// equation). Returns √E|2s(T − T_old) − ∇v(T)|² / √E|2s(T − T_old)|² over `count` draws
    /// x ~ μ_k (S-JKO: x = T_old(x₀) with x₀ ~ μ₀; chain: the composed earlier maps), one noise
    /// z shared by T_old and T, the raw (non-EMA) map that v was trained against. Its own
    /// random stream (seeded by the step) leaves the training stream untouched. Across ranks
    /// every rank computes it whole (no messages): the same number on each.
    func optimalityResidual(step: Int, previousMap: Map?, count: Int = 4096) -> Double {
        var generator = RandomGenerator(seed: 0x6F70_7469 &+ UInt64(step))
        let noiseWidth = max(settings.noiseSize, 1)
        let x0 = Self.tensor(problem.prior(count, &generator))
        let z = Tensor<Float>.randomNormal(shape: [count, noiseWidth], using: &generator)
        let map = pair.map, v = pair.potential
        let before: Tensor<Float>, after: Tensor<Float>
        switch settings.parametrisation {
        case .sjko:
            before = previousMap.map { old in DataParallel.mapRows(count) { rows in old(x0.rowSlice(rows), noise: z.rowSlice(rows)) } } ?? x0
            after = DataParallel.mapRows(count) { rows in map(x0.rowSlice(rows), noise: z.rowSlice(rows)) }
        case .chain:
            let x = composeChain(x0, of: count, rows: 0..<count, using: &generator)
            before = x
            after = DataParallel.mapRows(count) { rows in map(x.rowSlice(rows), noise: z.rowSlice(rows)) }
        }
        let (_, gradient) = valueWithGradient(at: after) { v($0).sum() }
        let scale = Double(2 * costScale(step: step))
        var residual = 0.0, velocity = 0.0
        let a = after.scalars, b = before.scalars, g = gradient.scalars
        for i in 0..<a.count {
            let u = scale * (Double(a[i]) - Double(b[i]))
            residual += (u - Double(g[i])) * (u - Double(g[i]))
            velocity += u * u
        }
        return velocity > 0 ? (residual / velocity).squareRoot() : .nan
    }

    /// After a converged step: freeze the new map as T_old (S-JKO) or append it (chain).
    mutating func finishStep() {
        switch settings.parametrisation {
        case .sjko: previousMap = samplingMap
        case .chain: chain.append(samplingMap)
        }
        completedSteps += 1
    }

    /// x ~ μ_k from prior samples x₀: T_{k−1}(…T_0(x₀, z_0)…, z_{k−1}) with fresh noises.
    /// `x0` holds the rows `rows` of a batch of `count` rows: each noise is drawn for the
    /// whole batch (the shared stream moves as in one process) and its rows kept.
    func composeChain(_ x0: Tensor<Float>, of count: Int, rows: Range<Int>, using generator: inout RandomGenerator) -> Tensor<Float> {
        var x = x0
        let noiseWidth = max(settings.noiseSize, 1)
        for map in chain {
            let all = Tensor<Float>.randomNormal(shape: [count, noiseWidth], using: &generator)
            guard !rows.isEmpty else { continue }
            let z = all.rowSlice(rows), current = x
            x = DataParallel.mapRows(rows.count) { r in map(current.rowSlice(r), noise: z.rowSlice(r)) }
        }
        return x
    }

    /// `count` samples `[count, d]` of the current iterate μ_{completedSteps} (μ₀ before
    /// any step), drawn with `generator`; one network pass (S-JKO) or a composition of
    /// all maps (chain). Large counts are processed in blocks of 10 000 rows. Across P
    /// ranks every rank draws each block's random numbers, maps its slice of the block's
    /// rows, and the slices are gathered on every rank: the same samples as one process.
    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        let d = problem.dimension, noiseWidth = max(settings.noiseSize, 1)
        var out = [Double]()
        out.reserveCapacity(count * d)
        let map = settings.parametrisation == .sjko && completedSteps > 0 ? samplingMap : nil
        let communicator = self.communicator
        var done = 0
        while done < count {
            let n = min(10_000, count - done)
            // Rows of this rank (empty on the last ranks of a block smaller than P, which
            // still draw the block's random numbers to keep the shared stream in step).
            let rows = communicator.slice(of: n)
            let all = Self.tensor(problem.prior(n, &generator))
            let x0 = rows.isEmpty ? all : all.rowSlice(rows)
            var mine: [Float]
            if let map {
                let noise = Tensor<Float>.randomNormal(shape: [n, noiseWidth], using: &generator)
                let z = rows.isEmpty ? noise : noise.rowSlice(rows)
                mine = rows.isEmpty ? [] : DataParallel.mapRows(rows.count) { r in map(x0.rowSlice(r), noise: z.rowSlice(r)) }.scalars
            } else if settings.parametrisation == .chain {
                let x = composeChain(x0, of: n, rows: rows, using: &generator)
                mine = rows.isEmpty ? [] : x.scalars
            } else {
                mine = rows.isEmpty ? [] : x0.scalars
            }
            if communicator.size > 1 { mine = communicator.allGather(mine) }
            for v in mine { out.append(Double(v)) }
            done += n
        }
        return Matrix(rows: count, columns: d, elements: out)
    }

    /// The map T_{completedSteps − 1} applied to given points x `[n, d]` (its noise drawn
    /// from `generator`), for transport-map figures; the chain applies its last map.
    public func transport(_ points: Matrix, using generator: inout RandomGenerator) -> Matrix {
        let n = points.rows, noiseWidth = max(settings.noiseSize, 1)
        let map = settings.parametrisation == .sjko ? samplingMap : (chain.last ?? samplingMap)
        let x = Self.tensor(points)
        let z = Tensor<Float>.randomNormal(shape: [n, noiseWidth], using: &generator)
        let y = DataParallel.mapRows(n) { rows in map(x.rowSlice(rows), noise: z.rowSlice(rows)) }
        return Matrix(rows: n, columns: points.columns, elements: y.scalars.map(Double.init))
    }

    /// The potential v at points y `[n, d]` and its gradient ∇v `[n, d]` (Double copies).
    public func potential(at points: Matrix) -> (values: [Double], gradients: Matrix) {
        let y = Self.tensor(points)
        let v = pair.potential
        let (_, g) = valueWithGradient(at: y) { v($0).sum() }
        return (v(y).scalars.map(Double.init), Matrix(rows: points.rows, columns: points.columns, elements: g.scalars.map(Double.init)))
    }

    static func tensor(_ m: Matrix) -> Tensor<Float> {
        Tensor(shape: [m.rows, m.columns], scalars: m.elements.map { Float($0) })
    }
}
