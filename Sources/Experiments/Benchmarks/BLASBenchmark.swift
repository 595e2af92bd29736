import NumericalCore

/// sgemm and dgemm GFLOP/s at n = 512 (2n³ flops per product) on one and two threads:
/// the peak that the engine benchmark's achieved GFLOP/s is compared with.
public enum BLASBenchmark {
    public static func run(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "blas")
        let n = quick ? 128 : 512
        let repeats = quick ? 2 : 5
        let savedThreads = BLAS.threadCount
        defer { BLAS.threadCount = savedThreads }
        var rng = RandomGenerator(seed: 1)
        let af = (0..<(n * n)).map { _ in Float(rng.normal()) }, bf = (0..<(n * n)).map { _ in Float(rng.normal()) }
        var cf = [Float](repeating: 0, count: n * n)
        let ad = af.map(Double.init), bd = bf.map(Double.init)
        var cd = [Double](repeating: 0, count: n * n)
        let flops = 2 * Double(n) * Double(n) * Double(n)
        for threads in [1, 2] {
            BLAS.threadCount = threads
            let ts = Stopwatch.best(repeats: repeats) {
                BLAS.gemm(m: n, n: n, k: n, alpha: Float(1), a: af, b: bf, beta: 0, c: &cf)
            }
            let td = Stopwatch.best(repeats: repeats) {
                BLAS.gemm(m: n, n: n, k: n, alpha: 1.0, a: ad, b: bd, beta: 0, c: &cd)
            }
            report.add("sgemm_gflops_\(threads)thread", flops / ts * 1e-9, unit: "GFLOP/s")
            report.add("dgemm_gflops_\(threads)thread", flops / td * 1e-9, unit: "GFLOP/s")
        }
        report.notes.append("n = \(n), best of \(repeats); OpenBLAS: \(BLAS.configuration)")
        return report
    }
}
