import NeuralJKO
import NumericalCore

extension ExperimentConfig {
    /// The neural JKO columns `neural-sjko` and `neural-chain` (DESIGN.md §1.3): the scheme,
    /// the networks, the optimisation and the verification sample sizes. Defaults are
    /// the official S-JKO toy code's; the verification presets change some, saying why.
    public struct Neural: Equatable, Sendable {
        /// Ψ*: `kl` (Fokker–Planck), `chi2`, `softplus`, `linear` (balanced OT).
        public var conjugate = "kl"
        /// The potential's loss: `semi-dual` (official), `logistic` (KL only) or `auto`
        /// (``ExperimentConfig/resolvedPotentialObjective``).
        public var potentialObjective = "semi-dual"
        /// `none`: cost |x−y|²/(2h), h the Fokker–Planck step; `per-dimension`: |x−y|²/(2hd), effective step d·h.
        public var cost = "none"
        /// Dimension of the map's noise z (0: deterministic map).
        public var noiseSize = 2
        /// `independent` z, z′ in the map loss (official code) or `shared`.
        public var noiseCoupling = "independent"
        /// λ of the R1 penalty on data (0: off).
        public var r1Weight = 0.0
        /// Instance noise of std 1/(32(k+1)) on the target samples of step k.
        public var instanceNoise = false
        /// EMA decay of the map's parameters used for samples and metrics (0: off).
        public var emaDecay = 0.0
        /// Per-step time steps h_k (empty: flow.time_step at every step).
        public var timeSteps: [Double] = []
        public var firstStepIterations = 5000
        public var laterStepIterations = 5000
        public var batchSize = 400
        /// Target samples per iteration in the potential's term E_ν[Ψ*(−v)] (0: batchSize).
        public var targetBatchSize = 0
        public var mapLearningRate = 1e-4
        public var potentialLearningRate = 2e-5
        public var beta1 = 0.5
        public var beta2 = 0.9
        /// `constant`, `cosine-run` (one decay over all steps) or `cosine-step` (a decay within every step).
        public var schedule = "constant"
        public var width = 128
        public var blocks = 3
        /// T(x, z) = x + net(x, z), starting at the identity.
        public var residualMap = false
        /// v(y) = net(y) + ½yᵀWy + qᵀy.
        public var quadraticPotential = false
        public var quadraticScale = 1.0
        /// False: v is the quadratic alone.
        public var potentialNetwork = true
        /// n of the exact W₂ between the neural samples and each reference (and of its floor).
        public var w2SampleCount = 2000
        /// n of the fresh neural sample whose Gaussian fit gives the SymKL columns.
        public var fitSampleCount = 100_000
    }

