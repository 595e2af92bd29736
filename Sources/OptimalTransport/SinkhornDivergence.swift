import Foundation
import NumericalCore

/// The debiased Sinkhorn divergence (Genevay, Peyré & Cuturi 2018; Feydy et al. 2019):
///
///   S_ε(α, β) = OT_ε(α, β) − ½ OT_ε(α, α) − ½ OT_ε(β, β),
///
/// with OT_ε the entropic objective of ``SinkhornSolver`` (entropy relative to a⊗b, value
/// = dual objective ⟨a, f⟩ + ⟨b, g⟩ at convergence). S_ε ≥ 0, S_ε(α, α) = 0, and S_ε
/// interpolates between W₂² (ε → 0, squared Euclidean cost) and MMD with the kernel −c
/// (ε → ∞).
///
/// The cross term is one ``SinkhornSolver`` run. The symmetric terms use the symmetric
/// fixed point f = T(f), Tᵢ(f) = −ε log Σⱼ aⱼ exp((fⱼ − Cᵢⱼ)/ε), iterated with averaging
/// f ← ½(f + T(f)) (Feydy et al. 2019, §3): plain alternating Sinkhorn converges very slowly
/// there because the kernel of a measure against itself is nearly diagonal at small ε.
/// Then OT_ε(α, α) = 2⟨a, f⟩.
public struct SinkhornDivergence: Sendable {
    /// The Sinkhorn settings used for all three terms.
    public var solver: SinkhornSolver
    /// The ground cost (squared Euclidean by default).
    public var cost: TransportCost

    public init(solver: SinkhornSolver, cost: TransportCost = .squaredEuclidean) {
        self.solver = solver
        self.cost = cost
    }

    /// S_ε between two probability measures. The result is `converged` only when all three
    /// terms met the solver's marginal-error tolerance; otherwise its status is
    /// ``SolverStatus/notConverged`` and `marginalError` is the worst term's L1 marginal error.
    public func evaluate(_ source: DiscreteMeasure, _ target: DiscreteMeasure) throws -> SinkhornDivergenceValue {
        let cross = try solver.solve(TransportProblem(source: source, target: target, cost: cost))
        let left = try symmetricObjective(source)
        let right = try symmetricObjective(target)
        let value = cross.dualObjective - 0.5 * (left.value + right.value)
        let statuses = [cross.status, left.status, right.status]
        let status: SolverStatus = statuses.contains(.diverged) || !value.isFinite ? .diverged
            : (statuses.allSatisfy { $0 == .converged } ? .converged : .notConverged)
        return SinkhornDivergenceValue(
            value: value, status: status, marginalError: max(cross.marginalError, left.marginalError, right.marginalError),
            tolerance: solver.tolerance, iterations: cross.iterations + left.iterations + right.iterations)
    }

    /// OT_ε(α, α) by the averaged symmetric iteration, with the stopping rule of
    /// ``SinkhornSolver`` (ε-scaling stages ended by ``SinkhornSolver/stageTolerance``); its
    /// marginal error is the L1 error Σᵢ |(π1)ᵢ − aᵢ| + Σⱼ |(πᵀ1)ⱼ − aⱼ| = 2 Σᵢ aᵢ |exp((fᵢ − Tᵢ(f))/ε) − 1|
    /// of the symmetric plan built from (f, f). When the averaged iteration does not meet the
    /// tolerance within ``SinkhornSolver/annealingStageIterations`` at the final ε, the term is
    /// solved as a general problem (α, α) by ``SinkhornSolver`` (with its Newton polish), warm
    /// started, and the value is its dual objective.
    public func symmetricObjective(_ measure: DiscreteMeasure) throws -> (value: Double, status: SolverStatus, marginalError: Double, iterations: Int) {
        let c = cost.matrix(measure.points, measure.points)
        try SinkhornSolver.validate(epsilon: solver.epsilon, costScale: c.maxAbs)
        let a = measure.weights, la = a.map { Foundation.log($0) }
        var f = [Double](repeating: 0, count: a.count)
        var stageEpsilon = solver.annealing ? max(solver.epsilon, 0.5 * c.maxAbs) : solver.epsilon
        var iterations = 0, stageIteration = 0, error = Double.infinity
        while iterations < solver.maximumIterations {
            let finalStage = stageEpsilon <= solver.epsilon
            let next = LogDomain.softMinimum(c, potential: f, logWeights: la, epsilon: stageEpsilon)
            error = 0
            for i in a.indices { error += 2 * a[i] * abs(Foundation.exp((f[i] - next[i]) / stageEpsilon) - 1) }
            if !error.isFinite { break }
            if finalStage && error < solver.tolerance {
                return (2 * zip(a, f).reduce(0) { $0 + $1.0 * $1.1 }, .converged, error, iterations)
            }
            if finalStage && stageIteration >= solver.annealingStageIterations { break }
            for i in f.indices { f[i] = 0.5 * (f[i] + next[i]) }
            iterations += 1
            stageIteration += 1
            if !finalStage && (error < solver.stageTolerance || stageIteration >= solver.annealingStageIterations) {
                stageEpsilon = max(solver.epsilon, stageEpsilon / 2)
                stageIteration = 0
            }
        }
        guard error.isFinite else { return (.nan, .diverged, error, iterations) }
        var general = solver
        general.maximumIterations = max(1, solver.maximumIterations - iterations)
        general.annealing = false
        let full = try general.solve(TransportProblem(source: measure, target: measure, cost: cost), start: f)
        return (full.dualObjective, full.status, full.marginalError, iterations + full.iterations)
    }
}

/// The debiased Sinkhorn divergence with how its three entropic terms ended.
public struct SinkhornDivergenceValue: Sendable {
    /// S_ε.
    public let value: Double
    /// `.converged` when all three terms met the tolerance.
    public let status: SolverStatus
    /// The largest L1 marginal error of the three terms' plans.
    public let marginalError: Double
    /// The tolerance on it.
    public let tolerance: Double
    /// Sinkhorn iterations and Newton steps of the three terms together.
    public let iterations: Int

    public var converged: Bool { status == .converged }
}
