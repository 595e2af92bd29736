import Autodiff
import Foundation
import MessagePassing
import NeuralJKO
import NeuralNetworks
import NumericalCore

/// `jko bench scaling`: what data-parallel S-JKO training across processes costs and what
/// it can gain.
///
/// **Measured.** The training iteration of two workloads, each rank on its slice of a
/// fixed global batch with the gradient all-reduce of ``SJKOTrainingPair`` (one flat
/// buffer per network): `toy` — the DESIGN.md §1.3 toy networks (``FlowMap``/
/// ``FlowPotential``, width 128, 3 blocks, d = 2, noise 2) at batch 400 — and `fmnist` —
/// the `fashion-mnist` preset's convolutional pair (softplus Ψ*, R1 0.2) at batch 64.
/// Run alone, the suite measures P = 1 in this process, then starts itself as
/// `mpirun -np 2 --oversubscribe [--allow-run-as-root] jko bench scaling --json` for P = 2
/// and reads that job's figures; run under `mpirun -np P` it measures that P (rank 0
/// prints). Per P: iterations per second (the slowest rank's wall time) and the time spent
/// in the all-reduces per iteration. On one 2-core machine the two ranks share its cores,
/// so P = 2 is no faster: the figure there is the communication overhead per step.
///
/// **Modelled.** Strong scaling of the same global batch on P nodes, each as fast as this
/// machine: compute t_c/P (t_c: the measured P = 1 iteration, no communication) plus, for
/// each network's buffer of B bytes, a ring all-reduce 2(P − 1)/P · B / bandwidth +
/// 2(P − 1) · latency; speed-up S(P) = t_c / T(P). Bandwidths 10 Gbit/s (latency 25 µs per
/// message, TCP over Ethernet) and 100 Gbit/s (2 µs, RDMA-class). The model leaves out
/// what a slice of few rows loses in per-pass overheads (400 rows over 64 nodes are 6 rows
/// each), so it is an upper bound, closer for large batches and networks.
enum ScalingBenchmark {
    /// One workload's iteration on a communicator, with its all-reduce volume.
    struct Workload {
        let name: String
        let batch: Int
        /// Bytes each rank all-reduces per iteration, per network (map, potential).
        let bytes: [Int]
        let iterate: () -> Void
    }

    static func run(quick: Bool) throws -> BenchmarkReport {
        let world = Communicator.world
        var report = BenchmarkReport(suite: "scaling")
        let workloads = [toy(batch: quick ? 100 : 400, on: world), fashionMNIST(batch: quick ? 8 : 64, on: world)]
        let iterations = ["toy": quick ? 20 : 200, "fmnist": quick ? 2 : 10]
        var measured = [String: (seconds: Double, allReduce: Double)]()
        for workload in workloads {
            let n = iterations[workload.name]!
            measured[workload.name] = measure(workload, iterations: n, warmUp: quick ? 1 : 3, on: world)
        }
        let p = world.size
        for workload in workloads {
            let m = measured[workload.name]!
            report.add("p\(p)_\(workload.name)_iterations_per_second", 1 / m.seconds, unit: "it/s")
            report.add("p\(p)_\(workload.name)_allreduce_ms", 1e3 * m.allReduce, unit: "ms/it")
            if p > 1 {
                report.add("p\(p)_\(workload.name)_allreduce_alone_ms", 1e3 * allReduceAlone(workload.bytes, repeats: quick ? 5 : 20, on: world), unit: "ms/it")
            }
            report.add("\(workload.name)_allreduce_bytes", Double(workload.bytes.reduce(0, +)), unit: "B/it")
        }
        guard p == 1 else {
            report.notes.append("measured under mpirun with \(p) ranks (rank 0 prints); the model table needs the P = 1 figures: run 'jko bench scaling' without mpirun")
            return report
        }
        let second = spawnTwoRanks(quick: quick)
        if let figures = second.figures {
            for workload in workloads {
                for key in ["p2_\(workload.name)_iterations_per_second", "p2_\(workload.name)_allreduce_ms", "p2_\(workload.name)_allreduce_alone_ms"] {
                    if let value = figures[key] { report.add(key, value, unit: key.hasSuffix("ms") ? "ms/it" : "it/s") }
                }
            }
        } else {
            report.notes.append("P = 2 not measured: \(second.reason)")
        }
        report.notes.append("allreduce_ms: time per iteration inside the all-reduces during training (waiting for the slower rank included); allreduce_alone_ms: the same buffers all-reduced right after a barrier (best of the repeats): the communication itself")
        report.notes.append("batch: toy \(workloads[0].batch), fmnist \(workloads[1].batch) (global, split over the ranks); \(Parallel.coreCount) cores; P = 2 shares them (--oversubscribe), so it shows the all-reduce overhead, not a speed-up")
        for workload in workloads {
            report.notes += modelTable(workload, computeSeconds: measured[workload.name]!.seconds)
        }
        return report
    }

