/// The settings of a neural JKO trainer (DESIGN.md §1.3): the scheme, the networks, the
/// optimisation. Defaults are the official S-JKO toy code's, except where a field says
/// otherwise.
public struct NeuralJKOSettings: Equatable, Sendable {
    /// Which map each JKO step learns.
    public enum Parametrisation: String, CaseIterable, Sendable {
        /// S-JKO: T_k: μ₀ → μ_{k+1}; x always from the prior, T_old = the frozen map after
        /// step k − 1 (the identity at k = 0); sampling any step is one network pass.
        case sjko
        /// Classic neural JKO: T_k: μ_k → μ_{k+1}; x ~ μ_k by composing the k earlier maps
        /// (each kept), T_old = identity; sampling μ_K composes K networks.
        case chain
    }

    /// How the squared distance of the transport cost is scaled.
    public enum CostNormalisation: String, CaseIterable, Sendable {
        /// c(x, y) = |x − y|²/(2h): h is the Fokker–Planck time step.
        case none
        /// c(x, y) = |x − y|²/(2hd), the official code's: the effective step is d·h.
        case perDimension = "per-dimension"
    }

    /// How the noises of the map loss E[c(T_old(x, z), T(x, z′)) − v(T(x, z′))] relate.
    public enum NoiseCoupling: String, CaseIterable, Sendable {
        /// z, z′ independent (the official code).
        case independent
        /// z′ = z: each sample is compared with its own predecessor.
        case shared
    }

    public var parametrisation = Parametrisation.sjko
    /// Ψ*: the divergence to the target.
    public var conjugate = Conjugate.kl
    /// The potential's loss: the official semi-dual, or `logistic` (KL only; ``PotentialObjective``).
    public var potentialObjective = PotentialObjective.semiDual
    public var costNormalisation = CostNormalisation.none
    /// Dimension of the map's noise z (0: a deterministic map).
    public var noiseSize = 2
    public var noiseCoupling = NoiseCoupling.independent
    /// λ of the R1 penalty (λ/2)·E|∇v(y)|² on data (0: off).
    public var r1Weight = 0.0
    /// Instance noise of std 1/(32(k+1)) added to the target samples of step k.
    public var instanceNoise = false
    /// Decay δ of the parameter averages used for sampling (nil: off).
    public var emaDecay: Double? = nil
    /// Optimisation iterations of step 0 and of every later step.
    public var firstStepIterations = 5000
    public var laterStepIterations = 5000
    /// Samples per iteration (prior and target each).
    public var batchSize = 400
    /// Target samples per iteration in the potential's term E_ν[Ψ*(−v(y))]: a multiple c of
    /// ``batchSize`` (c = 1 in the official code). With a start far from ν the term is a
    /// mean of rare large values e^{−v(y)} = dμ_{k+1}/dν(y); c > 1 averages it over c times
    /// more target points at the price of c − 1 more potential passes per prior sample.
    /// nil: ``batchSize``.
    public var targetBatchSize: Int? = nil

    /// Target samples per iteration: ``targetBatchSize`` or ``batchSize``.
    public var targetRows: Int { targetBatchSize ?? batchSize }
    public var mapLearningRate = 1e-4
    public var potentialLearningRate = 2e-5
    /// Adam's β = (β₁, β₂).
    public var beta1 = 0.5
    public var beta2 = 0.9
    /// How both learning rates move during training.
    public enum Schedule: String, CaseIterable, Sendable {
        /// The configured rates throughout (the official toy code).
        case constant
        /// One cosine decay to 0 over all iterations of all steps (the paper's image runs).
        case cosineRun = "cosine-run"
        /// A cosine decay to 0 within every JKO step, restarting at the next (warm-started)
        /// step: the game settles at the end of each step, which averages the stochastic
        /// gradients' noise out of the iterate the next step starts from.
        case cosineStep = "cosine-step"
    }

