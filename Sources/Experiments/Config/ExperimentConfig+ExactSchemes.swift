import Foundation
import GradientFlows
import NumericalCore
import Probability

extension ExperimentConfig {
    /// The potential V of the target ν ∝ e^{−V}.
    public func potential() throws -> any Potential {
        switch target.kind {
        case "double-well":
            guard !target.mean.isEmpty, target.mean.allSatisfy({ $0 == 0 }) else {
                throw ConfigError.outOfRange(key: "target.mean", value: ConfigValue.vector(target.mean).description,
                                             allowed: "the double well is centred at 0: give zeros, one per dimension (e.g. [0.0, 0.0] in 2D)")
            }
            return try DoubleWellPotential(dimension: dimension, tilt: target.tilt)
        case "toy":
            throw ConfigError.outOfRange(key: "target.kind", value: "\"toy\"",
                                         allowed: "a toy target (\(target.dataset)) is known only by samples and has no potential V; the exact schemes need target.kind = \"gaussian\", \"random-gaussian\" or \"double-well\"")
        default:
            return QuadraticPotential(target: try targetDistribution())
        }
    }

    /// The finite-volume grid (and the grid of the saved densities): [lower, upper]ᵈ, `cells` per axis.
    public func finiteVolumeGrid() throws -> FiniteVolumeGrid {
        guard grid.lower < grid.upper else {
            throw ConfigError.outOfRange(key: "grid.upper", value: "\(grid.upper)", allowed: "grid.upper must exceed grid.lower = \(grid.lower)")
        }
        guard dimension <= 2 else {
            throw ConfigError.outOfRange(key: "target.mean", value: ConfigValue.vector(target.mean).description,
                                         allowed: "the grid methods (finite-volume, saved densities) exist in 1D and 2D only")
        }
        return try FiniteVolumeGrid(lower: [Double](repeating: grid.lower, count: dimension),
                                    upper: [Double](repeating: grid.upper, count: dimension),
                                    cellCounts: [Int](repeating: grid.cells, count: dimension))
    }

    /// The methods that need ν's density or potential (every method but the neural ones).
    public static let exactMethods = ["analytic", "gaussian-jko", "particle-jko", "mesh-jko", "finite-volume", "grid-jko"]

    /// Cross-key checks of the exact schemes: which methods apply to which target and dimension.
    func validateExactSchemes() throws {
        let methodsText = ConfigValue.stringList(methods).description
        if target.kind == "toy", let exact = methods.first(where: { Self.exactMethods.contains($0) }) {
            throw ConfigError.outOfRange(key: "methods", value: methodsText,
                                         allowed: "\"\(exact)\" needs a target with a density; a toy target (target.dataset = \"\(target.dataset)\") is known only by samples, so list only neural methods for it")
        }
        if !hasGaussianTarget, let closed = methods.first(where: { ["analytic", "gaussian-jko"].contains($0) }) {
            throw ConfigError.outOfRange(key: "methods", value: methodsText,
                                         allowed: "\"\(closed)\" needs target.kind = \"gaussian\" or \"random-gaussian\"; for a \(target.kind) target use \"particle-jko\" (1D) and \"finite-volume\"")
        }
        if methods.contains("particle-jko") && dimension != 1 {
            throw ConfigError.outOfRange(key: "methods", value: methodsText,
                                         allowed: "\"particle-jko\" is the 1D Lagrangian scheme; in \(dimension)D use \"mesh-jko\" (2D) or \"finite-volume\"")
        }
        if methods.contains("mesh-jko") && dimension != 2 {
            throw ConfigError.outOfRange(key: "methods", value: methodsText,
                                         allowed: "\"mesh-jko\" is the planar moving-mesh scheme; in \(dimension)D use \"particle-jko\" (1D) or \"finite-volume\"")
        }
        if methods.contains("mesh-jko"), mesh.remeshAngle > 0, mesh.remeshAngle <= mesh.minAngle {
            throw ConfigError.outOfRange(key: "mesh.remesh_angle", value: "\(mesh.remeshAngle)",
                                         allowed: "remeshing must start above the quality guard mesh.min_angle = \(mesh.minAngle)° (else the guard stops the run first); raise mesh.remesh_angle or set it to 0 to turn remeshing off")
        }
        if methods.contains("finite-volume") || dimension <= 2 {
            let box = try finiteVolumeGrid()
            for (i, m) in try startDistribution().components.map(\.mean).enumerated()
            where m.contains(where: { $0 <= box.lower[0] || $0 >= box.upper[0] }) {
                throw ConfigError.outOfRange(key: "grid.lower", value: "\(grid.lower)",
                                             allowed: "the box [\(grid.lower), \(grid.upper)] must contain the start (component \(i + 1) has mean \(m)); widen it")
            }
        }
    }
}
