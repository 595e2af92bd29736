/// The built-in experiments, compiled in (there is no configs folder): `jko config show
/// NAME` prints one as TOML for a user to copy and edit.
public enum Presets {
    /// Every preset, in the order `jko config list` prints them, with a one-line summary.
    public static let all: [(name: String, summary: String, config: ExperimentConfig)] = [
        ("ou-1d", "1D Gaussian start flowing to a Gaussian target: analytic ρ_t vs exact Gaussian JKO", ou1D),
        ("ou-2d", "2D anisotropic Gaussian start and target (commuting covariances): analytic vs Gaussian JKO", ou2D),
        ("ou-mixture-1d", "1D bimodal Gaussian-mixture start flowing to a Gaussian target", ouMixture1D),
        ("ou-mixture-2d", "2D bimodal Gaussian-mixture start flowing to an anisotropic Gaussian target", ouMixture2D),
    ]

    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> ExperimentConfig? { all.first { $0.name == name }?.config }

    static var ou1D: ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "ou-1d"
        c.methods = ["analytic", "gaussian-jko"]
        c.flow = .init(timeStep: 0.05, steps: 20)
        c.target = .init(kind: "gaussian", mean: [1.0], covariance: [[0.5]])
        c.start = .init(weights: [1.0], means: [[-2.0]], covariances: [[[0.25]]])
        return c
    }

    static var ou2D: ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "ou-2d"
        c.methods = ["analytic", "gaussian-jko"]
        c.flow = .init(timeStep: 0.05, steps: 20)
        // Anisotropic target and start sharing the coordinate axes (commuting covariances).
        c.target = .init(kind: "gaussian", mean: [1.0, -0.5], covariance: [[0.5, 0.0], [0.0, 2.0]])
        c.start = .init(weights: [1.0], means: [[-2.0, 1.5]], covariances: [[[0.2, 0.0], [0.0, 0.6]]])
        return c
    }

    static var ouMixture1D: ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "ou-mixture-1d"
        c.methods = ["analytic"]
        c.flow = .init(timeStep: 0.05, steps: 20)
        c.target = .init(kind: "gaussian", mean: [0.0], covariance: [[1.0]])
        c.start = .init(weights: [0.5, 0.5], means: [[-2.5], [2.0]], covariances: [[[0.16]], [[0.25]]])
        return c
    }

    static var ouMixture2D: ExperimentConfig {
        var c = ExperimentConfig()
        c.name = "ou-mixture-2d"
        c.methods = ["analytic"]
        c.flow = .init(timeStep: 0.05, steps: 20)
        c.target = .init(kind: "gaussian", mean: [0.0, 0.0], covariance: [[1.0, 0.3], [0.3, 0.5]])
        c.start = .init(weights: [0.4, 0.6], means: [[-2.0, 1.5], [2.0, -1.0]],
                        covariances: [[[0.2, 0.05], [0.05, 0.15]], [[0.3, -0.1], [-0.1, 0.25]]])
        return c
    }
}
