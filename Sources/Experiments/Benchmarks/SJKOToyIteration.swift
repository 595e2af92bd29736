import Autodiff
import Foundation
import NeuralJKO
import NeuralNetworks
import NumericalCore

/// One S-JKO toy iteration (DESIGN.md §1.3) as the engine benchmark runs it: the toy map
/// T(x, z) and potential v(y) in Float, KL conjugate Ψ*(t) = eᵗ − 1, one potential step
/// then one map step on a batch of n samples:
/// ```
/// L_v = E_y[Ψ*(−v(y))] + E[v(T(x, z))]                        (T frozen)
/// L_T = E[|T_old(x, z) − T(x, z')|² / (2h) − v(T(x, z'))]       (v frozen)
/// ```
/// x ~ N(0, I₂) (the prior μ₀), y from a ring of 8 Gaussians (centres at radius 4, std
/// 0.5), z, z' ~ N(0, I₂); networks, optimisers and h = 1 as in ``SJKOTrainingPair``.
/// `benchmarks/reference/sjko_toy_iteration.py` is the same iteration in PyTorch.
struct SJKOToyIteration {
    var networks: SJKOTrainingPair<ToyMap<Float>, ToyPotential<Float>>
    /// T_old: a frozen copy of the initial map (as in step k ≥ 1).
    let previousMap: ToyMap<Float>
    var generator: RandomGenerator
    let batch: Int

    init(batch: Int = 400, seed: UInt64 = 0) {
        var rng = RandomGenerator(seed: seed)
        let map = ToyMap<Float>(generator: &rng)
        networks = SJKOTrainingPair(map: map, potential: ToyPotential(generator: &rng))
        previousMap = map
        generator = rng
        self.batch = batch
    }

    /// Samples of the ring of 8 Gaussians, `[n, 2]`.
    mutating func targetSamples() -> Tensor<Float> {
        var values = [Float](repeating: 0, count: 2 * batch)
        for i in 0..<batch {
            let angle = Double(Int(generator.next() % 8)) * Double.pi / 4
            values[2 * i] = Float(4 * cos(angle) + 0.5 * generator.normal())
            values[2 * i + 1] = Float(4 * sin(angle) + 0.5 * generator.normal())
        }
        return Tensor(shape: [batch, 2], scalars: values)
    }

    /// Draws a batch and runs the potential step and the map step; returns both losses.
    mutating func run() -> (potentialLoss: Float, mapLoss: Float) {
        let x = Tensor<Float>.randomNormal(shape: [batch, 2], using: &generator)
        let y = targetSamples()
        let z0 = Tensor<Float>.randomNormal(shape: [batch, 2], using: &generator)
        let z1 = Tensor<Float>.randomNormal(shape: [batch, 2], using: &generator)
        let z = Tensor<Float>.randomNormal(shape: [batch, 2], using: &generator)
        let previousMap = self.previousMap
        let previous = DataParallel.mapRows(batch) { rows in previousMap(x.rowSlice(rows), noise: z1.rowSlice(rows)) }
        return networks.step(x: x, previous: previous, target: y, potentialNoise: z0, mapNoise: z)
    }

    /// GEMM FLOPs of one iteration (2 per multiply-add), counted from the networks:
    /// potential step = T forward + 2 v forwards + their backward (≈ 2× forward);
    /// map step = T_old and T forwards + v forward + v input-backward (≈ 1× forward)
    /// + T backward (≈ 2× forward). Total 5·F_T + 8·F_v.
    var flopsPerIteration: Int {
        5 * networks.map.flops(batch: batch) + 8 * networks.potential.flops(batch: batch)
    }
}
