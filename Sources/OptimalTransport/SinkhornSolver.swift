import Foundation
import NumericalCore

/// Balanced entropic OT by log-domain Sinkhorn iterations.
///
///   OT_ε(a, b) = min_{π1 = a, πᵀ1 = b} ⟨C, π⟩ + ε KL(π ‖ a⊗b)
///             = max_{f, g} ⟨a, f⟩ + ⟨b, g⟩ − ε ⟨a⊗b, exp((f ⊕ g − C)/ε) − 1⟩.
///
/// Updates (alternating exact maximisation of the dual, all in the log domain):
///
///   fᵢ ← −ε log Σⱼ bⱼ exp((gⱼ − Cᵢⱼ)/ε),   gⱼ ← −ε log Σᵢ aᵢ exp((fᵢ − Cᵢⱼ)/ε).
///
/// No kernel exp(−C/ε) is ever formed, so ε = 1e-3 on unit-scale data runs without
/// overflow. After each g-update the column marginals are exact; the stopping quantity
/// (the error history) is the L1 row-marginal error Σᵢ |(π1)ᵢ − aᵢ|, obtained for free
/// from the next f-update as Σᵢ aᵢ |exp((fᵢ − f⁺ᵢ)/ε) − 1|.
///
/// **Stopping rule.** The solution is `converged` only when the L1 marginal error
/// Σᵢ |(π1)ᵢ − aᵢ| + Σⱼ |(πᵀ1)ⱼ − bⱼ| is below ``tolerance`` (the column part is zero after a
/// column update). When ``maximumIterations`` is reached first the status is
/// ``SolverStatus/notConverged`` and the solution's `marginalError` says how far it is:
/// a small change between iterations is not taken as convergence (on clustered clouds
/// Sinkhorn sits for thousands of iterations on a plateau of marginal error ≈ 1e-5 with a
/// value several percent off).
///
/// ε-scaling (`annealing`): the iterations start at ε₀ = max(ε, max C / 2) and halve ε down to
/// ε, warm-starting the potentials; each intermediate stage runs until its marginal error is
/// below ``stageTolerance`` or for at most ``annealingStageIterations`` iterations. This
/// changes nothing at the fixed point. Newton polish (`newtonPolish`, for min(n, m) ≤ 3000):
/// after ``annealingStageIterations`` plain iterations at the final ε, ``SinkhornNewton`` takes Newton steps on
/// the semi-dual (quadratic convergence) until the tolerance is met; if it stalls, plain
/// iterations resume and the polish is retried every ``annealingStageIterations``. Cost per iteration: 2nm exponentials, parallel over rows (the transposed
/// cost matrix is kept for the column update: 2× the memory of C); per Newton step, O(nm²).
///
/// Smallest ε: the kernel exponents (Cᵢⱼ − fᵢ − gⱼ)/ε are resolved in Double only while
/// max C/ε ≤ 2⁵², so ε below 2⁻⁵²·max C (``smallestEpsilon(forCostScale:)``) is refused.
///
/// Conventions: ε is in cost units (for c = |x − y|² on data of unit scale, ε = 0.01 is
/// a blur of about 0.1); the entropy is relative to a⊗b (see ``EntropicTransportSolution``).
public struct SinkhornSolver: Sendable {
    /// ε > 0, in cost units.
    public var epsilon: Double
    /// Stop when the L1 marginal error (both sides, total mass 1) is below this.
    public var tolerance: Double
    /// Iteration budget (all ε stages and Newton steps together).
    public var maximumIterations: Int
    /// Use ε-scaling from a large ε down to ``epsilon``.
    public var annealing: Bool
    /// At most this many iterations per intermediate ε stage (and at the final ε before the
    /// Newton polish starts).
    public var annealingStageIterations: Int
    /// An intermediate stage ends once its marginal error is below this.
    public var stageTolerance: Double
    /// Polish the final stage by Newton steps on the semi-dual.
    public var newtonPolish: Bool

    public init(epsilon: Double, tolerance: Double = 1e-9, maximumIterations: Int = 10_000,
                annealing: Bool = true, annealingStageIterations: Int = 100, stageTolerance: Double = 1e-3,
                newtonPolish: Bool = true) {
        self.epsilon = epsilon
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        self.annealing = annealing
        self.annealingStageIterations = annealingStageIterations
        self.stageTolerance = stageTolerance
        self.newtonPolish = newtonPolish
    }

