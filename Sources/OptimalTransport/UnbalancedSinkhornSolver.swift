import Foundation
import NumericalCore

/// Unbalanced entropic OT with KL marginal penalties, by log-domain Sinkhorn iterations.
///
///   min_π ⟨C, π⟩ + ε KL(π ‖ a⊗b) + ρ₁ KL(π1 ‖ a) + ρ₂ KL(πᵀ1 ‖ b)
///
/// (generalised KL, p log(p/q) − p + q; ρ = ∞ is the hard constraint; the measures may
/// carry any positive mass). Dual (Chizat, Peyré, Schmitzer & Vialard 2018; Séjourné et al.
/// 2019): maximise
///
///   −ρ₁⟨a, e^{−f/ρ₁} − 1⟩ − ρ₂⟨b, e^{−g/ρ₂} − 1⟩ − ε⟨a⊗b, e^{(f⊕g−C)/ε} − 1⟩
///
/// (a term −ρ⟨w, e^{−φ/ρ} − 1⟩ becomes ⟨w, φ⟩ at ρ = ∞). Exact maximisation in f, then g:
///
///   f = κ₁ · softmin_ε(g),  g = κ₂ · softmin_ε(f),   κ = ρ/(ρ + ε)  (κ = 1 at ρ = ∞),
///
/// with softmin_ε(g)ᵢ = −ε log Σⱼ bⱼ exp((gⱼ − Cᵢⱼ)/ε). These are the fixed-point
/// equations the solution satisfies; at them, log((π1)ᵢ/aᵢ) = −fᵢ/ρ₁.
///
/// Plain iterations contract only like κ per step along the direction (f − λ, g + λ), which
/// is slow for ε ≪ ρ; each iteration therefore also takes the exact dual-optimal shift λ
/// along it (“translation-invariant Sinkhorn”, Séjourné, Vialard & Peyré, AISTATS 2022):
/// with A = ⟨a, e^{−f/ρ₁}⟩, B = ⟨b, e^{−g/ρ₂}⟩,
///   λ = log(B/A)/(1/ρ₁ + 1/ρ₂);  ρ₁ = ∞: λ = ρ₂ log(B/|a|);  ρ₂ = ∞: λ = ρ₁ log(|b|/A).
/// The error history is max(|Δf|∞, |Δg|∞) over one iteration, in cost units. Stopping rule
/// (shared with ``SinkhornSolver``): a small step is not convergence by itself; once the
/// step is below ``tolerance`` the marginal optimality error
///   Σᵢ |(π1)ᵢ − aᵢ e^{−fᵢ/ρ₁}| + Σⱼ |(πᵀ1)ⱼ − bⱼ e^{−gⱼ/ρ₂}|   (e^{−f/ρ} = 1 at ρ = ∞)
/// is computed (two passes) and the solution is `converged` only when it is below
/// ``marginalTolerance``; when ``maximumIterations`` is reached first, the status is
/// ``SolverStatus/notConverged``. ε below 2⁻⁵²·max C is refused (see ``SinkhornSolver``).
///
/// The fixed-source, soft-target case ρ₁ = ∞, ρ₂ = 1 with C = |x − y|²/(2h) is the JKO step
/// of KL(·‖ν) for ν = b (DESIGN.md §1.3): its target marginal is the next iterate
/// (up to the entropic blur ε).
public struct UnbalancedSinkhornSolver: Sendable {
    /// ε > 0, in cost units.
    public var epsilon: Double
    /// ρ₁ > 0 on the source marginal (`.infinity`: hard constraint).
    public var sourcePenalty: Double
    /// ρ₂ > 0 on the target marginal (`.infinity`: hard constraint).
    public var targetPenalty: Double
    /// Stop when the potentials move less than this (sup norm, cost units) in one iteration.
    public var tolerance: Double
    /// Converged only when the marginal optimality error (above) is below this.
    public var marginalTolerance: Double
    public var maximumIterations: Int

    public init(epsilon: Double, sourcePenalty: Double, targetPenalty: Double,
                tolerance: Double = 1e-10, marginalTolerance: Double = 1e-9, maximumIterations: Int = 20_000) {
        self.epsilon = epsilon
        self.sourcePenalty = sourcePenalty
        self.targetPenalty = targetPenalty
        self.tolerance = tolerance
        self.marginalTolerance = marginalTolerance
        self.maximumIterations = maximumIterations
    }