    public var schedule = Schedule.constant
    /// Width and residual blocks of both networks (DESIGN.md toy nets: 128 and 3).
    public var width = 128
    public var blockCount = 3
    /// T(x, z) = x + net(x, z), starting at the identity (``FlowMap``).
    public var residualMap = false
    /// v(y) = net(y) + a learned quadratic (``FlowPotential``) and its scale.
    public var quadraticPotential = false
    public var quadraticScale = 1.0
    /// False: the potential is the quadratic alone (needs `quadraticPotential`).
    public var potentialNetwork = true
    /// Prior draws on which each trained step's optimality condition (T − T_old)/h = ∇v(T)
    /// is checked (``JKOStepRecord/optimalityResidual``); 0 skips the check (image runs,
    /// where three passes of 4096 images would cost more than the step's training).
    public var optimalityCheckCount = 4096

    public init() {}

    /// Iterations of JKO step k (k = 0, 1, …).
    public func iterations(ofStep step: Int) -> Int { step == 0 ? firstStepIterations : laterStepIterations }

    /// Iterations of steps 0…K − 1, the length of the cosine schedule.
    public func totalIterations(steps: Int) -> Int { firstStepIterations + max(steps - 1, 0) * laterStepIterations }

    /// A sentence for the first invalid setting, or nil (keys as in the run config).
    public func problem() -> (key: String, allowed: String)? {
        if parametrisation == .chain && noiseCoupling == .shared && noiseSize > 0 {
            return ("neural.noise_coupling", "the chain compares T(x, z) with x itself (T_old is the identity), so there is no noise to share: use \"independent\" or neural.noise_size = 0")
        }
        if potentialObjective == .logistic && conjugate != .kl {
            return ("neural.potential_objective", "the logistic objective estimates v = log(dν/dρ), the potential of the KL divergence only: use neural.conjugate = \"kl\" or neural.potential_objective = \"semi-dual\"")
        }
        if batchSize < 1 { return ("neural.batch_size", "the batch size must be at least 1") }
        if let targetBatchSize, targetBatchSize < batchSize || targetBatchSize % batchSize != 0 {
            return ("neural.target_batch_size", "the target batch size must be a multiple of neural.batch_size (\(batchSize)), or 0 for the batch size itself; got \(targetBatchSize)")
        }
        if !(mapLearningRate > 0 && mapLearningRate.isFinite) { return ("neural.map_learning_rate", "the learning rate must be a finite number > 0") }
        if !(potentialLearningRate > 0 && potentialLearningRate.isFinite) { return ("neural.potential_learning_rate", "the learning rate must be a finite number > 0") }
        if !(0..<1).contains(beta1) { return ("neural.beta1", "Adam's β₁ must lie in [0, 1)") }
        if !(0..<1).contains(beta2) { return ("neural.beta2", "Adam's β₂ must lie in [0, 1)") }
        if let emaDecay, !(0..<1).contains(emaDecay) { return ("neural.ema_decay", "the EMA decay must lie in [0, 1) (0 turns averaging off)") }
        if r1Weight < 0 || !r1Weight.isFinite { return ("neural.r1_weight", "the R1 weight must be a finite number ≥ 0") }
        if firstStepIterations < 1 { return ("neural.first_step_iterations", "each step needs at least 1 iteration") }
        if laterStepIterations < 1 { return ("neural.later_step_iterations", "each step needs at least 1 iteration") }
        if noiseSize < 0 { return ("neural.noise_size", "the noise dimension must be ≥ 0 (0: a deterministic map)") }
        if width < 1 { return ("neural.width", "the network width must be at least 1") }
        if blockCount < 0 { return ("neural.blocks", "the number of residual blocks must be ≥ 0") }
        if !(quadraticScale > 0 && quadraticScale.isFinite) { return ("neural.quadratic_scale", "the scale must be a finite number > 0") }
        if !potentialNetwork && !quadraticPotential { return ("neural.potential_network", "a potential without its network needs neural.quadratic_potential = true") }
        return nil
    }
}
