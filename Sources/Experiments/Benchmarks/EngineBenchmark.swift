import Autodiff
import Foundation
import NeuralNetworks
import NumericalCore

/// `jko bench engine`: the neural engine's speed and memory on the networks S-JKO trains.
///
/// (a) one S-JKO toy iteration (``SJKOToyIteration``, batch 400, Float): iterations per
///     second, and GFLOP/s achieved against the sgemm peak measured in the same run;
/// (b) one training step of a small conv map + conv potential on 28×28 images, batch 64;
/// (c) resident memory after 2,000 toy iterations vs after 200 (goal: growth < 5 %);
/// (d) the `fashion-mnist` preset's map + potential iteration at batch 64 and 128
///     (``FashionMNISTIteration``) and its sampling rate.
/// Timings are best of 3–5 blocks (the machine is shared); OpenBLAS uses 2 threads outside
/// the data-parallel regions and one per shard inside them.
/// `JKO_ENGINE_BENCH_PARTS` (e.g. `toy`, `toy,conv`) restricts the run to some parts
/// (`toy`, `conv`, `fmnist`, `memory`) while profiling; by default all run.
/// The PyTorch reference for (a) is `benchmarks/reference/sjko_toy_iteration.py`.
public enum EngineBenchmark {
    public static func run(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "engine")
        let savedThreads = BLAS.threadCount
        BLAS.threadCount = 2
        defer { BLAS.threadCount = savedThreads }

        let parts = Set((ProcessInfo.processInfo.environment["JKO_ENGINE_BENCH_PARTS"] ?? "toy,conv,fmnist,memory")
            .split(separator: ",").map(String.init))

        if parts.contains("toy") { try toyIteration(quick: quick, into: &report) }
        if parts.contains("conv") { convStep(quick: quick, into: &report) }
        if parts.contains("fmnist") { fashionMNISTIteration(quick: quick, into: &report) }
        if parts.contains("memory") { memoryGrowth(quick: quick, into: &report) }
        report.notes.append("Float, OpenBLAS \(BLAS.threadCount) threads; PyTorch reference: python3 benchmarks/reference/sjko_toy_iteration.py")
        return report
    }

    /// (a) iterations per second and GFLOP/s of the S-JKO toy iteration.
    static func toyIteration(quick: Bool, into report: inout BenchmarkReport) throws {
        var toy = SJKOToyIteration(batch: quick ? 100 : 400)
        for _ in 0..<(quick ? 2 : 20) { _ = toy.run() }
        let block = quick ? 3 : 40
        let seconds = Stopwatch.best(repeats: quick ? 3 : 5) { for _ in 0..<block { _ = toy.run() } } / Double(block)
        let peak = sgemmPeak(quick: quick)
        let gflops = Double(toy.flopsPerIteration) / seconds * 1e-9
        report.add("toy_iterations_per_second", 1 / seconds, unit: "it/s", goal: "≥ 1.5 × PyTorch (run the reference script beside this)")
        report.add("toy_ms_per_iteration", seconds * 1e3, unit: "ms")
        report.add("toy_gflop_per_iteration", Double(toy.flopsPerIteration) * 1e-9, unit: "GFLOP")
        report.add("toy_achieved_gflops", gflops, unit: "GFLOP/s")
        report.add("sgemm_peak_gflops", peak, unit: "GFLOP/s")
        report.add("toy_fraction_of_peak", gflops / peak, unit: "")
        report.notes.append("toy: batch \(toy.batch) in \(Parallel.coreCount) row shards (DataParallel), best of \(quick ? 3 : 5) × \(block) iterations after \(quick ? 2 : 20) warm-up")
    }

    /// (b) one training step of the small conv map and potential, batch 64.
    static func convStep(quick: Bool, into report: inout BenchmarkReport) {
        var step = ConvTrainingStep(batch: quick ? 8 : 64)
        for _ in 0..<2 { _ = step.run() }
        let block = quick ? 1 : 5
        let seconds = Stopwatch.best(repeats: 3) { for _ in 0..<block { _ = step.run() } } / Double(block)
        report.add("conv_ms_per_step", seconds * 1e3, unit: "ms")
        report.add("conv_achieved_gflops", Double(step.flopsPerStep) / seconds * 1e-9, unit: "GFLOP/s")
        report.notes.append("conv: 28×28, batch \(step.batch), ConvMap + ConvPotential (16 channels), best of 3 × \(block) steps; "
                            + "\(String(format: "%.2f", Double(step.flopsPerStep) * 1e-9)) GFLOP of convolutions per step")
    }

    /// (c) resident memory after 200 and after 2,000 toy iterations (counted from the start).
    static func memoryGrowth(quick: Bool, into report: inout BenchmarkReport) {
        let (early, late) = quick ? (20, 60) : (200, 2000)
        var memoryRun = SJKOToyIteration(batch: quick ? 100 : 400, seed: 1)
        var rssEarly = 0
        for i in 1...late {
            _ = memoryRun.run()
            if i == early { rssEarly = ResidentMemory.bytes ?? 0 }
        }
        let rssLate = ResidentMemory.bytes ?? 0
        report.add("rss_mib_after_\(early)", Double(rssEarly) / 1_048_576, unit: "MiB")
        report.add("rss_mib_after_\(late)", Double(rssLate) / 1_048_576, unit: "MiB")
        report.add("rss_growth_percent", 100 * (Double(rssLate) / Double(max(1, rssEarly)) - 1), unit: "%", goal: "< 5 %")
    }

    /// sgemm GFLOP/s at n = 512 on the current thread count (best of 5), the ceiling for (a).
    static func sgemmPeak(quick: Bool) -> Double {
        let n = quick ? 128 : 512
        var rng = RandomGenerator(seed: 2)
        let a = (0..<(n * n)).map { _ in Float(rng.normal()) }, b = (0..<(n * n)).map { _ in Float(rng.normal()) }
        var c = [Float](repeating: 0, count: n * n)
        let t = Stopwatch.best(repeats: 5) {
            BLAS.gemm(m: n, n: n, k: n, alpha: Float(1), a: a, b: b, beta: 0, c: &c)
        }
        return 2 * Double(n * n * n) / t * 1e-9
    }
}