    /// Wall seconds per iteration (the slowest rank) and all-reduce seconds per iteration
    /// (the slowest rank), best of three blocks of `iterations / 3` after `warmUp`.
    static func measure(_ workload: Workload, iterations: Int, warmUp: Int, on world: Communicator) -> (seconds: Double, allReduce: Double) {
        for _ in 0..<warmUp { workload.iterate() }
        let block = max(1, iterations / 3)
        var best = (seconds: Double.infinity, allReduce: Double.infinity)
        for _ in 0..<3 {
            world.barrier()
            let before = world.statistics.allReduceSeconds
            let started = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<block { workload.iterate() }
            var figures = [Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9 / Double(block),
                           (world.statistics.allReduceSeconds - before) / Double(block)]
            world.allReduceMaximum(&figures)
            if figures[0] < best.seconds { best = (figures[0], figures[1]) }
        }
        return best
    }

    /// Seconds of the all-reduces of one iteration's buffers (`bytes` per network) when the
    /// ranks start together (a barrier before each), best of `repeats`.
    static func allReduceAlone(_ bytes: [Int], repeats: Int, on world: Communicator) -> Double {
        var buffers = bytes.map { [Float](repeating: 1, count: $0 / 4) }
        var best = Double.infinity
        for _ in 0..<repeats {
            world.barrier()
            let started = DispatchTime.now().uptimeNanoseconds
            for k in buffers.indices { world.allReduceSum(&buffers[k]) }
            var seconds = [Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9]
            world.allReduceMaximum(&seconds)
            best = min(best, seconds[0])
        }
        return best
    }

    /// The DESIGN.md toy pair (width 128, 3 blocks, d = 2, noise 2), h = 1, KL, Adam as the
    /// official code; x ~ N(0, I), y ~ N((1, 1), ¼I), T_old a frozen copy of the start map.
    static func toy(batch: Int, on world: Communicator) -> Workload {
        var rng = RandomGenerator(seed: 0)
        let map = FlowMap<Float>(dimension: 2, noiseSize: 2, width: 128, blockCount: 3, residual: false, generator: &rng)
        let potential = FlowPotential<Float>(dimension: 2, width: 128, blockCount: 3, quadratic: false, generator: &rng)
        var pair = SJKOTrainingPair(map: map, potential: potential)
        pair.communicator = world
        return workload("toy", pair: pair, previous: map, batch: batch, dimension: 2, noise: 2, generator: rng,
                        target: { n, g in Tensor(shape: [n, 2], scalars: (0..<(2 * n)).map { _ in Float(1 + 0.5 * g.normal()) }) })
    }

    /// The `fashion-mnist` preset's networks, softplus Ψ*, per-dimension cost (h = 1), R1 0.2;
    /// y uniform on [−1, 1] (the timing does not depend on the data).
    static func fashionMNIST(batch: Int, on world: Communicator) -> Workload {
        let config = Presets.named("fashion-mnist")!
        var rng = RandomGenerator(seed: 0)
        let (map, potential) = config.imageNetworks(generator: &rng)
        var pair = SJKOTrainingPair(map: map, potential: potential, conjugate: .softplus, mapLearningRate: 5e-4,
                                    potentialLearningRate: 2.5e-4, r1Weight: 0.2)
        pair.costScale = Float(1 / (2.0 * 784))
        pair.communicator = world
        return workload("fmnist", pair: pair, previous: map, batch: batch, dimension: 784, noise: config.images.latentSize, generator: rng,
                        target: { n, g in Tensor<Float>.randomUniform(shape: [n, 784], lowerBound: -1, upperBound: 1, using: &g) })
    }