    /// Solves the problem (its measures may have any positive masses: build them with
    /// `requireUnitMass: false`).
    public func solve(_ problem: TransportProblem) throws -> EntropicTransportSolution {
        try SinkhornSolver.validate(epsilon: epsilon, costScale: problem.costMatrix.maxAbs)
        for (name, rho) in [("sourcePenalty", sourcePenalty), ("targetPenalty", targetPenalty)] where !(rho > 0) {
            throw TransportError.invalidParameter("\(name) is \(rho); a marginal penalty must be positive (.infinity for a hard constraint)")
        }
        guard tolerance > 0, maximumIterations > 0 else {
            throw TransportError.invalidParameter("tolerance and maximumIterations must be positive")
        }
        let a = problem.sourceWeights, b = problem.targetWeights
        let c = problem.costMatrix, ct = c.transposed
        let la = a.map { Foundation.log($0) }, lb = b.map { Foundation.log($0) }
        let kappa1 = sourcePenalty.isFinite ? sourcePenalty / (sourcePenalty + epsilon) : 1
        let kappa2 = targetPenalty.isFinite ? targetPenalty / (targetPenalty + epsilon) : 1
        var f = [Double](repeating: 0, count: a.count), g = [Double](repeating: 0, count: b.count)
        var history = [Double](), iterations = 0, reached = false
        while iterations < maximumIterations {
            var fNext = LogDomain.softMinimum(c, potential: g, logWeights: lb, epsilon: epsilon).map { kappa1 * $0 }
            var gNext = LogDomain.softMinimum(ct, potential: fNext, logWeights: la, epsilon: epsilon).map { kappa2 * $0 }
            let lambda = translation(f: fNext, g: gNext, la: la, lb: lb)
            if lambda != 0 {
                fNext = fNext.map { $0 - lambda }
                gNext = gNext.map { $0 + lambda }
            }
            var change = 0.0
            for i in f.indices { change = max(change, abs(fNext[i] - f[i])) }
            for j in g.indices { change = max(change, abs(gNext[j] - g[j])) }
            f = fNext
            g = gNext
            iterations += 1
            history.append(change)
            if !change.isFinite { break }
            if change < tolerance && marginalOptimalityError(c, ct, f: f, g: g, la: la, lb: lb) < marginalTolerance {
                reached = true
                break
            }
        }
        return EntropicTransportSolution(
            cost: c, sourceWeights: a, targetWeights: b, f: f, g: g, epsilon: epsilon,
            sourcePenalty: sourcePenalty, targetPenalty: targetPenalty, iterations: iterations,
            errorHistory: history, reachedTolerance: reached)
    }

    /// The dual-optimal λ for (f − λ, g + λ) (see the type's documentation); 0 when both
    /// marginals are hard constraints.
    func translation(f: [Double], g: [Double], la: [Double], lb: [Double]) -> Double {
        let rho1 = sourcePenalty, rho2 = targetPenalty
        let logMassA = LogDomain.logSumExp(la), logMassB = LogDomain.logSumExp(lb)
        switch (rho1.isFinite, rho2.isFinite) {
        case (false, false):
            return 0
        case (true, true):
            let logA = LogDomain.logSumExp(zip(la, f).map { $0 - $1 / rho1 })
            let logB = LogDomain.logSumExp(zip(lb, g).map { $0 - $1 / rho2 })
            return (logB - logA) / (1 / rho1 + 1 / rho2)
        case (false, true):
            return rho2 * (LogDomain.logSumExp(zip(lb, g).map { $0 - $1 / rho2 }) - logMassA)
        case (true, false):
            return rho1 * (logMassB - LogDomain.logSumExp(zip(la, f).map { $0 - $1 / rho1 }))
        }
    }

    /// Σᵢ |(π1)ᵢ − aᵢ e^{−fᵢ/ρ₁}| + Σⱼ |(πᵀ1)ⱼ − bⱼ e^{−gⱼ/ρ₂}| for the plan of (f, g).
    func marginalOptimalityError(_ c: Matrix, _ ct: Matrix, f: [Double], g: [Double], la: [Double], lb: [Double]) -> Double {
        let rowSoftmin = LogDomain.softMinimum(c, potential: g, logWeights: lb, epsilon: epsilon)
        let columnSoftmin = LogDomain.softMinimum(ct, potential: f, logWeights: la, epsilon: epsilon)
        var error = 0.0
        for i in f.indices {
            let target = sourcePenalty.isFinite ? Foundation.exp(-f[i] / sourcePenalty) : 1
            error += Foundation.exp(la[i]) * abs(Foundation.exp((f[i] - rowSoftmin[i]) / epsilon) - target)
        }
        for j in g.indices {
            let target = targetPenalty.isFinite ? Foundation.exp(-g[j] / targetPenalty) : 1
            error += Foundation.exp(lb[j]) * abs(Foundation.exp((g[j] - columnSoftmin[j]) / epsilon) - target)
        }
        return error
    }

    /// Residuals of the fixed-point equations at (f, g), sup norm, in cost units:
    /// max|f − κ₁ softmin_ε(g)| and max|g − κ₂ softmin_ε(f)|. Both vanish at the solution.
    public func fixedPointResidual(_ problem: TransportProblem, _ solution: EntropicTransportSolution) -> (source: Double, target: Double) {
        let la = problem.sourceWeights.map { Foundation.log($0) }, lb = problem.targetWeights.map { Foundation.log($0) }
        let kappa1 = sourcePenalty.isFinite ? sourcePenalty / (sourcePenalty + epsilon) : 1
        let kappa2 = targetPenalty.isFinite ? targetPenalty / (targetPenalty + epsilon) : 1
        let f = solution.sourcePotential, g = solution.targetPotential
        let tf = LogDomain.softMinimum(problem.costMatrix, potential: g, logWeights: lb, epsilon: epsilon)
        let tg = LogDomain.softMinimum(problem.costMatrix.transposed, potential: f, logWeights: la, epsilon: epsilon)
        return (zip(f, tf).reduce(0) { max($0, abs($1.0 - kappa1 * $1.1)) },
                zip(g, tg).reduce(0) { max($0, abs($1.0 - kappa2 * $1.1)) })
    }
}
