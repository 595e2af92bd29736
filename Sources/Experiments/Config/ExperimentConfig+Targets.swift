import Foundation
import GradientFlows
import NumericalCore
import Probability

extension ExperimentConfig {
    /// The toy data set of a `toy` target (`target.dataset`).
    public func toyDataset() throws -> ToyDataset {
        guard let dataset = ToyDataset(rawValue: target.dataset) else {
            throw ConfigError.outOfRange(key: "target.dataset", value: "\"\(target.dataset)\"",
                                         allowed: "use one of " + ToyDataset.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        return dataset
    }

    /// Samples of the target ν, for methods that know ν only by samples (the neural flows):
    /// the Gaussian itself (`gaussian`, `random-gaussian`), the data set (`toy`), or the grid
    /// Gibbs sampler of e^{−V} on the config's box with 2000 cells per axis in 1D, `grid.cells`
    /// (rounded up to even) in 2D (`double-well`; d ≤ 2).
    public func targetSampler() throws -> any PointSampler {
        if hasGaussianTarget { return try targetDistribution() }
        if target.kind == "toy" { return try toyDataset().sampler }
        guard dimension <= 2 else {
            throw ConfigError.outOfRange(key: "target.kind", value: "\"\(target.kind)\"",
                                         allowed: "samples of a \(target.kind) target come from a grid Gibbs sampler, which exists in 1D and 2D only")
        }
        let cells = dimension == 1 ? 2000 : grid.cells + grid.cells % 2
        return try GibbsDistribution(potential: potential(), lower: grid.lower, upper: grid.upper, gridCount: cells)
    }
}
