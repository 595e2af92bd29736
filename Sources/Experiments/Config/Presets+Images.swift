/// The image presets: Fashion-MNIST sized for this 2-core machine (with its classifier
/// for FD-FMNIST), and the paper's CIFAR-10 / CelebA-HQ 256 settings, which need a data
/// folder and a much larger machine.
///
/// Shared S-JKO image settings (the paper's, DESIGN.md §1.3): per-dimension cost, R1 on
/// data, EMA of the map's weights for sampling, one cosine learning-rate decay over the
/// run, instance noise 1/(32(k+1)) on the data, Adam β = (0.5, 0.9), independent z, z′.
/// Ψ* is the softplus conjugate of the official image code (bounded growth, where the KL's
/// e^t makes early image steps diverge).
extension Presets {
    static var images: [(name: String, summary: String, config: ExperimentConfig)] {
        [
            ("fashion-mnist", "S-JKO from noise to Fashion-MNIST garments with small conv networks, sized for a 2-core CPU (≤ 60 min); jko eval gives FD-FMNIST", fashionMNIST),
            ("fashion-mnist-quick", "fashion-mnist in under 5 minutes (blurry shapes; demos and tests)", fashionMNISTQuick),
            ("fashion-mnist-classifier", "The Fashion-MNIST classifier of FD-FMNIST (test accuracy ≥ 91 %), trained with the engine; jko eval finds it in runs/fashion-mnist-classifier", fashionMNISTClassifier),
            ("cifar10", "The paper's CIFAR-10 run (K = 100, h = 0.1, 10000 + 2000 iterations, batch 256, R1 0.2, EMA 0.9999); needs --data DIR (cifar-10-batches-bin) and a GPU-class machine", cifar10),
            ("celebahq-256", "The paper's CelebA-HQ 256 run (same schedule as cifar10); needs --data DIR (a folder of PNG faces) and a GPU-class machine", celebaHQ256),
        ]
    }

    static func imageDefaults(_ c: inout ExperimentConfig) {
        c.methods = ["neural-sjko"]
        c.target.kind = "images"
        c.target.mean = [0]
        c.target.covariance = [[1]]
        c.start.kind = "standard-normal"
        c.neural.conjugate = "softplus"
        c.neural.cost = "per-dimension"
        c.neural.r1Weight = 0.2
        c.neural.instanceNoise = true
        c.neural.schedule = "cosine-run"
        c.neural.beta1 = 0.5
        c.neural.beta2 = 0.9
        c.output.sampleCount = 64
        c.output.cloudW2Count = 0
    }

    static var fashionMNIST: ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "fashion-mnist"
        imageDefaults(&c)
        c.flow = .init(timeStep: 1, steps: 3)
        c.images.mapWidths = [16, 32, 32]
        c.images.potentialWidths = [16, 32, 32]
        c.images.groups = 8
        c.images.latentSize = 32
        c.images.embeddingSize = 64
        c.neural.batchSize = 32
        c.neural.firstStepIterations = 1000
        c.neural.laterStepIterations = 300
        c.neural.mapLearningRate = 5e-4
        c.neural.potentialLearningRate = 2.5e-4
        c.neural.emaDecay = 0.995
        return c
    }

    static var fashionMNISTQuick: ExperimentConfig {
        var c = fashionMNIST
        c.name = "fashion-mnist-quick"
        c.flow = .init(timeStep: 1, steps: 2)
        c.neural.batchSize = 16
        c.neural.firstStepIterations = 100
        c.neural.laterStepIterations = 40
        c.neural.emaDecay = 0.95
        return c
    }

    static var fashionMNISTClassifier: ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "fashion-mnist-classifier"
        imageDefaults(&c)
        c.methods = ["classifier"]
        c.flow = .init(timeStep: 1, steps: 3)
        return c
    }

    /// The paper's image schedule: K = 100 steps of h = 0.1 (per-dimension cost), 10 000
    /// iterations for the first step and 2000 for every later one, batch 256, R1 0.2,
    /// EMA 0.9999, cosine learning rate (Adam 2e-4 map, 1e-4 potential).
    static func paperSchedule(_ c: inout ExperimentConfig) {
        imageDefaults(&c)
        c.flow = .init(timeStep: 0.1, steps: 100)
        c.neural.batchSize = 256
        c.neural.firstStepIterations = 10_000
        c.neural.laterStepIterations = 2000
        c.neural.mapLearningRate = 2e-4
        c.neural.potentialLearningRate = 1e-4
        c.neural.emaDecay = 0.9999
        c.images.latentSize = 256
        c.images.embeddingSize = 256
        c.images.groups = 32
    }

    /// CIFAR-10 32×32: a U-Net with the NCSN++ CIFAR channel pattern 128·(1, 2, 2, 2), two
    /// blocks per level, and a ResNet critic of the same widths.
    static var cifar10: ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "cifar10"
        paperSchedule(&c)
        c.images.dataset = "cifar10"
        c.images.size = 32
        c.images.channels = 3
        c.images.mapWidths = [128, 256, 256, 256]
        c.images.potentialWidths = [128, 256, 256, 256]
        c.images.blocks = 2
        return c
    }

    /// CelebA-HQ 256×256: seven levels 256 → 4 with widths 64·(1, 1, 2, 2, 4, 4, 4)/2 … as
    /// in NCSN++'s high-resolution pattern (halved at the top levels to bound memory),
    /// one block per level.
    static var celebaHQ256: ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "celebahq-256"
        paperSchedule(&c)
        c.images.dataset = "folder"
        c.images.size = 256
        c.images.channels = 3
        c.images.mapWidths = [32, 64, 128, 128, 256, 256, 256]
        c.images.potentialWidths = [32, 64, 128, 128, 256, 256, 256]
        c.images.blocks = 1
        return c
    }
}
