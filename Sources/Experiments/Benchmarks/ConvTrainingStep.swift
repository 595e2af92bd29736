import Autodiff
import NeuralNetworks
import NumericalCore

/// One S-JKO training step on 28×28 single-channel images, as the engine benchmark runs
/// it: ``ConvMap`` T(x, z) and ``ConvPotential`` v(y) in Float (16 base channels), batch
/// n, the losses of ``SJKOToyIteration`` (KL conjugate, h = 1) and Adam β = (0.5, 0.9).
/// x ~ N(0, I) images (the prior), y uniform on [−1, 1] (stand-in data: the timing does
/// not depend on it), z ~ N(0, I₁₆).
struct ConvTrainingStep {
    var map: ConvMap<Float>
    let previousMap: ConvMap<Float>
    var potential: ConvPotential<Float>
    var mapOptimizer = Adam<Float>(learningRate: 1e-4, beta1: 0.5, beta2: 0.9)
    var potentialOptimizer = Adam<Float>(learningRate: 2e-5, beta1: 0.5, beta2: 0.9)
    var generator: RandomGenerator
    let batch: Int
    let size = 28

    init(batch: Int = 64, seed: UInt64 = 0) {
        var rng = RandomGenerator(seed: seed)
        map = ConvMap(generator: &rng)
        previousMap = map
        potential = ConvPotential(generator: &rng)
        generator = rng
        self.batch = batch
    }

    /// Runs the potential step and the map step (``SJKOStepGradients``, split over the
    /// cores by images: every layer, group norm included, works on each image alone);
    /// returns both losses.
    mutating func run() -> (potentialLoss: Float, mapLoss: Float) {
        let imageShape = [batch, 1, size, size], noiseShape = [batch, map.noiseSize]
        let x = Tensor<Float>.randomNormal(shape: imageShape, using: &generator)
        let y = Tensor<Float>.randomUniform(shape: imageShape, lowerBound: -1, upperBound: 1, using: &generator)
        let z0 = Tensor<Float>.randomNormal(shape: noiseShape, using: &generator)
        let (potentialLoss, potentialGradients) = SJKOStepGradients.potential(
            map: map, potential: potential, x: x, noise: z0, target: y)
        potentialOptimizer.step(&potential, gradients: potentialGradients)

        let z1 = Tensor<Float>.randomNormal(shape: noiseShape, using: &generator)
        let z = Tensor<Float>.randomNormal(shape: noiseShape, using: &generator)
        let (mapLoss, mapGradients) = SJKOStepGradients.map(
            map: map, previousMap: previousMap, potential: potential, timeStep: 1, x: x, previousNoise: z1, noise: z)
        mapOptimizer.step(&map, gradients: mapGradients)
        return (potentialLoss.scalar, mapLoss.scalar)
    }

    /// Convolution FLOPs of one step, counted like ``SJKOToyIteration/flopsPerIteration``:
    /// 5·F_T + 8·F_v.
    var flopsPerStep: Int {
        5 * map.flops(batch: batch, size: size) + 8 * potential.flops(batch: batch, size: size)
    }
}
