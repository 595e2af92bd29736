import ArgumentParser
import Foundation
import NumericalCore
import OptimalTransport

extension CloudDistance: ExpressibleByArgument {}

struct DistanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distance",
        abstract: "Print the distance between two point clouds saved as NumPy .npy files ([n, d] float64 or float32).",
        discussion: CloudDistance.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n"))

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

    func validate() throws {
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be a positive number, got \(epsilon)") }
        guard seed >= 0 else { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
    }

    func run() throws {
        let a = try load(first), b = try load(second)
        let value = try metric.evaluate(a, b, epsilon: epsilon, seed: UInt64(seed))
        print(value)
    }

    func load(_ path: String) throws -> Matrix {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no file at \(path); give the path of a .npy file holding a [n, d] array")
        }
        return try NPYArray(contentsOf: URL(fileURLWithPath: path)).matrix()
    }
}
