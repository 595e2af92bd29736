import Autodiff
import Foundation
import NeuralNetworks
import NumericalCore
import Probability

extension ExperimentConfig {
    /// Image targets (`target.kind = "images"`): the data, the convolutional networks of
    /// the neural columns, the sample grids, and the classifier of the Fashion-MNIST
    /// evaluation. The optimisation (steps, iterations, batch, learning rates, R1, EMA,
    /// instance noise, per-dimension cost) is the `neural.*` keys'.
    public struct Images: Equatable, Sendable {
        /// `fashion-mnist` (IDX files), `cifar10` (binary batches), `folder` (PNG files,
        /// CelebA-HQ style) or `synthetic` (seeded random blobs, for smoke tests).
        public var dataset = "fashion-mnist"
        /// The data folder; empty: /usr/share/datasets/fashion-mnist for `fashion-mnist`
        /// (the other data sets need one). `jko run --data DIR` sets it.
        public var data = ""
        /// Side S of the (square) images; a folder's images are resized to it.
        public var size = 28
        /// Channels C (1 grey, 3 RGB).
        public var channels = 1
        /// Channel widths of the map's levels (each level halves the resolution).
        public var mapWidths: [Double] = [32, 64]
        /// Channel widths of the potential's levels.
        public var potentialWidths: [Double] = [32, 64]
        /// Residual blocks per level (both networks).
        public var blocks = 1
        /// Dimension of the map's latent z (its noise; neural.noise_size is ignored).
        public var latentSize = 32
        /// Width E of the mapping MLP's embedding that modulates every block (AdaGN).
        public var embeddingSize = 128
        /// GroupNorm groups (every width must be a multiple).
        public var groups = 8
        /// Training images used (0: all).
        public var trainCount = 0
        /// Images in each `samples/grid-KKKK.png` (8 per row).
        public var gridCount = 64
        /// The run folder of the `fashion-mnist-classifier` preset that `jko eval` uses for
        /// FD-FMNIST, class coverage and precision/recall.
        public var classifierRun = "runs/fashion-mnist-classifier"
    }

    /// Settings of the `classifier` method (one JKO "step" is one epoch).
    public struct Classifier: Equatable, Sendable {
        public var batchSize = 128
        public var learningRate = 2e-3
        /// Base channels c of ``ImageClassifier``.
        public var channels = 32
    }

    static let imagesSchema: [ConfigField] = [
        .string("images.dataset", \.images.dataset,
                "Image data (target.kind = \"images\"): \"fashion-mnist\" (IDX files), \"cifar10\" (binary batches data_batch_*.bin), \"folder\" (PNG files, CelebA-HQ style), \"synthetic\" (seeded blobs, smoke tests).",
                choices: ["fashion-mnist", "cifar10", "folder", "synthetic"]),
        .string("images.data", \.images.data, "Data folder; empty means /usr/share/datasets/fashion-mnist for fashion-mnist (Debian dataset-fashion-mnist). jko run --data DIR sets it."),
        .integer("images.size", \.images.size, "Side S of the square images (a folder's images are centre-cropped and resized to it).",
                 allowed: "the size must be between 4 and 1024", where: { (4...1024).contains($0) }),
        .integer("images.channels", \.images.channels, "Channels: 1 (grey) or 3 (RGB).", allowed: "use 1 or 3", where: { $0 == 1 || $0 == 3 }),
        .vector("images.map_widths", \.images.mapWidths, "Channel widths of the map's U-Net levels (each level halves the resolution)."),
        .vector("images.potential_widths", \.images.potentialWidths, "Channel widths of the potential's levels."),
        .integer("images.blocks", \.images.blocks, "Residual blocks per level of both networks.",
                 allowed: "between 1 and 8", where: { (1...8).contains($0) }),
        .integer("images.latent_size", \.images.latentSize, "Dimension of the map's latent z (through the mapping MLP).",
                 allowed: "between 1 and 1024", where: { (1...1024).contains($0) }),
        .integer("images.embedding_size", \.images.embeddingSize, "Width of the mapping MLP's embedding that modulates every block (AdaGN/FiLM).",
                 allowed: "between 1 and 4096", where: { (1...4096).contains($0) }),
        .integer("images.groups", \.images.groups, "GroupNorm groups (every width must be a multiple of it).",
                 allowed: "between 1 and 64", where: { (1...64).contains($0) }),
        .integer("images.train_count", \.images.trainCount, "Training images used (0: all).",
                 allowed: "must be ≥ 0", where: { $0 >= 0 }),
        .integer("images.grid_count", \.images.gridCount, "Images in each samples/grid-KKKK.png (8 per row, EMA weights).",
                 allowed: "between 1 and 1024", where: { (1...1024).contains($0) }),
        .string("images.classifier_run", \.images.classifierRun, "Run folder of the fashion-mnist-classifier preset, used by jko eval for FD-FMNIST."),
        .integer("classifier.batch_size", \.classifier.batchSize, "Images per step of the \"classifier\" method.",
                 allowed: "between 1 and 100000", where: { (1...100_000).contains($0) }),
        .number("classifier.learning_rate", \.classifier.learningRate, "Adam learning rate of the classifier (cosine decay over the epochs).",
                allowed: "a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .integer("classifier.channels", \.classifier.channels, "Base channels of the classifier network.",
                 allowed: "between 8 and 512 (a multiple of 8)", where: { (8...512).contains($0) && $0 % 8 == 0 }),
    ]

    /// [C, S, S].
    public var imageShape: [Int] { [images.channels, images.size, images.size] }

    /// The data folder in use.
    public var imageDataFolder: String {
        images.data.isEmpty && images.dataset == "fashion-mnist" ? ImageDataset.fashionMNISTFolder : images.data
    }

