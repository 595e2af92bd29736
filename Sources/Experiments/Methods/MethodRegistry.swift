import NumericalCore

/// Builds the ``FlowMethod`` for each name in a config's `methods` list.
public enum MethodRegistry {
    /// A fresh method; each gets its own random stream derived from the run seed, so adding
    /// a method does not change the samples of the others.
    public static func make(_ name: String, config: ExperimentConfig, generator: RandomGenerator) throws -> FlowMethod {
        switch name {
        case "analytic": return try AnalyticMethod(config: config, generator: generator)
        case "gaussian-jko": return try GaussianJKOMethod(config: config, generator: generator)
        case "particle-jko": return try ParticleJKOMethod(config: config, generator: generator)
        case "mesh-jko": return try MeshJKOMethod(config: config, generator: generator)
        case "finite-volume": return try FiniteVolumeMethod(config: config, generator: generator)
        case "grid-jko": return try GridJKOMethod(config: config, generator: generator)
        case "neural-sjko" where config.target.kind == "images": return try ImageJKOMethod(name: name, config: config, generator: generator)
        case "classifier": return try ClassifierMethod(config: config, generator: generator)
        case "neural-sjko", "neural-chain": return try NeuralJKOMethod(name: name, config: config, generator: generator)
        // The 2D moving-mesh JKO plugs in here as "mesh-jko" (and in ExperimentConfig.knownMethods).
        default:
            throw ConfigError.outOfRange(key: "methods", value: "\"\(name)\"",
                                         allowed: "use any of " + ExperimentConfig.knownMethods.map { "\"\($0)\"" }.joined(separator: ", "))
        }
    }

    /// The random stream of method number `index` for a run seed.
    public static func generator(seed: Int, methodIndex: Int) -> RandomGenerator {
        var root = RandomGenerator(seed: UInt64(seed))
        return root.split(count: methodIndex + 1)[methodIndex]
    }
}
