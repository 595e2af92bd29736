import NumericalCore

extension ExperimentConfig {
    /// The smallest start variance (eigenvalue of a component covariance, relative to the
    /// squared scale max(1, |mean|²)) the particle and mesh schemes accept.
    ///
    /// They place particles or mesh lines at the start's quantiles: N of them over a width
    /// of a few σ, so neighbours sit about σ/N apart, and below σ ≈ 1e-6·scale (N ≤ 10⁷)
    /// Double's 16 digits merge them into one point, which the scheme can only report as an
    /// internal "positions must be strictly increasing" failure.
    public static let minimumRelativeStartVariance = 1e-12

    /// Refuses a start too narrow for `particle-jko` or `mesh-jko` to resolve, naming the
    /// key, the smallest eigenvalue and the smallest usable one.
    public func validateStartWidth() throws {
        let quantileMethods = methods.filter { $0 == "particle-jko" || $0 == "mesh-jko" }
        guard let method = quantileMethods.first else { return }
        for (i, covariance) in start.covariances.enumerated() where i < start.means.count {
            guard let smallest = try? Matrix(covariance).symmetricEigen().values.first else { continue }
            let scale = max(1, start.means[i].reduce(0) { $0 + $1 * $1 })
            let floor = Self.minimumRelativeStartVariance * scale
            if smallest < floor {
                throw ConfigError.outOfRange(key: "start.covariances", value: ConfigValue.matrix(covariance).description,
                                             allowed: "\"\(method)\" places its points at the start's quantiles, and a variance this small (smallest eigenvalue \(String(format: "%.3g", smallest))) merges them in double precision; use variances ≥ \(String(format: "%.3g", floor)), or drop \"\(method)\" from methods")
            }
        }
    }
}
