import Probability

/// The neural presets: the neural JKO columns beside the exact ones on the problems of
/// the exact presets (verification), and the official code's generative toys.
///
/// Verification settings (every `neural-*` preset but the toys) differ from the official
/// toy code's, each for a measured reason (README, "Neural JKO"): a deterministic map
/// (`noise_size = 0`: the exact JKO map is deterministic, and noise only adds variance),
/// a residual map that starts at the identity (T_old at k = 0), a learned quadratic in the
/// potential (the exact potential of a Gaussian flow is quadratic), larger learning rates,
/// Adam β = (0.9, 0.999) with four target samples per prior sample in the potential's term
/// (the term E_ν[e^{−v}] is heavy-tailed when the start is far from ν; a short
/// second-moment memory, β₂ = 0.9, scales its rare large gradients down to the size of the
/// common ones and biases the potential), no EMA (averaged weights carry earlier steps into
/// the frozen T_old, which then lags), the unnormalised cost, so h is the Fokker–Planck
/// step of the exact columns, and the `auto` potential objective: the logistic loss where a
/// Gaussian start is at least twice as wide as the Gaussian target along some direction
/// (`neural-ou-nd` for d ≥ 4: at d = 4, t = 0.9, log₁₀ SymKL to the OU solution −2.59
/// against −1.57 with the semi-dual), the official semi-dual elsewhere (`neural-ou-2d`, whose
/// start is narrower than ν: −1.88 against −1.35 with the logistic loss at t = 0.4; the
/// `neural-ou-nd` target of d = 2: −3.12 against −2.92 at t = 0.9).
extension Presets {
    static var neural: [(name: String, summary: String, config: ExperimentConfig)] {
        [
            ("neural-ou-1d", "Neural S-JKO on the bimodal 1D start of ou-mixture-1d, beside the analytic flow, particle JKO and finite volumes", neuralOU1D),
            ("neural-ou-2d", "Neural S-JKO on the anisotropic 2D Gaussian of ou-2d, beside the analytic flow and the exact Gaussian JKO iterates", neuralOU2D),
            ("neural-ou-2d-overlap", "neural-ou-2d with the start centred on the target mean (μ₀ and ν overlap): the case where the sample-based KL dual is well conditioned", neuralOU2DOverlap),
            ("neural-ou-mixture-2d", "Neural S-JKO on the bimodal 2D start of ou-mixture-2d, beside the analytic flow, mesh JKO and finite volumes", neuralOUMixture2D),
            ("neural-double-well-1d", "Neural S-JKO on the 1D tilted double well (target samples from the exact Gibbs sampler), beside particle JKO and finite volumes", neuralDoubleWell1D),
            ("neural-double-well-2d", "Neural S-JKO on the 2D tilted double well, beside mesh JKO and finite volumes", neuralDoubleWell2D),
            ("neural-ou-nd", "Neural S-JKO on the Mokrov et al. OU benchmark (N(0, I) to a seeded random Gaussian, d = 8, any d with --set target.dimension=D), beside the analytic flow and the exact Gaussian JKO", neuralOUND),
        ] + ToyDataset.allCases.map { toy in
            ("toy-\(toy.rawValue)", "Generative toy: S-JKO from N(0, I) to the official code's \(toy.rawValue), with its settings (K = 10, h = 1 per-dimension cost, 5000 iterations per step)", toyPreset(toy))
        } + [
            ("toy-8gaussians-uotm", "The K = 1 case of toy-8gaussians (fixed-source UOTM, the official command): one step of h = 1, 50000 iterations", toyUOTM),
        ]
    }

