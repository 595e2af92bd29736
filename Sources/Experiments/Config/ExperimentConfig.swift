/// A whole experiment: what flows where, with which methods, for how long.
///
/// Built from a preset (``Presets``), a TOML file, then `--set key=value` overrides, and
/// checked by ``validate()`` before any work starts. `jko config show NAME` prints it as
/// an editable TOML file whose comments come from ``ExperimentConfig/schema``.
public struct ExperimentConfig: Equatable, Sendable {
    /// The run's name: `jko run` writes into `runs/NAME/` unless `--out` says otherwise.
    public var name: String = "experiment"
    /// Seed of every random choice of the run (samples, initialisations).
    public var seed: Int = 0
    /// Which columns the run computes, e.g. `["analytic", "gaussian-jko"]`.
    public var methods: [String] = ["analytic"]

    public var flow = Flow()
    public var target = Target()
    public var start = Start()
    public var output = Output()
    public var particles = Particles()
    public var mesh = Mesh()
    public var gridJKO = GridJKO()
    public var grid = Grid()
    public var neural = Neural()
    public var images = Images()
    public var classifier = Classifier()

    public init() {}

    /// The JKO time discretisation.
    public struct Flow: Equatable, Sendable {
        /// Time step h of the JKO scheme (the Fokker–Planck time per step).
        public var timeStep: Double = 0.05
        /// Number of JKO steps K; the run covers t ∈ [0, K h].
        public var steps: Int = 20
    }

    /// The target ν ∝ e^{−V} of the flow.
    public struct Target: Equatable, Sendable {
        /// `gaussian`: V(x) = ½(x−b)ᵀA(x−b) with ν = N(b, A⁻¹) (Ornstein–Uhlenbeck);
        /// `random-gaussian`: the same with a seeded random b and A in dimension `dimension`
        /// (the Mokrov et al. 2021 benchmark, ``Gaussian/benchmarkTarget(dimension:seed:)``);
        /// `double-well`: V(x) = (|x|² − 1)²/4 + c·x₁ (bimodal, no closed-form flow);
        /// `toy`: a 2D data set known only by samples (`dataset`; no potential, no exact flow).
        public var kind: String = "gaussian"
        /// b, the target mean (its length sets the dimension d for `gaussian` and `double-well`;
        /// zero for `double-well`).
        public var mean: [Double] = [0]
        /// A⁻¹, the target covariance, `[d, d]`, symmetric positive definite (`gaussian` only).
        public var covariance: [[Double]] = [[1]]
        /// c ≥ 0, the double well's tilt along x₁ (`double-well` only).
        public var tilt: Double = 0
        /// d, the dimension of a `random-gaussian` target.
        public var dimension: Int = 8
        /// Seed of the random b and A of a `random-gaussian` target, independent of the run's
        /// `seed`: runs with different seeds share one target.
        public var seed: Int = 0
        /// The data set of a `toy` target: one of ``ToyDataset`` (`8gaussians`, …; 2D).
        public var dataset: String = "8gaussians"
    }

    /// The 1D particle (Lagrangian) JKO scheme, method `particle-jko`.
    public struct Particles: Equatable, Sendable {
        /// N, the number of equal-mass particles (start quantiles).
        public var count: Int = 2000
        /// Newton stops when half the squared Newton decrement is ≤ this (units of F).
        public var tolerance: Double = 1e-18
        /// Newton iterations allowed per JKO step before the run stops with an error.
        public var maxIterations: Int = 100
    }

