import Autodiff
import Foundation
import NumericalCore
import XCTest

/// Timing of one S-JKO toy iteration (DESIGN.md §1.3 networks, batch 400, KL conjugate),
/// written with raw tensor operations. Runs only with `JKO_BENCH=1` (a study, not a test):
/// `JKO_BENCH=1 swift test -c release -Xswiftc -target-cpu -Xswiftc haswell --filter ToyIterationSpeed`
final class ToyIterationSpeedTests: XCTestCase {
    /// Residual MLP of width 128: input Linear, 3 blocks of 3×[Linear, SiLU] with
    /// h ← (h + block(h))/√2, optional noise branch Linear(2,128)-SiLU-Linear(128,128)
    /// added to the features, head Linear-SiLU-Linear.
    struct ResidualMLP {
        var parameters: [Tensor<Float>]
        let noise: Bool

        init(input: Int, output: Int, noise: Bool, generator: inout RandomGenerator) {
            self.noise = noise
            var shapes: [[Int]] = [[128, input], [128]]
            for _ in 0..<9 { shapes += [[128, 128], [128]] }
            if noise { shapes += [[128, 2], [128], [128, 128], [128]] }
            shapes += [[128, 128], [128], [output, 128], [output]]
            parameters = shapes.map {
                Tensor<Float>.randomUniform(shape: $0, lowerBound: -1 / Float($0.last!).squareRoot(),
                                            upperBound: 1 / Float($0.last!).squareRoot(), using: &generator)
            }
        }

        func callAsFunction(_ x: Tensor<Float>, _ z: Tensor<Float>?, _ p: [Tensor<Float>]) -> Tensor<Float> {
            var h = linear(x, weight: p[0], bias: p[1])
            var k = 2
            if noise, let z {
                let base = 2 + 18
                h = h + linear(linear(z, weight: p[base], bias: p[base + 1]).silu(), weight: p[base + 2], bias: p[base + 3])
            }
            for _ in 0..<3 {
                var b = h
                for _ in 0..<3 {
                    b = linear(b, weight: p[k], bias: p[k + 1]).silu()
                    k += 2
                }
                h = (h + b) * (1 / Float(2).squareRoot())
            }
            let head = p.count - 4
            return linear(linear(h, weight: p[head], bias: p[head + 1]).silu(), weight: p[head + 2], bias: p[head + 3])
        }
    }