    /// The image data of `split` (a folder has no split: both give its images).
    public func imageDataset(split: ImageDataset.Split) throws -> ImageDataset {
        var data: ImageDataset
        switch images.dataset {
        case "fashion-mnist": data = try ImageDataset.idx(folder: imageDataFolder, split: split)
        case "cifar10":
            guard !images.data.isEmpty else {
                throw ConfigError.outOfRange(key: "images.data", value: "\"\"", allowed: "cifar10 needs its data folder: pass --data DIR with the unpacked cifar-10-batches-bin (nothing is downloaded)")
            }
            data = try ImageDataset.cifar10(folder: images.data, split: split)
        case "folder":
            guard !images.data.isEmpty else {
                throw ConfigError.outOfRange(key: "images.data", value: "\"\"", allowed: "a folder data set needs its folder: pass --data DIR with the .png images (nothing is downloaded)")
            }
            data = try ImageFolder.load(folder: images.data, size: images.size, channels: images.channels,
                                        limit: images.trainCount > 0 ? images.trainCount : .max)
        default: data = Self.syntheticImages(count: 512, shape: imageShape, seed: UInt64(seed))
        }
        guard [data.channels, data.height, data.width] == imageShape else {
            throw ConfigError.outOfRange(key: "images.size", value: "\(images.size)",
                                         allowed: "the \(images.dataset) images are \(data.channels)×\(data.height)×\(data.width): set images.channels = \(data.channels) and images.size = \(data.height)")
        }
        if split == .train && images.trainCount > 0 { data = data.prefix(images.trainCount) }
        return data
    }

    /// Seeded stand-in images: a bright disc of random centre and radius on a dark ground.
    static func syntheticImages(count: Int, shape: [Int], seed: UInt64) -> ImageDataset {
        var rng = RandomGenerator(seed: seed)
        let (c, s) = (shape[0], shape[1])
        var pixels = [UInt8](repeating: 0, count: count * c * s * s)
        for n in 0..<count {
            let cx = rng.uniform() * Double(s), cy = rng.uniform() * Double(s), r = (0.15 + 0.25 * rng.uniform()) * Double(s)
            for ch in 0..<c {
                for y in 0..<s {
                    for x in 0..<s where (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy) < r * r {
                        pixels[((n * c + ch) * s + y) * s + x] = 220
                    }
                }
            }
        }
        return ImageDataset(channels: c, height: s, width: s, pixels: pixels)
    }

    /// The map and potential of the image columns, as the trainer sees them (flat rows).
    public func imageNetworks(generator: inout RandomGenerator) -> (map: FlatImageMap<ImageMap<Float>>, potential: FlatImagePotential<ImagePotential<Float>>) {
        let map = ImageMap<Float>(imageChannels: images.channels, widths: images.mapWidths.map { Int($0) }, blocksPerLevel: images.blocks,
                                  latentSize: images.latentSize, embeddingSize: images.embeddingSize, groups: images.groups, generator: &generator)
        let potential = ImagePotential<Float>(imageChannels: images.channels, widths: images.potentialWidths.map { Int($0) },
                                              blocksPerLevel: images.blocks, groups: images.groups, generator: &generator)
        return (FlatImageMap(map, imageShape: imageShape), FlatImagePotential(potential, imageShape: imageShape))
    }

    /// Cross-key checks of an image config (widths against groups and the size).
    func validateImages() throws {
        for (key, widths) in [("images.map_widths", images.mapWidths), ("images.potential_widths", images.potentialWidths)] {
            let text = ConfigValue.vector(widths).description
            guard !widths.isEmpty, widths.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && Int($0) % images.groups == 0 }) else {
                throw ConfigError.outOfRange(key: key, value: text, allowed: "give whole channel counts, each a multiple of images.groups = \(images.groups)")
            }
            guard images.size % (1 << (widths.count - 1)) == 0 else {
                throw ConfigError.outOfRange(key: key, value: text, allowed: "\(widths.count) levels halve the size \(widths.count - 1) times: images.size = \(images.size) must be a multiple of \(1 << (widths.count - 1))")
            }
        }
        if methods.contains("classifier") && (images.size % 4 != 0 || images.channels != imageShape[0]) {
            throw ConfigError.outOfRange(key: "images.size", value: "\(images.size)", allowed: "the classifier needs a size that is a multiple of 4")
        }
        let allowed = ["neural-sjko", "classifier"]
        if let bad = methods.first(where: { !allowed.contains($0) }) {
            throw ConfigError.outOfRange(key: "methods", value: ConfigValue.stringList(methods).description,
                                         allowed: "an image target runs \"neural-sjko\" (or \"classifier\"); \"\(bad)\" needs a density on ℝᵈ")
        }
    }

    /// Comment lines for `jko config show`: the parameter counts of the image networks.
    static func imageNetworksComment(_ config: ExperimentConfig) -> [String] {
        guard config.target.kind == "images", (try? config.validateImages()) != nil else { return [] }
        var rng = RandomGenerator(seed: 0)
        if config.methods == ["classifier"] {
            let net = ImageClassifier<Float>(imageShape: config.imageShape, channels: config.classifier.channels, generator: &rng)
            return ["# Networks: ImageClassifier \(net.parameterScalarCount) parameters (128-d features)"]
        }
        let (map, potential) = config.imageNetworks(generator: &rng)
        let flops = map.network.flops(batch: 1, size: config.images.size), vflops = potential.network.flops(batch: 1, size: config.images.size)
        return [String(format: "# Networks: map T(x, z) %d parameters (%.2f GFLOP per image), potential v %d parameters (%.2f GFLOP per image)",
                       map.parameterScalarCount, Double(flops) * 1e-9, potential.parameterScalarCount, Double(vflops) * 1e-9)]
    }
}