    /// The 2D moving-simplex-mesh JKO scheme, method `mesh-jko`.
    public struct Mesh: Equatable, Sendable {
        /// Cells per side of the start mesh (two triangles per cell).
        public var cells: Int = 32
        /// `quantile` (grid lines at the start's marginal quantiles: cells of similar mass)
        /// or `uniform` (evenly spaced over the box holding all but 1e-6 of the mass).
        public var spacing: String = "quantile"
        /// Newton stops when the residual displacement (length units, L²(ρ)) is ≤ this.
        public var tolerance: Double = 1e-9
        /// The quality guard: a step whose mesh has a smallest angle below this (degrees)
        /// stops the run with a sentence naming the step and the angle; 0 turns it off.
        public var minAngle: Double = 1
        /// Remeshing: after a step whose mesh has a smallest angle below this (degrees, above
        /// `minAngle`) or below half its mesh's initial angle, the density is remapped
        /// conservatively onto a new quantile mesh of its support (`mesh.cells` lines per
        /// axis) and the scheme goes on; 0 turns remeshing off (then the guard stops the run).
        public var remeshAngle: Double = 10
    }

    /// Peyré's entropic JKO on the grid, method `grid-jko`.
    public struct GridJKO: Equatable, Sendable {
        /// Entropic regularisation ε (units of the squared distance); 0 means Δx² (the cell
        /// size squared, `grid.*`).
        public var epsilon: Double = 0
        /// Each step stops when the L¹ marginal error is ≤ this.
        public var tolerance: Double = 1e-9
        /// Iterations allowed per step; more stops the run naming the step.
        public var maxIterations: Int = 20000
    }

    /// The box and grid of the finite-volume method and of the saved densities.
    public struct Grid: Equatable, Sendable {
        /// Lower end of the box [lower, upper]ᵈ (walls with no flux).
        public var lower: Double = -6
        /// Upper end of the box.
        public var upper: Double = 6
        /// Cells per axis (a 2D density file holds cells² values per step and method).
        public var cells: Int = 200
        /// Finite-volume time steps per JKO step (Δt = h / substeps).
        public var substeps: Int = 4
        /// `bdf2` (second order) or `implicit-euler` (first order, positivity by construction).
        public var scheme: String = "bdf2"
    }

    /// The start ρ₀ = Σᵢ wᵢ N(mᵢ, Sᵢ), a Gaussian mixture (one component: a Gaussian).
    public struct Start: Equatable, Sendable {
        public var weights: [Double] = [1]
        public var means: [[Double]] = [[0]]
        public var covariances: [[[Double]]] = [[[1]]]
        /// `mixture`: the weights, means and covariances above; `standard-normal`: N(0, I_d) in
        /// the config's dimension d (the other start keys are then ignored).
        public var kind: String = "mixture"
    }

    /// What a run writes.
    public struct Output: Equatable, Sendable {
        /// Samples saved per step and method (`samples/step-KKKK.npy`, `[n, d]`).
        public var sampleCount: Int = 2000
        /// Points per cloud for the exact W₂ between methods' samples in 2D and above
        /// (`w2cloud_METHOD`; 0 turns it off). O(n²) memory, about 0.2 s at n = 1000.
        public var cloudW2Count: Int = 1000
    }

    /// The dimension d: `target.dimension` for a `random-gaussian` target, 2 for a `toy`
    /// data set, else the length of `target.mean`.
    public var dimension: Int {
        switch target.kind {
        case "random-gaussian": return target.dimension
        case "toy": return 2
        case "images": return images.channels * images.size * images.size
        default: return target.mean.count
        }
    }

    /// Whether ν is a Gaussian known in closed form (`gaussian`, `random-gaussian`): the
    /// analytic flow and the exact Gaussian JKO apply.
    public var hasGaussianTarget: Bool { ["gaussian", "random-gaussian"].contains(target.kind) }

    /// Time t_k of step k: k·h, or Σ_{j<k} h_j with per-step neural time steps, times d
    /// for the per-dimension neural cost (whose effective step is d·h).
    public func time(ofStep step: Int) -> Double {
        guard !neural.timeSteps.isEmpty || timeScale != 1 else { return Double(step) * flow.timeStep }
        return timeScale * neuralTimeSteps.prefix(step).reduce(0, +)
    }
}