    /// The `neural.*` keys.
    static let neuralSchema: [ConfigField] = [
        .string("neural.conjugate", \.neural.conjugate,
                "Neural columns: Ψ* of the divergence to the target: \"kl\" (the Fokker–Planck flow), \"chi2\", \"softplus\", \"linear\" (balanced OT).",
                choices: Conjugate.allCases.map(\.rawValue)),
        .string("neural.potential_objective", \.neural.potentialObjective,
                "Loss of the potential v: \"semi-dual\" E_ν[Ψ*(−v)] + E_ρ[v] (official code), \"logistic\" E_ν[softplus(−v)] + E_ρ[softplus(v)] (density-ratio estimation by classification, same optimum v = log dν/dρ; KL only), for ρ = T#μ, or \"auto\": logistic where the start is a Gaussian at least twice as wide as a Gaussian target along some direction (χ²(μ₀‖ν) = ∞), the semi-dual otherwise.",
                choices: PotentialObjective.allCases.map(\.rawValue) + ["auto"]),
        .string("neural.cost", \.neural.cost,
                "Transport cost: \"none\" is |x−y|²/(2h), so h is the Fokker–Planck time step; \"per-dimension\" is the official code's |x−y|²/(2hd), effective step d·h (t reported as k·d·h).",
                choices: NeuralJKOSettings.CostNormalisation.allCases.map(\.rawValue)),
        .integer("neural.noise_size", \.neural.noiseSize, "Dimension of the map's noise z; 0 makes the map deterministic.",
                 allowed: "the noise dimension must be between 0 and 1024 (0: a deterministic map)", where: { (0...1024).contains($0) }),
        .string("neural.noise_coupling", \.neural.noiseCoupling,
                "Noises of the map loss E[c(T_old(x,z), T(x,z')) − v(T(x,z'))]: \"independent\" z, z' (official code) or \"shared\" (z' = z).",
                choices: NeuralJKOSettings.NoiseCoupling.allCases.map(\.rawValue)),
        .number("neural.r1_weight", \.neural.r1Weight, "Weight λ of the R1 penalty (λ/2)E|∇v(y)|² on target samples; 0 turns it off.",
                allowed: "the R1 weight must be a finite number ≥ 0", where: { $0 >= 0 && $0.isFinite }),
        .boolean("neural.instance_noise", \.neural.instanceNoise, "Add Gaussian noise of std 1/(32(k+1)) to the target samples of step k (the paper's image runs)."),
        .number("neural.ema_decay", \.neural.emaDecay, "EMA decay of the map's weights used for samples and metrics; 0 turns averaging off.",
                allowed: "the EMA decay must lie in [0, 1)", where: { $0 >= 0 && $0 < 1 }),
        .vector("neural.time_steps", \.neural.timeSteps, "Time step h_k of each neural JKO step (one per step); empty: flow.time_step at every step."),
        .integer("neural.first_step_iterations", \.neural.firstStepIterations, "Training iterations of the first JKO step.",
                 allowed: "the iterations must be between 1 and 10000000", where: { (1...10_000_000).contains($0) }),
        .integer("neural.later_step_iterations", \.neural.laterStepIterations, "Training iterations of every later JKO step (warm-started).",
                 allowed: "the iterations must be between 1 and 10000000", where: { (1...10_000_000).contains($0) }),
        .integer("neural.batch_size", \.neural.batchSize, "Prior and target samples per training iteration.",
                 allowed: "the batch size must be between 1 and 1000000", where: { (1...1_000_000).contains($0) }),
        .integer("neural.target_batch_size", \.neural.targetBatchSize,
                 "Target samples per iteration in the potential's term E_ν[Ψ*(−v(y))], a multiple of neural.batch_size (0: neural.batch_size); more target samples than prior samples average the term's rare large values (a start far from ν) over more points.",
                 allowed: "the target batch size must be between 0 and 10000000 (0: neural.batch_size)", where: { (0...10_000_000).contains($0) }),
        .number("neural.map_learning_rate", \.neural.mapLearningRate, "Adam learning rate of the map T.",
                allowed: "the learning rate must be a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .number("neural.potential_learning_rate", \.neural.potentialLearningRate, "Adam learning rate of the potential v.",
                allowed: "the learning rate must be a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .number("neural.beta1", \.neural.beta1, "Adam's β₁ for both networks.", allowed: "β₁ must lie in [0, 1)", where: { $0 >= 0 && $0 < 1 }),
        .number("neural.beta2", \.neural.beta2, "Adam's β₂ for both networks.", allowed: "β₂ must lie in [0, 1)", where: { $0 >= 0 && $0 < 1 }),
        .string("neural.schedule", \.neural.schedule,
                "Learning rates during training: \"constant\" (official code), \"cosine-run\" (one cosine decay to 0 over all steps), \"cosine-step\" (a cosine decay to 0 within every JKO step).",
                choices: NeuralJKOSettings.Schedule.allCases.map(\.rawValue)),
        .integer("neural.width", \.neural.width, "Width of both networks' hidden layers (official toy nets: 128).",
                 allowed: "the width must be between 1 and 4096", where: { (1...4096).contains($0) }),
        .integer("neural.blocks", \.neural.blocks, "Residual blocks of both networks (official toy nets: 3).",
                 allowed: "the number of blocks must be between 0 and 64", where: { (0...64).contains($0) }),
        .boolean("neural.residual_map", \.neural.residualMap, "Map T(x, z) = x + net(x, z), starting at the identity (false: the official code's plain network)."),
        .boolean("neural.quadratic_potential", \.neural.quadraticPotential, "Potential v(y) = net(y) + ½yᵀWy + qᵀy with a learned quadratic (exact for Gaussian flows)."),
        .boolean("neural.potential_network", \.neural.potentialNetwork, "Potential keeps its network (false: v is the learned quadratic alone, exact for Gaussian flows; needs quadratic_potential)."),
        .number("neural.quadratic_scale", \.neural.quadraticScale, "Scale of the quadratic's parameters (its effective learning rate relative to the network's).",
                allowed: "the scale must be a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .integer("neural.w2_sample_count", \.neural.w2SampleCount, "Samples per cloud of the exact W₂ between the neural flow and each reference, and of its noise floor.",
                 allowed: "the count must be between 10 and 5000", where: { (10...5000).contains($0) }),
        .integer("neural.fit_sample_count", \.neural.fitSampleCount, "Fresh neural samples whose Gaussian fit gives the SymKL columns (one network pass).",
                 allowed: "the count must be between 100 and 10000000", where: { (100...10_000_000).contains($0) }),
    ]

    /// The neural methods of this config.
    public var neuralMethods: [String] { methods.filter { $0.hasPrefix("neural-") } }

    /// `neural.potential_objective` with `auto` resolved: `logistic` when the divergence is KL,
    /// the start one Gaussian N(m₀, Σ₀), the target a Gaussian N(b, Σ) and
    /// ``startToTargetVarianceRatio`` ≥ 2, the semi-dual otherwise. For Gaussians
    /// χ²(μ₀‖ν) = ∫μ₀²/ν − 1 is finite iff 2Σ₀⁻¹ − Σ⁻¹ ≻ 0, i.e. iff that ratio is below 2:
    /// at or above it the semi-dual's target term E_ν[e^{−v}] = E_ν[dρ/dν] starts with
    /// infinite variance, while the logistic loss has bounded per-sample gradients.
    public var resolvedPotentialObjective: PotentialObjective {
        if let chosen = PotentialObjective(rawValue: neural.potentialObjective) { return chosen }
        guard neural.conjugate == Conjugate.kl.rawValue, let ratio = startToTargetVarianceRatio else { return .semiDual }
        return ratio >= 2 ? .logistic : .semiDual
    }

    /// λ_max(L⁻¹Σ₀L⁻ᵀ) with Σ = LLᵀ, the largest ratio of the start's variance to the
    /// target's along one direction (the largest eigenvalue of Σ⁻¹Σ₀); nil unless the start
    /// is one Gaussian and the target is Gaussian.
    public var startToTargetVarianceRatio: Double? {
        guard let target = try? targetDistribution(), let start = try? startDistribution(), start.components.count == 1,
              start.components[0].dimension == target.dimension,
              let inverseFactor = try? target.choleskyFactor.inverse() else { return nil }
        let whitened = (inverseFactor * start.components[0].covariance * inverseFactor.transposed).symmetrized
        return try? whitened.symmetricEigen().values.max()
    }

    /// The trainer settings of method `neural-sjko` or `neural-chain`.
    public func neuralSettings(method: String) -> NeuralJKOSettings {
        var s = NeuralJKOSettings()
        s.parametrisation = method == "neural-chain" ? .chain : .sjko
        s.conjugate = Conjugate(rawValue: neural.conjugate) ?? .kl
        s.potentialObjective = resolvedPotentialObjective
        s.costNormalisation = NeuralJKOSettings.CostNormalisation(rawValue: neural.cost) ?? .none
        s.noiseSize = neural.noiseSize
        s.noiseCoupling = NeuralJKOSettings.NoiseCoupling(rawValue: neural.noiseCoupling) ?? .independent
        s.r1Weight = neural.r1Weight
        s.instanceNoise = neural.instanceNoise
        s.emaDecay = neural.emaDecay > 0 ? neural.emaDecay : nil
        s.firstStepIterations = neural.firstStepIterations
        s.laterStepIterations = neural.laterStepIterations
        s.batchSize = neural.batchSize
        s.targetBatchSize = neural.targetBatchSize > 0 ? neural.targetBatchSize : nil
        s.mapLearningRate = neural.mapLearningRate
        s.potentialLearningRate = neural.potentialLearningRate
        s.beta1 = neural.beta1
        s.beta2 = neural.beta2
        s.schedule = NeuralJKOSettings.Schedule(rawValue: neural.schedule) ?? .constant
        s.width = neural.width
        s.blockCount = neural.blocks
        s.residualMap = neural.residualMap
        s.quadraticPotential = neural.quadraticPotential
        s.quadraticScale = neural.quadraticScale
        s.potentialNetwork = neural.potentialNetwork
        return s
    }

    /// h_k of every step k = 0…K − 1 (the cost's h; per-dimension cost makes the flow step d·h_k).
    public var neuralTimeSteps: [Double] {
        neural.timeSteps.isEmpty ? [Double](repeating: flow.timeStep, count: flow.steps) : neural.timeSteps
    }

    /// The flow time of one unit of h: d for the per-dimension cost, else 1.
    var timeScale: Double { neural.cost == "per-dimension" ? Double(dimension) : 1 }

    /// Cross-key checks of the neural columns.
    func validateNeural() throws {
        let neuralOnes = neuralMethods
        guard !neuralOnes.isEmpty else { return }
        let methodsText = ConfigValue.stringList(methods).description
        if !neural.timeSteps.isEmpty {
            guard neural.timeSteps.count == flow.steps else {
                throw ConfigError.outOfRange(key: "neural.time_steps", value: ConfigValue.vector(neural.timeSteps).description,
                                             allowed: "give one time step per JKO step (flow.steps = \(flow.steps)), or [] for flow.time_step at every step")
            }
            if let bad = neural.timeSteps.first(where: { !($0 > 0 && $0.isFinite) }) {
                throw ConfigError.outOfRange(key: "neural.time_steps", value: ConfigValue.vector(neural.timeSteps).description,
                                             allowed: "every time step must be a finite number > 0 (found \(bad))")
            }
        }
        let exact = methods.filter { !$0.hasPrefix("neural-") }
        if !exact.isEmpty && (neural.cost == "per-dimension" || !neural.timeSteps.isEmpty) {
            throw ConfigError.outOfRange(key: neural.cost == "per-dimension" ? "neural.cost" : "neural.time_steps",
                                         value: neural.cost == "per-dimension" ? "\"per-dimension\"" : ConfigValue.vector(neural.timeSteps).description,
                                         allowed: "the exact columns \(ConfigValue.stringList(exact).description) step by flow.time_step in Fokker–Planck time; with them use neural.cost = \"none\" and neural.time_steps = [] (or run the neural columns alone)")
        }
        for method in neuralOnes {
            if let (key, allowed) = neuralSettings(method: method).problem() {
                let value = ConfigField.schemaValue(key, in: self)
                throw ConfigError.outOfRange(key: key, value: value, allowed: allowed + " (method \"\(method)\")")
            }
        }
        _ = methodsText
    }
}

extension ConfigField {
    /// The value of `key` as written in TOML (for messages).
    static func schemaValue(_ key: String, in config: ExperimentConfig) -> String {
        ExperimentConfig.field(forKey: key)?.get(config).description ?? "?"
    }
}