    func testToyIterationSpeed() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["JKO_BENCH"] == "1", "set JKO_BENCH=1 to time")
        BLAS.threadCount = Int(ProcessInfo.processInfo.environment["JKO_BENCH_THREADS"] ?? "2") ?? 2
        var generator = RandomGenerator(seed: 1)
        let map = ResidualMLP(input: 2, output: 2, noise: true, generator: &generator)
        let potential = ResidualMLP(input: 2, output: 1, noise: false, generator: &generator)
        var mapParameters = map.parameters, potentialParameters = potential.parameters
        let oldParameters = map.parameters
        let batch = Int(ProcessInfo.processInfo.environment["JKO_BENCH_BATCH"] ?? "400") ?? 400, timeStep: Float = 1, rate: Float = 1e-4

        func iteration() {
            let x = Tensor<Float>.randomNormal(shape: [batch, 2], using: &generator)
            let z = Tensor<Float>.randomNormal(shape: [batch, 2], using: &generator)
            let y = Tensor<Float>.randomNormal(shape: [batch, 2], mean: 2, using: &generator)
            // Potential step: L_v = E[Ψ*(−v(y))] + E[v(T(x, z))], Ψ*(t) = eᵗ − 1.
            let mapped = map(x, z, mapParameters)
            let (_, gv) = valueWithGradient(at: potentialParameters) { φ in
                (-potential(y, nil, φ)).exp().mean() - 1 + potential(mapped, nil, φ).mean()
            }
            for i in potentialParameters.indices { potentialParameters[i] = potentialParameters[i] - gv[i] * rate }
            // Map step: L_T = E[|T_old(x, z) − T(x, z′)|²/(2h) − v(T(x, z′))].
            let zPrime = Tensor<Float>.randomNormal(shape: [batch, 2], using: &generator)
            let old = map(x, z, oldParameters)
            let (_, gt) = valueWithGradient(at: mapParameters) { θ in
                let t = map(x, zPrime, θ)
                return ((old - t).squared().sum(alongAxis: 1) * (1 / (2 * timeStep))).mean()
                    - potential(t, nil, potentialParameters).mean()
            }
            for i in mapParameters.indices { mapParameters[i] = mapParameters[i] - gt[i] * rate }
        }

        for _ in 0..<5 { iteration() }
        var best = Double.infinity, bestCPU = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds, startCPU = processTime()
            for _ in 0..<10 { iteration() }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / 10)
            bestCPU = min(bestCPU, (processTime() - startCPU) / 10)
        }
        print(String(format: "S-JKO toy iteration, batch %d, %d BLAS threads: %.2f ms wall (%.1f it/s), %.2f ms CPU (best of 5 × 10)",
                     batch, BLAS.threadCount, best * 1e3, 1 / best, bestCPU * 1e3))
        let early = residentMegabytes()
        for _ in 0..<200 { iteration() }
        print(String(format: "resident memory after 55 iterations %.1f MB, after 255: %.1f MB", early, residentMegabytes()))
    }

    /// Resident set size from /proc/self/statm.
    func residentMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return .nan }
        return pages * 4096 / 1e6
    }

    /// Process CPU seconds (all threads).
    func processTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Thread CPU seconds of `body`, best of `trials` (robust to a busy machine when
    /// everything runs on the calling thread).
    func cpuTime(trials: Int = 20, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<trials {
            var t0 = timespec(), t1 = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0)
            body()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1)
            best = min(best, Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) * 1e-9)
        }
        return best
    }

    func testKernelCosts() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["JKO_BENCH"] == "1", "set JKO_BENCH=1 to time")
        BLAS.threadCount = 1
        var generator = RandomGenerator(seed: 2)
        let x = Tensor<Float>.randomNormal(shape: [400, 128], using: &generator)
        let w = Tensor<Float>.randomNormal(shape: [128, 128], using: &generator)
        let b = Tensor<Float>.randomNormal(shape: [128], using: &generator)
        func report(_ name: String, _ body: () -> Void) {
            print(name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: "%8.1f µs", cpuTime(body) * 1e6))
        }
        report("linear 400×128×128") { _ = linear(x, weight: w, bias: b) }
        report("matmul ᵀ 128×400×128") { _ = matmul(x, x, transposeA: true) }
        report("silu 51200") { _ = x.silu() }
        report("add 51200") { _ = x + x }
        report("scale 51200") { _ = x * 0.5 }
        report("sum axis 0 400×128") { _ = x.sum(alongAxis: 0) }
        report("linear+silu fwd+bwd") {
            _ = valueWithGradient(at: [x, w, b]) { p in linear(p[0], weight: p[1], bias: p[2]).silu().sum() }
        }
        let map = ResidualMLP(input: 2, output: 2, noise: true, generator: &generator)
        let x2 = Tensor<Float>.randomNormal(shape: [400, 2], using: &generator)
        let image = Tensor<Float>.randomNormal(shape: [64, 32, 28, 28], using: &generator)
        let kernel = Tensor<Float>.randomNormal(shape: [32, 32, 3, 3], using: &generator)
        print("conv2d 64×32×28×28, 3×3, 32 out, fwd+bwd (0.92 GFLOP fwd):",
              String(format: "%.1f ms", cpuTime(trials: 3) {
                  _ = valueWithGradient(at: [image, kernel]) { conv2d($0[0], weight: $0[1], padding: 1).sum() }
              } * 1e3))
        print("group norm 64×32×28×28 fwd+bwd:", String(format: "%.1f ms", cpuTime(trials: 3) {
            _ = valueWithGradient(at: image) { $0.groupNormalized(groups: 8).sum() }
        } * 1e3))
        let potential = ResidualMLP(input: 2, output: 1, noise: false, generator: &generator)
        let data = Tensor<Float>.randomNormal(shape: [400, 2], using: &generator)
        report("potential fwd+bwd") { _ = valueWithGradient(at: potential.parameters) { potential(data, nil, $0).mean() } }
        report("potential + R1 (2nd order)") {
            _ = valueWithGradient(at: potential.parameters) { φ in
                let g = gradient(at: data) { potential($0, nil, φ).sum() }
                return potential(data, nil, φ).mean() + (g * g).sum() * (0.1 / 400)
            }
        }
        report("map forward (no tape)") { _ = map(x2, x2, map.parameters) }
        report("map fwd+bwd") { _ = valueWithGradient(at: map.parameters) { map(x2, x2, $0).sum() } }
    }
}
