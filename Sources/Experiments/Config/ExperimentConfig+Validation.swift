import Foundation
import NumericalCore
import Probability

extension ExperimentConfig {
    /// Cross-key checks (shapes against the dimension, definiteness, weights summing to
    /// one, methods that apply); per-key ranges were checked as values were set.
    public func validate() throws {
        try validateName()
        if target.kind == "images" {
            try validateImages()
            if methods.contains("neural-sjko"), let (key, allowed) = neuralSettings(method: "neural-sjko").problem() {
                throw ConfigError.outOfRange(key: key, value: ConfigField.schemaValue(key, in: self), allowed: allowed)
            }
            return
        }
        if hasGaussianTarget { _ = try targetDistribution() }
        if target.kind == "toy" { _ = try toyDataset() } else { _ = try potential() }
        let startLaw = try startDistribution()
        try validateStartWidth()
        try validateExactSchemes()
        try validateNeural()
        if methods.isEmpty {
            throw ConfigError.outOfRange(key: "methods", value: "[]", allowed: "list at least one method, e.g. [\"analytic\"]")
        }
        if methods.contains("gaussian-jko") && startLaw.components.count != 1 {
            throw ConfigError.outOfRange(key: "methods", value: ConfigValue.stringList(methods).description,
                                         allowed: "\"gaussian-jko\" needs a single-Gaussian start (start.weights = [1.0]); remove it for mixture starts")
        }
    }

    /// ν = N(b, A⁻¹) from the `target` keys: `target.mean` and `target.covariance` for a
    /// `gaussian` target, ``Gaussian/benchmarkTarget(dimension:seed:)`` with `target.dimension`
    /// and `target.seed` for a `random-gaussian` one. Throws for the other kinds.
    public func targetDistribution() throws -> Gaussian {
        if target.kind == "random-gaussian" {
            do {
                return try Gaussian.benchmarkTarget(dimension: target.dimension, seed: UInt64(target.seed))
            } catch {
                throw ConfigError.outOfRange(key: "target.dimension", value: "\(target.dimension)",
                                             allowed: "the random target could not be built (\(error)); use a dimension between 1 and 1000")
            }
        }
        guard target.kind == "gaussian" else {
            throw ConfigError.outOfRange(key: "target.kind", value: "\"\(target.kind)\"",
                                         allowed: "a \(target.kind) target is not a Gaussian; the closed-form target needs target.kind = \"gaussian\" or \"random-gaussian\"")
        }
        let d = dimension
        guard d >= 1 else { throw ConfigError.outOfRange(key: "target.mean", value: "[]", allowed: "the mean needs at least one entry") }
        try checkSquare(target.covariance, key: "target.covariance", dimension: d)
        do {
            return try Gaussian(mean: target.mean, covariance: Matrix(target.covariance))
        } catch {
            throw ConfigError.outOfRange(key: "target.covariance", value: ConfigValue.matrix(target.covariance).description,
                                         allowed: "the covariance must be symmetric positive definite\(Self.eigenvalueNote(target.covariance))")
        }
    }

    /// ρ₀ from the `start` keys: N(0, I_d) for `start.kind = "standard-normal"`, else the mixture
    /// of `start.weights`, `start.means` and `start.covariances`.
    public func startDistribution() throws -> GaussianMixture {
        let d = dimension
        if start.kind == "standard-normal" {
            guard d >= 1 else { throw ConfigError.outOfRange(key: "target.mean", value: "[]", allowed: "the mean needs at least one entry") }
            return GaussianMixture(try Gaussian(mean: [Double](repeating: 0, count: d), covariance: Matrix.identity(d)))
        }
        let k = start.weights.count
        let weightsText = ConfigValue.vector(start.weights).description
        guard k >= 1 else { throw ConfigError.outOfRange(key: "start.weights", value: weightsText, allowed: "give at least one weight") }
        if let negative = start.weights.first(where: { $0 < 0 }) {
            throw ConfigError.outOfRange(key: "start.weights", value: weightsText, allowed: "weights must be non-negative (found \(negative))")
        }
        let total = start.weights.reduce(0, +)
        if abs(total - 1) > GaussianMixture.weightTolerance {
            throw ConfigError.outOfRange(key: "start.weights", value: weightsText, allowed: "the weights must sum to 1 (they sum to \(total))")
        }
        guard start.means.count == k else {
            throw ConfigError.outOfRange(key: "start.means", value: ConfigValue.matrix(start.means).description,
                                         allowed: "give one mean per weight (\(k) weights, \(start.means.count) means)")
        }
        guard start.covariances.count == k else {
            throw ConfigError.outOfRange(key: "start.covariances", value: ConfigValue.matrixList(start.covariances).description,
                                         allowed: "give one covariance per weight (\(k) weights, \(start.covariances.count) covariances)")
        }
        var components = [Gaussian]()
        for i in 0..<k {
            guard start.means[i].count == d else {
                throw ConfigError.outOfRange(key: "start.means", value: ConfigValue.vector(start.means[i]).description,
                                             allowed: "each mean must have length \(d), the dimension \(Self.dimensionSource(target.kind))")
            }
            try checkSquare(start.covariances[i], key: "start.covariances", dimension: d)
            do {
                components.append(try Gaussian(mean: start.means[i], covariance: Matrix(start.covariances[i])))
            } catch {
                throw ConfigError.outOfRange(key: "start.covariances", value: ConfigValue.matrix(start.covariances[i]).description,
                                             allowed: "each covariance must be symmetric positive definite\(Self.eigenvalueNote(start.covariances[i]))")
            }
        }
        return try GaussianMixture(weights: start.weights, components: components)
    }

    private func checkSquare(_ m: [[Double]], key: String, dimension d: Int) throws {
        guard m.count == d, m.allSatisfy({ $0.count == d }) else {
            throw ConfigError.outOfRange(key: key, value: ConfigValue.matrix(m).description,
                                         allowed: "it must be a \(d)×\(d) matrix to match the dimension \(Self.dimensionSource(target.kind))")
        }
    }

    /// Where the dimension comes from, for error sentences.
    private static func dimensionSource(_ kind: String) -> String {
        switch kind {
        case "random-gaussian": return "set by target.dimension (or use start.kind = \"standard-normal\")"
        case "toy": return "of a toy data set (or use start.kind = \"standard-normal\")"
        default: return "of target.mean"
        }
    }

    private static func eigenvalueNote(_ m: [[Double]]) -> String {
        let matrix = Matrix(m)
        guard matrix.asymmetry <= Matrix.symmetryTolerance else { return " (it is not symmetric)" }
        guard let smallest = try? matrix.symmetricEigen().values.first else { return "" }
        return " (its smallest eigenvalue is \(String(format: "%.4g", smallest)))"
    }
}
