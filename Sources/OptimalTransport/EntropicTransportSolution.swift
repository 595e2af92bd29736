import Foundation
import NumericalCore

/// The solution of an entropic (possibly unbalanced) OT problem in log-domain potentials.
///
/// Problem solved (a, b the measures' weights, generalised KL(p‖q) = Σ p log(p/q) − p + q):
///
///   min_π ⟨C, π⟩ + ε KL(π ‖ a⊗b) + ρ₁ KL(π1 ‖ a) + ρ₂ KL(πᵀ1 ‖ b),
///
/// where ρ = ∞ means the hard constraint (π1 = a, resp. πᵀ1 = b); the balanced problem
/// has ρ₁ = ρ₂ = ∞. **Entropy convention:** the reference measure of the entropic term is
/// the product a⊗b (as in POT's `sinkhorn2` up to a constant and ott-jax), so at ε → 0
/// the value tends to the exact OT cost and the plan is
///
///   πᵢⱼ = aᵢ bⱼ exp((fᵢ + gⱼ − Cᵢⱼ)/ε),  `[n, m]`.
///
/// With the Lebesgue/counting reference (−ε H(π)) the objective would differ by
/// ε(⟨π1, log a⟩ + ⟨πᵀ1, log b⟩) — keep that in mind when comparing golden values.
public struct EntropicTransportSolution: Sendable {
    /// Dual potential f on the source points, length n.
    public let sourcePotential: [Double]
    /// Dual potential g on the target points, length m.
    public let targetPotential: [Double]
    /// The entropic regularisation ε (in cost units).
    public let epsilon: Double
    /// ρ₁ (∞ = hard source constraint).
    public let sourcePenalty: Double
    /// ρ₂ (∞ = hard target constraint).
    public let targetPenalty: Double
    /// The plan π, `[n, m]`.
    public let plan: Matrix
    /// Source weights a and target weights b.
    public let sourceWeights: [Double], targetWeights: [Double]
    /// ⟨C, π⟩: the transport part of the objective (→ exact OT cost as ε → 0, balanced).
    public let transportCost: Double
    /// The full primal objective above, evaluated at π.
    public let objective: Double
    /// The dual objective; equals ``objective`` at convergence (see the solvers).
    public let dualObjective: Double
    public let status: SolverStatus
    public let iterations: Int
    /// One entry per iteration: the solver's stopping quantity (see each solver).
    public let errorHistory: [Double]

    public var converged: Bool { status == .converged }
    /// π1, length n.
    public var sourceMarginal: [Double] { (0..<plan.rows).map { i in (0..<plan.columns).reduce(0) { $0 + plan[i, $1] } } }
    /// πᵀ1, length m.
    public var targetMarginal: [Double] {
        var s = [Double](repeating: 0, count: plan.columns)
        for i in 0..<plan.rows { for j in 0..<plan.columns { s[j] += plan[i, j] } }
        return s
    }
    /// Σᵢ |(π1)ᵢ − aᵢ| + Σⱼ |(πᵀ1)ⱼ − bⱼ| (zero only for constrained sides at convergence).
    public var marginalError: Double {
        zip(sourceMarginal, sourceWeights).reduce(0) { $0 + abs($1.0 - $1.1) }
            + zip(targetMarginal, targetWeights).reduce(0) { $0 + abs($1.0 - $1.1) }
    }

    init(cost: Matrix, sourceWeights a: [Double], targetWeights b: [Double], f: [Double], g: [Double],
         epsilon: Double, sourcePenalty: Double, targetPenalty: Double, iterations: Int,
         errorHistory: [Double], reachedTolerance: Bool) {
        let la = a.map { Foundation.log($0) }, lb = b.map { Foundation.log($0) }
        let pi = LogDomain.plan(cost, logSource: la, logTarget: lb, f: f, g: g, epsilon: epsilon)
        self.plan = pi
        self.sourcePotential = f
        self.targetPotential = g
        self.epsilon = epsilon
        self.sourcePenalty = sourcePenalty
        self.targetPenalty = targetPenalty
        self.sourceWeights = a
        self.targetWeights = b
        self.iterations = iterations
        self.errorHistory = errorHistory
        var transport = 0.0, entropy = 0.0, mass = 0.0
        for i in 0..<cost.rows {
            for j in 0..<cost.columns {
                let p = pi[i, j]
                transport += p * cost[i, j]
                mass += p
                if p > 0 { entropy += p * Foundation.log(p / (a[i] * b[j])) }
            }
        }
        let massAB = a.reduce(0, +) * b.reduce(0, +)
        self.transportCost = transport
        var primal = transport + epsilon * (entropy - mass + massAB)
        var dual = -epsilon * (mass - massAB)
        let rowMass = (0..<cost.rows).map { i in (0..<cost.columns).reduce(0) { $0 + pi[i, $1] } }
        var columnMass = [Double](repeating: 0, count: cost.columns)
        for i in 0..<cost.rows { for j in 0..<cost.columns { columnMass[j] += pi[i, j] } }
        if sourcePenalty.isFinite {
            primal += sourcePenalty * LogDomain.generalizedKL(rowMass, a)
            dual -= sourcePenalty * zip(a, f).reduce(0) { $0 + $1.0 * (Foundation.exp(-$1.1 / sourcePenalty) - 1) }
        } else {
            dual += zip(a, f).reduce(0) { $0 + $1.0 * $1.1 }
        }
        if targetPenalty.isFinite {
            primal += targetPenalty * LogDomain.generalizedKL(columnMass, b)
            dual -= targetPenalty * zip(b, g).reduce(0) { $0 + $1.0 * (Foundation.exp(-$1.1 / targetPenalty) - 1) }
        } else {
            dual += zip(b, g).reduce(0) { $0 + $1.0 * $1.1 }
        }
        self.objective = primal
        self.dualObjective = dual
        let finite = primal.isFinite && dual.isFinite && f.allSatisfy(\.isFinite) && g.allSatisfy(\.isFinite)
        self.status = !finite ? .diverged : (reachedTolerance ? .converged : .notConverged)
    }
}
