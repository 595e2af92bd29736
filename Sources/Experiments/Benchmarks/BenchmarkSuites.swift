/// Every benchmark suite `jko bench NAME` can run. A suite takes `quick` (smaller sizes,
/// for smoke tests) and returns its figures.
public enum BenchmarkSuites {
    public static let all: [(name: String, summary: String, run: (_ quick: Bool) throws -> BenchmarkReport)] = [
        ("blas", "OpenBLAS sgemm/dgemm throughput on 1 and 2 threads (the peak other suites compare to)", BLASBenchmark.run),
        ("exact", "exact schemes: 1D particle JKO (N = 10⁴) per step, 2D finite volumes 256×256 to t = 1", ExactBenchmark.run),
        ("grid-jko", "the entropic grid JKO step alone (the figures `exact` reports for it): seconds and iterations per step at 120² and 256² cells (goal ≤ 1 s at 120²)", ExactBenchmark.runGridJKO),
        ("transport", "exact W₂ at n = 1000/2000/4000 (goal ≤ 0.7× POT's ot.emd2), sliced W₂ at n = 10⁵, Sinkhorn at n = 2000", TransportBenchmark.run),
        ("plotting", "Cairo figure rendering: 8 panels of 200×200 heatmaps with contours to PNG, SVG and PDF (goal < 2 s)", PlottingBenchmark.run),
        ("fuzz", "mutation fuzzing of the .npy, safetensors, TOML and CSV readers: 10⁵ cases each (2000 with --quick), no trap", ReaderFuzzing.run),
        ("engine", "Neural engine: S-JKO toy iteration (it/s, GFLOP/s vs sgemm peak), conv training step, memory growth", EngineBenchmark.run),
        ("sjko-vs-chain", "Neural JKO: training and sampling time of S-JKO against the classic chain for K = 2, 4, 8, 16, with fitted growth exponents", SJKOVersusChainBenchmark.run),
        ("ou-dimensions", "Neural JKO on the OU benchmark for d = 1…12 (long): log₁₀ SymKL to the OU marginal and to the exact JKO iterate at t = 0.5, 0.9 beside the published S-JKO, JKO-ICNN and VWGF figures", OUDimensionsBenchmark.run),
        ("ou-floor", "exact JKO floor: log₁₀ SymKL(Gaussian JKO iterate ‖ OU marginal) at t = 0.5, 0.9, h = 0.05, d = 1…32 (ou-nd targets)", OrnsteinUhlenbeckFloor.run),
        ("scaling", "data-parallel S-JKO across processes (Open MPI): it/s and all-reduce time at P = 1, 2 (spawns mpirun -np 2), and a speed-up model for P = 1…64 nodes at 10 and 100 Gbit/s", ScalingBenchmark.run),
        ("uot-jko-step", "one JKO step of KL as fixed-source / soft-target unbalanced Sinkhorn on a grid against the exact Gaussian step, for ε = 0.08…0.01 (no timings)", UnbalancedJKOStepStudy.run),
    ]

    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> ((Bool) throws -> BenchmarkReport)? {
        all.first { $0.name == name }?.run
    }
}
