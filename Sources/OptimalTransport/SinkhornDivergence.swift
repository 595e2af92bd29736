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

    /// S_ε between two probability measures; `converged` is false if any of the three
    /// terms stopped on its iteration budget.
    public func evaluate(_ source: DiscreteMeasure, _ target: DiscreteMeasure) throws -> (value: Double, converged: Bool) {
        let cross = try solver.solve(TransportProblem(source: source, target: target, cost: cost))
        let left = try symmetricObjective(source)
        let right = try symmetricObjective(target)
        let value = cross.dualObjective - 0.5 * (left.value + right.value)
        return (value, cross.converged && left.converged && right.converged)
    }

    /// OT_ε(α, α) by the averaged symmetric iteration; the stopping quantity is the L1
    /// marginal error Σᵢ aᵢ |exp((fᵢ − Tᵢ(f))/ε) − 1| of the plan built from (f, f).
    public func symmetricObjective(_ measure: DiscreteMeasure) throws -> (value: Double, converged: Bool) {
        guard solver.epsilon > 0, solver.epsilon.isFinite else {
            throw TransportError.invalidParameter("epsilon is \(solver.epsilon); the entropic regularisation must be a positive number")
        }
        let c = cost.matrix(measure.points, measure.points)
        let a = measure.weights, la = a.map { Foundation.log($0) }
        var f = [Double](repeating: 0, count: a.count)
        var stageEpsilon = solver.annealing ? max(solver.epsilon, 0.5 * c.maxAbs) : solver.epsilon
        var iterations = 0, converged = false
        while iterations < solver.maximumIterations {
            let finalStage = stageEpsilon <= solver.epsilon
            let next = LogDomain.softMinimum(c, potential: f, logWeights: la, epsilon: stageEpsilon)
            var error = 0.0
            for i in a.indices { error += a[i] * abs(Foundation.exp((f[i] - next[i]) / stageEpsilon) - 1) }
            if !error.isFinite { break }
            if finalStage && error < solver.tolerance { converged = true; break }
            for i in f.indices { f[i] = 0.5 * (f[i] + next[i]) }
            iterations += 1
            if !finalStage && iterations % solver.annealingStageIterations == 0 {
                stageEpsilon = max(solver.epsilon, stageEpsilon / 2)
            }
        }
        return (2 * zip(a, f).reduce(0) { $0 + $1.0 * $1.1 }, converged)
    }
}
