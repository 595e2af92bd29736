import NumericalCore

/// The debiased Sinkhorn divergence (Genevay, Peyré & Cuturi 2018; Feydy et al. 2019):
///
///   S_ε(α, β) = OT_ε(α, β) − ½ OT_ε(α, α) − ½ OT_ε(β, β),
///
/// with OT_ε the entropic objective of ``SinkhornSolver`` (entropy relative to a⊗b, value
/// = dual objective ⟨a, f⟩ + ⟨b, g⟩ at convergence). S_ε ≥ 0, S_ε(α, α) = 0, and S_ε
/// interpolates between W₂² (ε → 0, squared Euclidean cost) and MMD with the kernel −c
/// (ε → ∞). Three Sinkhorn solves.
public struct SinkhornDivergence: Sendable {
    /// The Sinkhorn settings used for all three problems.
    public var solver: SinkhornSolver
    /// The ground cost (squared Euclidean by default).
    public var cost: TransportCost

    public init(solver: SinkhornSolver, cost: TransportCost = .squaredEuclidean) {
        self.solver = solver
        self.cost = cost
    }

    /// S_ε between two probability measures; `converged` is false if any of the three
    /// Sinkhorn runs stopped on its iteration budget.
    public func evaluate(_ source: DiscreteMeasure, _ target: DiscreteMeasure) throws -> (value: Double, converged: Bool) {
        let cross = try solver.solve(TransportProblem(source: source, target: target, cost: cost))
        let left = try solver.solve(TransportProblem(source: source, target: source, cost: cost))
        let right = try solver.solve(TransportProblem(source: target, target: target, cost: cost))
        let value = cross.dualObjective - 0.5 * (left.dualObjective + right.dualObjective)
        return (value, cross.converged && left.converged && right.converged)
    }
}
