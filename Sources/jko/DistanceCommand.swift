import ArgumentParser
import Foundation
import NumericalCore
import OptimalTransport

extension CloudDistance: ExpressibleByArgument {}

struct DistanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distance",
        abstract: "Print the distance between two point clouds saved as NumPy .npy files ([n, d] float64 or float32).",
        discussion: discussionText)

    static var discussionText: String {
        let metrics: [String] = CloudDistance.allCases.map { "\($0.rawValue): \($0.summary)" }
        let sinkhorn = "sinkhorn converges when the L1 marginal error of its plans is below \(CloudDistance.sinkhornTolerance) "
            + "(at most \(CloudDistance.sinkhornIterations) iterations per term); otherwise the command says so and exits 1, "
            + "unless --accept-unconverged is given (the value is then printed with a warning on standard error)."
        let mmd = "mmd: bandwidth σ = median of all pairwise distances of the pooled clouds (exact for any size, no subsample)."
        return metrics.joined(separator: "\n") + "\n\n" + sinkhorn + "\n" + mmd
    }

    @Argument(help: "The first cloud, a [n, d] .npy file.")
    var first: String

    @Argument(help: "The second cloud, a [m, d] .npy file.")
    var second: String

    @Option(help: "Which distance: \(CloudDistance.allCases.map(\.rawValue).joined(separator: ", ")).")
    var metric: CloudDistance = .w2

    @Option(help: "Entropic regularisation ε of the Sinkhorn divergence (squared-distance units).")
    var epsilon: Double = 0.01

    @Option(parsing: .unconditional, help: "Seed of the sliced-W₂ directions.")
    var seed: Int = 0

    @Option(help: "Iteration budget of each sinkhorn term (Sinkhorn iterations and Newton steps).")
    var maxIterations: Int = CloudDistance.sinkhornIterations

    @Flag(help: "Print a sinkhorn value that did not reach its tolerance (flagged on standard error) instead of failing.")
    var acceptUnconverged = false

    func validate() throws {
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be a positive number, got \(epsilon)") }
        guard maxIterations > 0 else { throw ValidationError("--max-iterations must be positive, got \(maxIterations)") }
        guard seed >= 0 else { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
    }

    func run() throws {
        let a = try load(first), b = try load(second)
        let result = try metric.measure(a, b, epsilon: epsilon, seed: UInt64(seed), maximumIterations: maxIterations)
        guard result.converged else {
            let note = result.note ?? "\(metric.rawValue) did not converge"
            guard acceptUnconverged else {
                throw TransportError.notConverged(note + "; raise --max-iterations or --epsilon, or pass --accept-unconverged to print it anyway", value: result.value)
            }
            FileHandle.standardError.write(Data(("warning: " + note + "\n").utf8))
            print(result.value)
            return
        }
        print(result.value)
    }

    func load(_ path: String) throws -> Matrix {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no file at \(path); give the path of a .npy file holding a [n, d] array")
        }
        return try NPYArray(contentsOf: URL(fileURLWithPath: path)).matrix()
    }
}
