import NeuralJKO
import NumericalCore
import Probability

extension ExperimentConfig {
    /// Samples of the target ν for the neural columns (which know ν only by samples):
    /// exact for a Gaussian target, the grid Gibbs sampler (``GibbsDistribution``, its
    /// error stated there) for the double well on the box `grid.lower…grid.upper`.
    public func targetSampler() throws -> NeuralJKOProblem.Sampler {
        switch target.kind {
        case "gaussian":
            let nu = try targetDistribution()
            return { n, g in nu.sample(count: n, using: &g) }
        default:
            let gibbs = try GibbsDistribution(potential: potential(), lower: grid.lower, upper: grid.upper,
                                              gridCount: dimension == 1 ? 4000 : 1000)
            return { n, g in gibbs.sample(count: n, using: &g) }
        }
    }
}