    /// The official S-JKO toy settings (Jae-Moo/Scalable-JKO, toy 2D runs): K = 10, h = 1 with
    /// the per-dimension cost, 5000 iterations per step, batch 400, Adam β = (0.5, 0.9), learning
    /// rates 1e-4 (map) and 2e-5 (potential), noise z of dimension 2 with independent z, z′, no R1.
    static func toyPreset(_ toy: ToyDataset) -> ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "toy-\(toy.rawValue)"
        c.methods = ["neural-sjko"]
        c.flow = .init(timeStep: 1, steps: 10)
        c.target.kind = "toy"
        c.target.dataset = toy.rawValue
        c.target.mean = [0, 0]
        c.target.covariance = [[1, 0], [0, 1]]
        c.start = .init(weights: [1.0], means: [[0.0, 0.0]], covariances: [[[1.0, 0.0], [0.0, 1.0]]], kind: "standard-normal")
        c.grid = .init(lower: -14, upper: 14, cells: 140, substeps: 4, scheme: "bdf2")
        c.neural.cost = "per-dimension"
        c.output.sampleCount = 2000
        return c
    }

    static var toyUOTM: ExperimentConfig {
        var c = toyPreset(.eightGaussians)
        c.name = "toy-8gaussians-uotm"
        // The official fixed-source UOTM command: --num_phase 1 --init_h 1 --init_num_iterations 50000.
        c.flow = .init(timeStep: 1, steps: 1)
        c.neural.firstStepIterations = 50_000
        return c
    }

    static var neuralOUND: ExperimentConfig {
        var c = ouND
        c.name = "neural-ou-nd"
        c.methods = ["analytic", "gaussian-jko", "neural-sjko"]
        verificationSettings(&c)
        return c
    }

    /// The overrides of `jko run PRESET --quick`: a size that runs in well under a minute
    /// (tests, the demo); nil for names that are not presets.
    public static func quickOverrides(_ name: String) -> [String]? {
        guard named(name) != nil else { return nil }
        switch name {
        case "fashion-mnist", "fashion-mnist-quick":
            return ["flow.steps=2", "neural.first_step_iterations=20", "neural.later_step_iterations=10", "neural.batch_size=16", "images.train_count=2000"]
        case "fashion-mnist-classifier":
            return ["flow.steps=1", "images.train_count=2000"]
        case "cifar10", "celebahq-256":
            return ["flow.steps=2", "neural.first_step_iterations=2", "neural.later_step_iterations=2", "neural.batch_size=2", "images.dataset=\"synthetic\""]
        case "neural-ou-1d":
            return ["neural.first_step_iterations=300", "neural.later_step_iterations=100", "neural.batch_size=500",
                    "neural.target_batch_size=2000",
                    "neural.fit_sample_count=20000", "particles.count=1000", "output.sample_count=1000", "neural.w2_sample_count=1000"]
        case let n where n.hasPrefix("toy-"):
            return ["flow.steps=\(min(named(name)!.flow.steps, 3))", "neural.first_step_iterations=300", "neural.later_step_iterations=200"]
        case let n where n.hasPrefix("neural-"):
            return ["flow.steps=6", "neural.first_step_iterations=300", "neural.later_step_iterations=150",
                    "neural.fit_sample_count=20000", "output.sample_count=1000", "neural.w2_sample_count=500"]
        default:
            return ["flow.steps=\(min(named(name)!.flow.steps, 6))"]
        }
    }

    /// The verification settings shared by the neural presets (see the type's comment).
    static func verificationSettings(_ c: inout ExperimentConfig) {
        c.neural.noiseSize = 0
        c.neural.residualMap = true
        c.neural.quadraticPotential = true
        c.neural.quadraticScale = 10
        c.neural.width = 64
        c.neural.blocks = 2
        c.neural.batchSize = 1000
        c.neural.targetBatchSize = 4000
        c.neural.mapLearningRate = 1e-3
        c.neural.potentialLearningRate = 1e-3
        c.neural.beta1 = 0.9
        c.neural.beta2 = 0.999
        c.neural.firstStepIterations = 2000
        c.neural.laterStepIterations = 600
        c.neural.potentialObjective = "auto"
    }

    static var neuralOU1D: ExperimentConfig {
        var c = ouMixture1D
        c.name = "neural-ou-1d"
        c.methods = ["analytic", "particle-jko", "finite-volume", "neural-sjko"]
        verificationSettings(&c)
        return c
    }

    static var neuralOU2D: ExperimentConfig {
        var c = ou2D
        c.name = "neural-ou-2d"
        c.methods = ["analytic", "gaussian-jko", "neural-sjko"]
        verificationSettings(&c)
        return c
    }

    /// The start of `neural-ou-2d` moved onto the target mean. Its χ²(μ₀‖ν) is about 0.75
    /// against about 4×10⁵ for `neural-ou-2d` (whose start sits 4.2 target standard deviations
    /// away along x₁): the potential's loss E_ν[e^{−v}] is then estimated well from batches
    /// of ν, and the flow tracks the exact JKO iterates at the sampling floor.
    static var neuralOU2DOverlap: ExperimentConfig {
        var c = neuralOU2D
        c.name = "neural-ou-2d-overlap"
        c.start.means = [c.target.mean]
        return c
    }

    static var neuralOUMixture2D: ExperimentConfig {
        var c = ouMixture2D
        c.name = "neural-ou-mixture-2d"
        c.methods = ["analytic", "mesh-jko", "finite-volume", "neural-sjko"]
        verificationSettings(&c)
        return c
    }

    static var neuralDoubleWell1D: ExperimentConfig {
        var c = doubleWell1D
        c.name = "neural-double-well-1d"
        c.methods = ["particle-jko", "finite-volume", "neural-sjko"]
        verificationSettings(&c)
        return c
    }

    static var neuralDoubleWell2D: ExperimentConfig {
        var c = doubleWell2D
        c.name = "neural-double-well-2d"
        c.methods = ["finite-volume", "mesh-jko", "neural-sjko"]
        verificationSettings(&c)
        return c
    }
}
