import Autodiff
import NeuralJKO
import NeuralNetworks
import NumericalCore

/// One S-JKO training step on 28×28 single-channel images, as the engine benchmark runs
/// it: ``ConvMap`` T(x, z) and ``ConvPotential`` v(y) in Float (16 base channels), batch
/// n, trained by ``SJKOTrainingPair`` (KL conjugate, h = 1, Adam β = (0.5, 0.9)).
/// x ~ N(0, I) images (the prior), y uniform on [−1, 1] (stand-in data: the timing does
/// not depend on it), z ~ N(0, I₁₆).
struct ConvTrainingStep {
    var networks: SJKOTrainingPair<ConvMap<Float>, ConvPotential<Float>>
    /// T_old: a frozen copy of the initial map (as in step k ≥ 1).
    let previousMap: ConvMap<Float>
    var generator: RandomGenerator
    let batch: Int
    let size = 28

    init(batch: Int = 64, seed: UInt64 = 0) {
        var rng = RandomGenerator(seed: seed)
        let map = ConvMap<Float>(generator: &rng)
        networks = SJKOTrainingPair(map: map, potential: ConvPotential(generator: &rng))
        previousMap = map
        generator = rng
        self.batch = batch
    }

    /// Draws a batch and runs the potential step and the map step (split over the cores by
    /// images: every layer, group norm included, works on each image alone).
    mutating func run() -> (potentialLoss: Float, mapLoss: Float) {
        let imageShape = [batch, 1, size, size], noiseShape = [batch, networks.map.noiseSize]
        let x = Tensor<Float>.randomNormal(shape: imageShape, using: &generator)
        let y = Tensor<Float>.randomUniform(shape: imageShape, lowerBound: -1, upperBound: 1, using: &generator)
        let z0 = Tensor<Float>.randomNormal(shape: noiseShape, using: &generator)
        let z1 = Tensor<Float>.randomNormal(shape: noiseShape, using: &generator)
        let z = Tensor<Float>.randomNormal(shape: noiseShape, using: &generator)
        let previousMap = self.previousMap
        let previous = DataParallel.mapRows(batch) { rows in previousMap(x.rowSlice(rows), noise: z1.rowSlice(rows)) }
        return networks.step(x: x, previous: previous, target: y, potentialNoise: z0, mapNoise: z)
    }

    /// Convolution FLOPs of one step, counted like ``SJKOToyIteration/flopsPerIteration``:
    /// 5·F_T + 8·F_v.
    var flopsPerStep: Int {
        5 * networks.map.flops(batch: batch, size: size) + 8 * networks.potential.flops(batch: batch, size: size)
    }
}
