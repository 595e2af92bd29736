import Autodiff
import NeuralJKO
import NeuralNetworks
import NumericalCore

/// One S-JKO training iteration of the `fashion-mnist` preset's networks, as the engine
/// benchmark times it beside `benchmarks/reference/fmnist_sjko_iteration.py`: ``ImageMap``
/// and ``ImagePotential`` of the preset (widths 16, 32, 32; latent 32; embedding 64),
/// softplus Ψ*, per-dimension cost with h = 1 (s = 1/(2·784)), R1 weight 0.2, Adam
/// β = (0.5, 0.9); x ~ N(0, I) images, y uniform on [−1, 1] (the timing does not depend
/// on the data), T_old a frozen copy of the initial map (as in every step k ≥ 1).
struct FashionMNISTIteration {
    var pair: SJKOTrainingPair<FlatImageMap<ImageMap<Float>>, FlatImagePotential<ImagePotential<Float>>>
    let previousMap: FlatImageMap<ImageMap<Float>>
    var generator: RandomGenerator
    let batch: Int
    let latentSize: Int

    init(batch: Int, seed: UInt64 = 0) {
        let config = Presets.named("fashion-mnist")!
        var rng = RandomGenerator(seed: seed)
        let (map, potential) = config.imageNetworks(generator: &rng)
        pair = SJKOTrainingPair(map: map, potential: potential, conjugate: .softplus, mapLearningRate: 5e-4, potentialLearningRate: 2.5e-4,
                                r1Weight: 0.2)
        pair.costScale = Float(1 / (2.0 * 784))
        previousMap = map
        generator = rng
        self.batch = batch
        latentSize = config.images.latentSize
    }

    /// Draws a batch and runs the potential step and the map step.
    mutating func run() -> (potentialLoss: Float, mapLoss: Float) {
        let x = Tensor<Float>.randomNormal(shape: [batch, 784], using: &generator)
        let y = Tensor<Float>.randomUniform(shape: [batch, 784], lowerBound: -1, upperBound: 1, using: &generator)
        let z0 = Tensor<Float>.randomNormal(shape: [batch, latentSize], using: &generator)
        let z1 = Tensor<Float>.randomNormal(shape: [batch, latentSize], using: &generator)
        let z = Tensor<Float>.randomNormal(shape: [batch, latentSize], using: &generator)
        let previousMap = self.previousMap
        let previous = DataParallel.mapRows(batch) { rows in previousMap(x.rowSlice(rows), noise: z1.rowSlice(rows)) }
        return pair.step(x: x, previous: previous, target: y, potentialNoise: z0, mapNoise: z)
    }

    /// Map forward passes only (sampling), images per second measured by the caller.
    func sample(_ count: Int, using generator: inout RandomGenerator) -> Tensor<Float> {
        let x = Tensor<Float>.randomNormal(shape: [count, 784], using: &generator)
        let z = Tensor<Float>.randomNormal(shape: [count, latentSize], using: &generator)
        let map = pair.map
        return DataParallel.mapRows(count) { rows in map(x.rowSlice(rows), noise: z.rowSlice(rows)) }
    }
}

extension EngineBenchmark {
    /// (d) the fashion-mnist preset's training iteration at batch 64 and 128, and its
    /// sampling rate (map forward, 1024 images).
    static func fashionMNISTIteration(quick: Bool, into report: inout BenchmarkReport) {
        for batch in quick ? [8, 16] : [64, 128] {
            var step = FashionMNISTIteration(batch: batch)
            _ = step.run()
            let block = quick ? 1 : 3
            let seconds = Stopwatch.best(repeats: quick ? 2 : 3) { for _ in 0..<block { _ = step.run() } } / Double(block)
            report.add("fmnist_ms_per_iteration_batch\(batch)", seconds * 1e3, unit: "ms", goal: "≥ 1.5 × PyTorch CPU, 2 threads (fmnist_sjko_iteration.py)")
            report.add("fmnist_training_images_per_second_batch\(batch)", Double(2 * batch) / seconds, unit: "images/s")
        }
        let step = FashionMNISTIteration(batch: 8)
        var rng = RandomGenerator(seed: 9)
        let count = quick ? 64 : 1024
        let seconds = Stopwatch.best(repeats: 3) { _ = step.sample(count, using: &rng) }
        report.add("fmnist_sampling_images_per_second", Double(count) / seconds, unit: "images/s")
        report.notes.append("fmnist: the fashion-mnist preset's ImageMap + ImagePotential, softplus, R1 0.2, per-dimension cost; training images/s counts data and prior images (2 × batch); "
                            + "PyTorch reference: python3 benchmarks/reference/fmnist_sjko_iteration.py")
    }
}