    /// 2⁻⁵² · the largest |cost|: below this ε, exp(−C/ε) cannot be resolved in Double.
    public static func smallestEpsilon(forCostScale scale: Double) -> Double {
        Double.ulpOfOne * scale
    }

    /// Throws unless ε is positive, finite and at least ``smallestEpsilon(forCostScale:)``.
    static func validate(epsilon: Double, costScale: Double) throws {
        guard epsilon > 0, epsilon.isFinite else {
            throw TransportError.invalidParameter("epsilon is \(epsilon); the entropic regularisation must be a positive number")
        }
        let smallest = smallestEpsilon(forCostScale: costScale)
        guard epsilon >= smallest else {
            throw TransportError.invalidParameter(
                "epsilon \(epsilon) is below the smallest usable value \(smallest) for this data (2⁻⁵² × the largest cost \(costScale)): Double cannot resolve exp(−cost/ε) there; use epsilon ≥ \(smallest)")
        }
    }

    /// Solves the balanced entropic problem; the measures must have equal total mass.
    public func solve(_ problem: TransportProblem) throws -> EntropicTransportSolution {
        try solve(problem, start: nil)
    }

    /// The same, warm-started from source potentials f (length n) when given.
    func solve(_ problem: TransportProblem, start: [Double]?) throws -> EntropicTransportSolution {
        let c = problem.costMatrix
        try Self.validate(epsilon: epsilon, costScale: c.maxAbs)
        guard tolerance > 0, maximumIterations > 0 else {
            throw TransportError.invalidParameter("tolerance and maximumIterations must be positive")
        }
        let a = problem.sourceWeights, b = problem.targetWeights
        let totalA = a.reduce(0, +), totalB = b.reduce(0, +)
        guard abs(totalA - totalB) <= DiscreteMeasure.massTolerance * max(1, totalA) else {
            throw TransportError.invalidMeasure(
                "the source mass \(totalA) differs from the target mass \(totalB); balanced Sinkhorn needs equal masses (or use UnbalancedSinkhornSolver)")
        }
        let ct = c.transposed
        let la = a.map { Foundation.log($0) }, lb = b.map { Foundation.log($0) }
        var f = start ?? [Double](repeating: 0, count: a.count)
        var g = start == nil ? [Double](repeating: 0, count: b.count)
            : LogDomain.softMinimum(ct, potential: f, logWeights: la, epsilon: epsilon)
        var history = [Double]()
        var iterations = 0, reached = false, nextPolish = annealingStageIterations
        var stageEpsilon = annealing ? max(epsilon, 0.5 * c.maxAbs) : epsilon
        let canPolish = newtonPolish && min(a.count, b.count) <= SinkhornNewton.sizeLimit
        stages: while true {
            let finalStage = stageEpsilon <= epsilon
            var stageIteration = 0
            while iterations < maximumIterations {
                let next = LogDomain.softMinimum(c, potential: g, logWeights: lb, epsilon: stageEpsilon)
                if stageIteration > 0 {
                    var error = 0.0
                    for i in a.indices { error += a[i] * abs(Foundation.exp((f[i] - next[i]) / stageEpsilon) - 1) }
                    history.append(error)
                    if !error.isFinite { break stages }
                    if finalStage && error < tolerance { reached = true; break stages }
                    if !finalStage && (error < stageTolerance || stageIteration >= annealingStageIterations) { break }
                    if finalStage && canPolish && stageIteration >= nextPolish {
                        nextPolish = stageIteration + annealingStageIterations
                        let steps = SinkhornNewton.polish(cost: c, transposed: ct, a: a, b: b, f: &f, g: &g, epsilon: epsilon,
                                                          tolerance: tolerance, maximumSteps: min(50, maximumIterations - iterations))
                        history += steps
                        iterations += steps.count
                        if let last = steps.last, last < tolerance { reached = true; break stages }
                        continue
                    }
                }
                f = next
                g = LogDomain.softMinimum(ct, potential: f, logWeights: la, epsilon: stageEpsilon)
                iterations += 1
                stageIteration += 1
            }
            if finalStage || iterations >= maximumIterations { break }
            stageEpsilon = max(epsilon, stageEpsilon / 2)
        }
        return EntropicTransportSolution(
            cost: c, sourceWeights: a, targetWeights: b, f: f, g: g, epsilon: epsilon,
            sourcePenalty: .infinity, targetPenalty: .infinity, iterations: iterations,
            errorHistory: history, reachedTolerance: reached)
    }
}
