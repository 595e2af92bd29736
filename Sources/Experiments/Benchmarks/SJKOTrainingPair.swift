import Autodiff
import NeuralNetworks

/// The networks and optimisers of one S-JKO step (DESIGN.md §1.3) as the engine benchmarks
/// train them, for any map T(x, z) and potential v(y): the map T, its frozen predecessor
/// T_old (a copy of the initial map, as in step k ≥ 1), the potential v, and Adam with
/// β = (0.5, 0.9) at learning rates 1e-4 (map) and 2e-5 (potential). One ``step`` runs
/// the potential update then the map update (KL conjugate Ψ*(t) = eᵗ − 1, time step h):
/// ```
/// L_v = E_y[Ψ*(−v(y))] + E[v(T(x, z₀))]                          (T frozen)
/// L_T = E[|T_old(x, z₁) − T(x, z)|² / (2h) − v(T(x, z))]           (v frozen)
/// ```
/// Both are batch means, so every pass is split over the cores by rows (``DataParallel``);
/// v runs once on the joined batch [y; T(x, z₀)]. The networks are only borrowed by the
/// gradient computations, so the optimisers update the parameters in place (a live copy
/// would make every step copy-on-write all parameters).
struct SJKOTrainingPair<Map: NoiseConditionedMap, Potential: ScalarPotential>
where Map.Scalar == Float, Potential.Scalar == Float {
    var map: Map
    let previousMap: Map
    var potential: Potential
    var mapOptimizer = Adam<Float>(learningRate: 1e-4, beta1: 0.5, beta2: 0.9)
    var potentialOptimizer = Adam<Float>(learningRate: 2e-5, beta1: 0.5, beta2: 0.9)
    let timeStep: Float

    init(map: Map, potential: Potential, timeStep: Float = 1) {
        self.map = map
        previousMap = map
        self.potential = potential
        self.timeStep = timeStep
    }

    /// One potential step and one map step on a batch: x `[n, …]` from the prior, y `[n, …]`
    /// from the target, noises `[n, noiseSize]`. Returns both losses.
    mutating func step(x: Tensor<Float>, target y: Tensor<Float>, noise z0: Tensor<Float>,
                       previousNoise z1: Tensor<Float>, mapNoise z: Tensor<Float>) -> (potentialLoss: Float, mapLoss: Float) {
        let (potentialLoss, potentialGradients) = Self.potentialGradients(map: map, potential: potential, x: x, noise: z0, target: y)
        potentialOptimizer.step(&potential, gradients: potentialGradients)
        let (mapLoss, mapGradients) = Self.mapGradients(map: map, previousMap: previousMap, potential: potential,
                                                        timeStep: timeStep, x: x, previousNoise: z1, noise: z)
        mapOptimizer.step(&map, gradients: mapGradients)
        return (potentialLoss.scalar, mapLoss.scalar)
    }

    /// L_v and its gradient in v's parameters.
    static func potentialGradients(map: Map, potential: Potential, x: Tensor<Float>, noise z: Tensor<Float>,
                                   target y: Tensor<Float>) -> (value: Tensor<Float>, gradients: [Tensor<Float>]) {
        DataParallel.valueWithGradient(at: potential.parameters, batchSize: x.shape[0]) { rows, p in
            let moved = map(x.rowSlice(rows), noise: z.rowSlice(rows))
            let n = rows.count
            let values = potential.replacingParameters(p)(Tensor.concatenated([y.rowSlice(rows), moved], alongAxis: 0))
            return (-values.rowSlice(0..<n)).expm1().mean() + values.rowSlice(n..<(2 * n)).mean()
        }
    }

    /// L_T and its gradient in T's parameters.
    static func mapGradients(map: Map, previousMap: Map, potential v: Potential, timeStep h: Float, x: Tensor<Float>,
                             previousNoise z1: Tensor<Float>, noise z: Tensor<Float>) -> (value: Tensor<Float>, gradients: [Tensor<Float>]) {
        let scale = 1 / (2 * h)
        return DataParallel.valueWithGradient(at: map.parameters, batchSize: x.shape[0]) { rows, p in
            let xs = x.rowSlice(rows)
            let target = previousMap(xs, noise: z1.rowSlice(rows))
            let out = map.replacingParameters(p)(xs, noise: z.rowSlice(rows))
            let gap = (target - out).reshaped(to: [rows.count, -1])
            return ((gap * gap).sum(alongAxis: 1) * scale - v(out)).mean()
        }
    }
}
