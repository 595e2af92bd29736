import Probability

extension ExperimentConfig {
    /// Every method a run can compute, in column order.
    public static let knownMethods = ["analytic", "gaussian-jko", "particle-jko", "mesh-jko", "finite-volume", "grid-jko", "neural-sjko", "neural-chain", "classifier"]

    /// Every key of the config, in the order `jko config show` prints them.
    public static let schema: [ConfigField] = [
        .string("name", \.name, "Run name: 'jko run' writes into runs/NAME unless --out is given."),
        .integer("seed", \.seed, "Seed of every random choice in the run (recorded in run.json).",
                 allowed: "the seed must be an integer ≥ 0", where: { $0 >= 0 }),
        .stringList("methods", \.methods,
                    "Columns to compute: \"analytic\" (closed-form Ornstein–Uhlenbeck ρ_t), \"gaussian-jko\" (exact JKO iterates of a Gaussian start), \"particle-jko\" (1D Lagrangian particle JKO), \"mesh-jko\" (2D moving-mesh JKO), \"finite-volume\" (Fokker–Planck on the grid box), \"grid-jko\" (Peyré's entropic JKO on the grid box, 1D/2D), \"neural-sjko\" and \"neural-chain\" (neural JKO via unbalanced OT, trained on target samples).",
                    choices: knownMethods),
        .number("flow.time_step", \.flow.timeStep, "JKO time step h (Fokker–Planck time per step); must be > 0.",
                allowed: "the time step must be a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .integer("flow.steps", \.flow.steps, "Number of JKO steps K; the run covers t in [0, K h].",
                 allowed: "the number of steps must be between 1 and 100000", where: { (1...100_000).contains($0) }),
        .string("target.kind", \.target.kind,
                "Target ν ∝ exp(−V): \"gaussian\" is V(x) = ½(x−b)ᵀA(x−b), ν = N(b, A⁻¹); \"random-gaussian\" the same with a seeded random b ~ N(0, I) and SPD A in target.dimension (the Mokrov et al. 2021 OU benchmark); \"double-well\" is V(x) = (|x|² − 1)²/4 + c·x₁; \"toy\" a 2D data set known only by samples (target.dataset); \"images\" an image data set (images.*; neural-sjko with convolutional networks).",
                choices: ["gaussian", "random-gaussian", "double-well", "toy", "images"]),
        .vector("target.mean", \.target.mean, "Target mean b; its length sets the dimension d (all zeros for double-well)."),
        .matrix("target.covariance", \.target.covariance, "Target covariance A⁻¹ (d×d, symmetric positive definite; gaussian only)."),
        .number("target.tilt", \.target.tilt, "Tilt c ≥ 0 of the double well along x₁ (double-well only).",
                allowed: "the tilt must be a finite number ≥ 0", where: { $0 >= 0 && $0.isFinite }),
        .integer("target.dimension", \.target.dimension,
                 "Dimension d of a random-gaussian target (the start is then N(0, I_d) with start.kind = \"standard-normal\"); random-gaussian only.",
                 allowed: "the dimension must be between 1 and 1000", where: { (1...1000).contains($0) }),
        .integer("target.seed", \.target.seed,
                 "Seed of the random b and A of a random-gaussian target, independent of the run seed (random-gaussian only).",
                 allowed: "the target seed must be an integer ≥ 0", where: { $0 >= 0 }),
        .string("target.dataset", \.target.dataset,
                "Data set of a toy target (2D, samples only, the official S-JKO definitions): \"8gaussians\", \"25gaussians\", \"twocircles\", \"checkerboard\", \"moons\", \"spiral\" (toy only).",
                choices: ToyDataset.allCases.map(\.rawValue)),
        .string("start.kind", \.start.kind,
                "Start ρ₀: \"mixture\" (start.weights, start.means, start.covariances) or \"standard-normal\" (N(0, I_d) in the config's dimension; the other start keys are ignored).",
                choices: ["mixture", "standard-normal"]),
        .vector("start.weights", \.start.weights, "Mixture weights of the start ρ₀ (non-negative, summing to 1)."),
        .vectorList("start.means", \.start.means, "Component means of ρ₀, one vector of length d per weight."),
        .matrixList("start.covariances", \.start.covariances, "Component covariances of ρ₀, one d×d SPD matrix per weight."),
        .integer("output.sample_count", \.output.sampleCount, "Samples saved per step and method, as samples/step-KKKK.npy [n, d].",
                 allowed: "the sample count must be between 1 and 10000000", where: { (1...10_000_000).contains($0) }),
        .integer("output.cloud_w2_count", \.output.cloudW2Count,
                 "Points per cloud for the exact W₂ between methods' samples in 2D+ (w2cloud_METHOD); 0 turns it off.",
                 allowed: "the count must be between 0 and 5000", where: { (0...5000).contains($0) }),
        .integer("particles.count", \.particles.count, "Particles N of \"particle-jko\" (equal masses at the start's quantiles).",
                 allowed: "the particle count must be between 2 and 10000000", where: { (2...10_000_000).contains($0) }),
        .number("particles.tolerance", \.particles.tolerance, "Newton stops when half the squared Newton decrement is ≤ this (units of F).",
                allowed: "the tolerance must be a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .integer("particles.max_iterations", \.particles.maxIterations, "Newton iterations allowed per JKO step; more stops the run with an error naming the step.",
                 allowed: "the iteration limit must be between 1 and 100000", where: { (1...100_000).contains($0) }),
        .integer("mesh.cells", \.mesh.cells, "Cells per side of the start mesh of \"mesh-jko\" (2D; two triangles per cell).",
                 allowed: "the mesh needs between 2 and 400 cells per side", where: { (2...400).contains($0) }),
        .string("mesh.spacing", \.mesh.spacing, "Start mesh lines: \"quantile\" (at the start's marginal quantiles) or \"uniform\".",
                choices: ["quantile", "uniform"]),
        .number("mesh.tolerance", \.mesh.tolerance, "Newton stops when the residual displacement (length units) is ≤ this.",
                allowed: "the tolerance must be a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .number("mesh.min_angle", \.mesh.minAngle, "Mesh quality guard (degrees): a step whose smallest angle falls below this stops the run naming the step and the angle; 0 turns it off.",
                allowed: "the angle must lie in [0, 60) degrees", where: { $0 >= 0 && $0 < 60 }),
        .number("mesh.remesh_angle", \.mesh.remeshAngle, "Remeshing (degrees): after a step whose smallest angle falls below this or below half the angle its mesh started with (whichever is less), the density is remapped conservatively (exact triangle intersections: mass and mean kept) onto a new quantile mesh of its support with mesh.cells cells per axis, and the run goes on; a step that still degenerates is retried once from a remapped mesh; 0 turns remeshing off (must exceed mesh.min_angle).",
                allowed: "the angle must lie in [0, 60) degrees", where: { $0 >= 0 && $0 < 60 }),
        .number("grid_jko.epsilon", \.gridJKO.epsilon, "Entropic blur ε of \"grid-jko\" (squared-distance units); 0 means the cell size squared.",
                allowed: "ε must be a finite number ≥ 0", where: { $0 >= 0 && $0.isFinite }),
        .number("grid_jko.tolerance", \.gridJKO.tolerance, "Each \"grid-jko\" step stops when its L¹ marginal error is ≤ this.",
                allowed: "the tolerance must be a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .integer("grid_jko.max_iterations", \.gridJKO.maxIterations, "Iterations allowed per \"grid-jko\" step; more stops the run naming the step.",
                 allowed: "the iteration limit must be between 1 and 10000000", where: { (1...10_000_000).contains($0) }),
        .number("grid.lower", \.grid.lower, "Lower end of the box [lower, upper]^d of \"finite-volume\" and of the saved densities.",
                allowed: "the box end must be a finite number", where: { $0.isFinite }),
        .number("grid.upper", \.grid.upper, "Upper end of the box; it should hold all but a negligible part of the mass (walls carry no flux).",
                allowed: "the box end must be a finite number", where: { $0.isFinite }),
        .integer("grid.cells", \.grid.cells, "Cells per axis of the grid (density/step-KKKK.npy is [cells] in 1D, [cells, cells] in 2D).",
                 allowed: "the cell count must be between 3 and 4096", where: { (3...4096).contains($0) }),
        .integer("grid.substeps", \.grid.substeps, "Finite-volume time steps per JKO step (Δt = h / substeps).",
                 allowed: "the number of substeps must be between 1 and 10000", where: { (1...10_000).contains($0) }),
        .string("grid.scheme", \.grid.scheme, "Finite-volume time scheme: \"bdf2\" (second order) or \"implicit-euler\" (first order, positive by construction).",
                choices: ["bdf2", "implicit-euler"]),
    ] + neuralSchema + imagesSchema

    /// The field for a dotted key, or nil.
    public static func field(forKey key: String) -> ConfigField? { schema.first { $0.key == key } }

    /// The first key, in schema order, whose value differs from `other`'s, with both
    /// values as written in TOML; nil when every key agrees (the runs are the same).
    public func firstDifference(from other: ExperimentConfig) -> (key: String, value: String, otherValue: String)? {
        for field in Self.schema {
            let mine = field.get(self).description, theirs = field.get(other).description
            if mine != theirs { return (field.key, mine, theirs) }
        }
        return nil
    }

    /// The closest known key to a misspelt one (edit distance ≤ 3), for "did you mean".
    static func suggestion(for key: String) -> String? {
        let scored = schema.map { ($0.key, editDistance(key, $0.key)) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= 3 else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