    /// One iteration as the trainer runs it across ranks: the whole global batch drawn from
    /// the shared stream, this rank's rows kept, the step on them with their share.
    static func workload<Map: NoiseConditionedMap, Potential: ScalarPotential>(
        _ name: String, pair: SJKOTrainingPair<Map, Potential>, previous: Map, batch: Int, dimension: Int, noise: Int,
        generator: RandomGenerator, target: @escaping (Int, inout RandomGenerator) -> Tensor<Float>
    ) -> Workload where Map.Scalar == Float, Potential.Scalar == Float {
        var pair = pair, generator = generator
        let rows = pair.communicator.slice(of: batch)
        let share = Float(rows.count) / Float(batch)
        let bytes = [pair.map.parameters, pair.potential.parameters].map { 4 * ($0.reduce(0) { $0 + $1.scalarCount } + 1) }
        return Workload(name: name, batch: batch, bytes: bytes) {
            let x = Tensor<Float>.randomNormal(shape: [batch, dimension], using: &generator).rowSlice(rows)
            let y = target(batch, &generator).rowSlice(rows)
            let z0 = Tensor<Float>.randomNormal(shape: [batch, noise], using: &generator).rowSlice(rows)
            let z1 = Tensor<Float>.randomNormal(shape: [batch, noise], using: &generator).rowSlice(rows)
            let z = Tensor<Float>.randomNormal(shape: [batch, noise], using: &generator).rowSlice(rows)
            let moved = DataParallel.mapRows(rows.count) { r in previous(x.rowSlice(r), noise: z1.rowSlice(r)) }
            _ = pair.step(x: x, previous: moved, target: y, potentialNoise: z0, mapNoise: z, share: share)
        }
    }

    /// The modelled strong scaling of `workload` on P = 1…64 nodes (see the type's comment).
    static func modelTable(_ workload: Workload, computeSeconds: Double) -> [String] {
        let links: [(label: String, bitsPerSecond: Double, latency: Double)] = [("10 Gbit/s", 10e9, 25e-6), ("100 Gbit/s", 100e9, 2e-6)]
        var lines = [String(format: "model, %@ (batch %d, %d B all-reduced per iteration, t_c = %.2f ms on one node):",
                            workload.name, workload.batch, workload.bytes.reduce(0, +), 1e3 * computeSeconds),
                     "     P" + links.map { "\($0.label) it/s".leftPadded(to: 22) + " " + "speed-up".leftPadded(to: 9) + " " + "comm %".leftPadded(to: 7) }.joined()]
        for p in [1, 2, 4, 8, 16, 32, 64] {
            var line = String(format: "%6d", p)
            for link in links {
                let communication = p == 1 ? 0 : workload.bytes.reduce(0.0) { total, bytes in
                    total + 2 * Double(p - 1) / Double(p) * Double(bytes) * 8 / link.bitsPerSecond + 2 * Double(p - 1) * link.latency
                }
                let total = computeSeconds / Double(p) + communication
                line += String(format: "%22.1f %9.2f %7.1f", 1 / total, computeSeconds / total, 100 * communication / total)
            }
            lines.append(line)
        }
        return lines
    }

    /// Runs `mpirun -np 2 … <this jko> bench scaling --json [--quick]` and returns its
    /// figures, or why it could not.
    static func spawnTwoRanks(quick: Bool) -> (figures: [String: Double]?, reason: String) {
        guard Communicator.isAvailable else { return (nil, "this jko was built without Open MPI (JKO_MPI=0)") }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let mpirun = path.map({ "\($0)/mpirun" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return (nil, "mpirun is not on the PATH (apt-get install openmpi-bin)")
        }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        process.arguments = ["-np", "2", "--oversubscribe"] + (getuid() == 0 ? ["--allow-run-as-root"] : [])
            + [me, "bench", "scaling", "--json"] + (quick ? ["--quick"] : [])
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return (nil, "mpirun could not start (\(error))") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return (nil, "mpirun -np 2 exited with status \(process.terminationStatus)") }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last { $0.hasPrefix("{") }
        guard let line, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let figures = object["figures"] as? [String: Any] else {
            return (nil, "the P = 2 job printed no figures")
        }
        return (figures.compactMapValues { ($0 as? NSNumber)?.doubleValue }, "")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
