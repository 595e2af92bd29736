import NumericalCore

/// Anything that draws point clouds in ℝᵈ: a ``Distribution`` (whose density is also known),
/// or a data set known only by samples, such as the toy data sets of ``ToyDataset``.
/// A neural flow's target ν needs nothing more.
public protocol PointSampler: Sendable {
    /// The dimension d of every point.
    var dimension: Int { get }
    /// `count` draws, `[count, dimension]` (row-major). Independent rows unless the type's
    /// documentation says how the draws are stratified.
    func sample(count: Int, using generator: inout RandomGenerator) -> Matrix
}
