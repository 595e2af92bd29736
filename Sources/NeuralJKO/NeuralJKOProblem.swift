import NumericalCore

/// What a neural JKO flow is asked to do: move samples of the prior μ₀ along the JKO
/// scheme of F = D_Ψ(·‖ν) with time steps h_k, where ν is known **only by samples**
/// (DESIGN.md §1.3, as in the paper).
///
/// Samplers return `[n, d]` clouds (row-major ``Matrix``) and draw from the generator
/// they are handed, so a flow is reproducible from its seed.
public struct NeuralJKOProblem: Sendable {
    public typealias Sampler = @Sendable (_ count: Int, _ generator: inout RandomGenerator) -> Matrix

    /// d.
    public let dimension: Int
    /// μ₀.
    public let prior: Sampler
    /// ν (data).
    public let target: Sampler
    /// h_k of step k (k = 0 is the step from μ₀ to μ₁), in the units of the cost: with
    /// per-dimension normalisation the flow's time advances by d·h_k.
    public let timeSteps: [Double]

    public init(dimension: Int, prior: @escaping Sampler, target: @escaping Sampler, timeSteps: [Double]) {
        precondition(dimension >= 1 && !timeSteps.isEmpty && timeSteps.allSatisfy { $0 > 0 },
                     "a neural JKO problem needs d ≥ 1 and time steps h_k > 0")
        self.dimension = dimension
        self.prior = prior
        self.target = target
        self.timeSteps = timeSteps
    }

    /// The number of JKO steps K.
    public var stepCount: Int { timeSteps.count }
}
