extension ExperimentConfig {
    /// Every method a run can compute, in column order.
    public static let knownMethods = ["analytic", "gaussian-jko"]

    /// Every key of the config, in the order `jko config show` prints them.
    public static let schema: [ConfigField] = [
        .string("name", \.name, "Run name: 'jko run' writes into runs/NAME unless --out is given."),
        .integer("seed", \.seed, "Seed of every random choice in the run (recorded in run.json).",
                 allowed: "the seed must be an integer ≥ 0", where: { $0 >= 0 }),
        .stringList("methods", \.methods,
                    "Columns to compute: \"analytic\" (closed-form Ornstein–Uhlenbeck ρ_t), \"gaussian-jko\" (exact JKO iterates of a Gaussian start).",
                    choices: knownMethods),
        .number("flow.time_step", \.flow.timeStep, "JKO time step h (Fokker–Planck time per step); must be > 0.",
                allowed: "the time step must be a finite number > 0", where: { $0 > 0 && $0.isFinite }),
        .integer("flow.steps", \.flow.steps, "Number of JKO steps K; the run covers t in [0, K h].",
                 allowed: "the number of steps must be between 1 and 100000", where: { (1...100_000).contains($0) }),
        .string("target.kind", \.target.kind,
                "Target ν ∝ exp(−V): \"gaussian\" is V(x) = ½(x−b)ᵀA(x−b), ν = N(b, A⁻¹).", choices: ["gaussian"]),
        .vector("target.mean", \.target.mean, "Target mean b; its length sets the dimension d."),
        .matrix("target.covariance", \.target.covariance, "Target covariance A⁻¹ (d×d, symmetric positive definite)."),
        .vector("start.weights", \.start.weights, "Mixture weights of the start ρ₀ (non-negative, summing to 1)."),
        .vectorList("start.means", \.start.means, "Component means of ρ₀, one vector of length d per weight."),
        .matrixList("start.covariances", \.start.covariances, "Component covariances of ρ₀, one d×d SPD matrix per weight."),
        .integer("output.sample_count", \.output.sampleCount, "Samples saved per step and method, as samples/step-KKKK.npy [n, d].",
                 allowed: "the sample count must be between 1 and 10000000", where: { (1...10_000_000).contains($0) }),
    ]

    /// The field for a dotted key, or nil.
    public static func field(forKey key: String) -> ConfigField? { schema.first { $0.key == key } }

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
