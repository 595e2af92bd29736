import Autodiff
import MessagePassing
import NeuralNetworks

/// The networks and optimisers of one neural JKO step and its training iteration
/// (DESIGN.md §1.3), for any map T(x, z) and potential v(y): the trainer, the run
/// methods and the engine benchmarks all call ``step(x:previous:target:potentialNoise:mapNoise:)``.
///
/// One iteration runs the potential update, then the map update (both Adam):
/// ```
/// L_v = E_y[Ψ*(−v(y))] + E[v(T(x, z₀))]  [+ (λ/2) E_y|∇v(y)|²]      (T frozen; or the
///       logistic loss of ``PotentialObjective``)
/// L_T = E[s·|T_old(x, z₁) − T(x, z)|² − v(T(x, z))]                  (v frozen)
/// ```
/// with s = 1/(2h) (cost `none`) or 1/(2hd) (`per-dimension`). The caller passes
/// T_old(x, z₁) already computed (`previous`: the frozen map's output in S-JKO, x itself in
/// the chain) and chooses z = z₁ (shared coupling) or an independent z.
///
/// Both losses are batch means, so every pass is split over the cores by rows
/// (``DataParallel``); v runs once on the joined batch [y; T(x, z₀)]. The networks are only
/// borrowed by the gradient computations, so the optimisers update them in place.
///
/// Across processes (``communicator`` with P > 1 ranks) each rank passes its slice of the
/// global batch and the slice's share of it; after each gradient computation the ranks
/// sum the share-weighted gradients and loss in one all-reduce per network
/// (``GradientAllReduce``), so that every rank holds the gradient of the global-batch mean
/// and takes the same Adam step: the networks stay identical on every rank.
public struct SJKOTrainingPair<Map: NoiseConditionedMap, Potential: ScalarPotential>
where Map.Scalar == Float, Potential.Scalar == Float {
    public var map: Map
    public var potential: Potential
    public var mapOptimizer: Adam<Float>
    public var potentialOptimizer: Adam<Float>
    public var conjugate: Conjugate
    /// The potential's loss (``PotentialObjective``; the official code's semi-dual by default).
    public var potentialObjective = PotentialObjective.semiDual
    /// s, the factor of the squared distance: 1/(2h) or 1/(2hd).
    public var costScale: Float
    /// λ of the R1 penalty (0: off).
    public var r1Weight: Float
    /// The ranks that train together (``Communicator/single``: this process alone).
    public var communicator = Communicator.single

    /// The official toy settings: Adam β = (0.5, 0.9), learning rates 1e-4 (map) and 2e-5
    /// (potential), KL, cost |x − y|²/(2h), no R1.
    public init(map: Map, potential: Potential, timeStep: Float = 1, conjugate: Conjugate = .kl,
                mapLearningRate: Double = 1e-4, potentialLearningRate: Double = 2e-5,
                beta1: Double = 0.5, beta2: Double = 0.9, r1Weight: Float = 0) {
        self.map = map
        self.potential = potential
        mapOptimizer = Adam(learningRate: mapLearningRate, beta1: beta1, beta2: beta2)
        potentialOptimizer = Adam(learningRate: potentialLearningRate, beta1: beta1, beta2: beta2)
        self.conjugate = conjugate
        costScale = 1 / (2 * timeStep)
        self.r1Weight = r1Weight
    }

    /// One potential step and one map step on a batch: x `[n, …]` (prior in S-JKO, μ_k in
    /// the chain), `previous` = T_old(x, z₁) `[n, …]`, y `[c·n, …]` from the target (c ≥ 1
    /// target rows per prior row: E_y[Ψ*(−v(y))] is then a mean over c·n points), noises
    /// `[n, noiseSize]`. Returns both losses.
    ///
    /// With P > 1 ranks the arrays are this rank's slice of the global batch and `share` is
    /// the slice's rows / the global batch's rows; the returned losses are the global means.
    public mutating func step(x: Tensor<Float>, previous: Tensor<Float>, target y: Tensor<Float>,
                              potentialNoise z0: Tensor<Float>, mapNoise z: Tensor<Float>,
                              share: Float = 1) -> (potentialLoss: Float, mapLoss: Float) {
        let potentialPart = Self.potentialGradients(map: map, potential: potential, conjugate: conjugate,
                                                    objective: potentialObjective, r1Weight: r1Weight, x: x, noise: z0, target: y)
        var potentialGradients = potentialPart.gradients
        let lv = GradientAllReduce.sum(&potentialGradients, loss: potentialPart.value.scalar, share: share, over: communicator)
        potentialOptimizer.step(&potential, gradients: potentialGradients)
        let mapPart = Self.mapGradients(map: map, potential: potential, costScale: costScale, x: x, previous: previous, noise: z)
        var mapGradients = mapPart.gradients
        let lt = GradientAllReduce.sum(&mapGradients, loss: mapPart.value.scalar, share: share, over: communicator)
        mapOptimizer.step(&map, gradients: mapGradients)
        return (lv, lt)
    }

    /// Bytes of this pair's all-reduces per iteration across ranks: 4 × (map parameters + 1)
    /// + 4 × (potential parameters + 1) (Float gradients and each loss value).
    public var allReduceBytesPerIteration: Int {
        GradientAllReduce.bytesPerIteration(parameterCounts: [map.parameters.reduce(0) { $0 + $1.scalarCount },
                                                              potential.parameters.reduce(0) { $0 + $1.scalarCount }])
    }

    /// L_v and its gradient in v's parameters.
    public static func potentialGradients(map: Map, potential: Potential, conjugate: Conjugate,
                                          objective: PotentialObjective = .semiDual, r1Weight: Float,
                                          x: Tensor<Float>, noise z: Tensor<Float>,
                                          target y: Tensor<Float>) -> (value: Tensor<Float>, gradients: [Tensor<Float>]) {
        let c = y.shape[0] / x.shape[0]
        precondition(c >= 1 && c * x.shape[0] == y.shape[0], "target rows \(y.shape[0]) are not a multiple of the prior rows \(x.shape[0])")
        // A shard of prior rows r takes the target rows c·r: each shard's two means then
        // carry the same weight |r|/n, so the shards' weighted sum is the whole batch's loss.
        return DataParallel.valueWithGradient(at: potential.parameters, batchSize: x.shape[0]) { rows, p in
            let moved = map(x.rowSlice(rows), noise: z.rowSlice(rows))
            let m = c * rows.count
            let v = potential.replacingParameters(p)
            let data = y.rowSlice((c * rows.lowerBound)..<(c * rows.upperBound))
            let values = v(Tensor.concatenated([data, moved], alongAxis: 0))
            var loss = objective.loss(onTarget: values.rowSlice(0..<m), onMoved: values.rowSlice(m..<(m + rows.count)),
                                      conjugate: conjugate)
            if r1Weight > 0 {
                let g = gradient(at: data) { v($0).sum() }
                loss = loss + (g * g).reshaped(to: [m, -1]).sum(alongAxis: 1).mean() * (r1Weight / 2)
            }
            return loss
        }
    }

    /// L_T and its gradient in T's parameters.
    public static func mapGradients(map: Map, potential v: Potential, costScale: Float, x: Tensor<Float>,
                                    previous: Tensor<Float>, noise z: Tensor<Float>) -> (value: Tensor<Float>, gradients: [Tensor<Float>]) {
        DataParallel.valueWithGradient(at: map.parameters, batchSize: x.shape[0]) { rows, p in
            let out = map.replacingParameters(p)(x.rowSlice(rows), noise: z.rowSlice(rows))
            let gap = (previous.rowSlice(rows) - out).reshaped(to: [rows.count, -1])
            return ((gap * gap).sum(alongAxis: 1) * costScale - v(out)).mean()
        }
    }

    /// L_v alone (no gradient), for tests and diagnostics.
    public func potentialLoss(x: Tensor<Float>, noise z: Tensor<Float>, target y: Tensor<Float>) -> Float {
        let moved = map(x, noise: z)
        return potentialObjective.loss(onTarget: potential(y), onMoved: potential(moved), conjugate: conjugate).scalar
    }
}
