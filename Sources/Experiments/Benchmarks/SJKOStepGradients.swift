import Autodiff
import NeuralNetworks

/// The two S-JKO losses (DESIGN.md §1.3, KL conjugate Ψ*(t) = eᵗ − 1) and their gradients,
/// for any map T(x, z) and potential v(y), as the engine benchmarks train them:
/// ```
/// L_v = E_y[Ψ*(−v(y))] + E[v(T(x, z))]                           (T frozen)
/// L_T = E[|T_old(x, z₁) − T(x, z)|² / (2h) − v(T(x, z))]           (v frozen)
/// ```
/// Both are batch means, so every pass is split over the cores by rows (``DataParallel``);
/// v runs once on the joined batch [y; T(x, z)]. The networks are borrowed for the call
/// only: no copy outlives it, so the caller's optimiser then updates the parameters in
/// place (a live copy would make every step copy-on-write all parameters).
enum SJKOStepGradients {
    /// L_v and its gradient in v's parameters. x, z, y: `[n, …]` batches of n rows.
    static func potential<Map: NoiseConditionedMap, Potential: ScalarPotential>(
        map: Map, potential: Potential, x: Tensor<Float>, noise z: Tensor<Float>, target y: Tensor<Float>
    ) -> (value: Tensor<Float>, gradients: [Tensor<Float>]) where Map.Scalar == Float, Potential.Scalar == Float {
        DataParallel.valueWithGradient(at: potential.parameters, batchSize: x.shape[0]) { rows, p in
            let moved = map(x.rowSlice(rows), noise: z.rowSlice(rows))
            let n = rows.count
            let values = potential.replacingParameters(p)(Tensor.concatenated([y.rowSlice(rows), moved], alongAxis: 0))
            return (-values.rowSlice(0..<n)).expm1().mean() + values.rowSlice(n..<(2 * n)).mean()
        }
    }

    /// L_T and its gradient in T's parameters, time step h.
    static func map<Map: NoiseConditionedMap, Potential: ScalarPotential>(
        map: Map, previousMap: Map, potential v: Potential, timeStep h: Float,
        x: Tensor<Float>, previousNoise z1: Tensor<Float>, noise z: Tensor<Float>
    ) -> (value: Tensor<Float>, gradients: [Tensor<Float>]) where Map.Scalar == Float, Potential.Scalar == Float {
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
