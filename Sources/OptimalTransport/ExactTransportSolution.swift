import NumericalCore

/// One nonzero entry πᵢⱼ of a transport plan.
public struct TransportPlanEntry: Equatable, Sendable {
    /// Source index i.
    public let source: Int
    /// Target index j.
    public let target: Int
    /// Mass πᵢⱼ moved from xᵢ to yⱼ.
    public let mass: Double

    public init(source: Int, target: Int, mass: Double) {
        self.source = source
        self.target = target
        self.mass = mass
    }
}

/// The solution of a balanced OT problem by an exact solver.
///
/// Primal: the plan π (sparse: at most n + m − 1 nonzeros for a vertex solution) and its
/// cost Σ Cᵢⱼ πᵢⱼ. Dual: potentials f (length n) and g (length m) with
/// fᵢ + gⱼ ≤ Cᵢⱼ for all i, j (feasibility), equality wherever πᵢⱼ > 0 (complementary
/// slackness), and Σ aᵢ fᵢ + Σ bⱼ gⱼ = cost (strong duality). For the squared Euclidean
/// cost, cost = W₂² between the two measures.
public struct ExactTransportSolution: Sendable {
    /// Nonzero entries of π, in the order the solver produced them.
    public let entries: [TransportPlanEntry]
    /// Source weights a (length n).
    public let sourceWeights: [Double]
    /// Target weights b (length m).
    public let targetWeights: [Double]
    /// Σᵢⱼ Cᵢⱼ πᵢⱼ (W₂² for the squared Euclidean cost).
    public let cost: Double
    /// Dual potential f on the source points, length n.
    public let sourcePotential: [Double]
    /// Dual potential g on the target points, length m.
    public let targetPotential: [Double]
    /// `.converged` for a solved problem; `.diverged` when NaN appeared.
    public let status: SolverStatus
    /// Solver iterations (augmenting paths for the assignment and shortest-path solvers,
    /// merge steps for the 1D solver).
    public let iterations: Int

    public init(entries: [TransportPlanEntry], sourceWeights: [Double], targetWeights: [Double], cost: Double,
                sourcePotential: [Double], targetPotential: [Double], status: SolverStatus, iterations: Int) {
        self.entries = entries
        self.sourceWeights = sourceWeights
        self.targetWeights = targetWeights
        self.cost = cost
        self.sourcePotential = sourcePotential
        self.targetPotential = targetPotential
        self.status = cost.isFinite ? status : .diverged
        self.iterations = iterations
    }

    public var converged: Bool { status == .converged }
    public var sourceCount: Int { sourceWeights.count }
    public var targetCount: Int { targetWeights.count }

    /// √cost: W₂ when the cost is squared Euclidean.
    public var distance: Double { max(0, cost).squareRoot() }

    /// Σ aᵢ fᵢ + Σ bⱼ gⱼ; equals ``cost`` at optimality.
    public var dualObjective: Double {
        zip(sourceWeights, sourcePotential).reduce(0) { $0 + $1.0 * $1.1 }
            + zip(targetWeights, targetPotential).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The dense plan π, `[n, m]`.
    public var plan: Matrix {
        var p = Matrix(rows: sourceCount, columns: targetCount)
        for e in entries { p[e.source, e.target] += e.mass }
        return p
    }

    /// For a one-to-one plan (equal sizes, uniform weights), the target index of each
    /// source point; nil when some source point is split between several targets.
    public var assignment: [Int]? {
        guard sourceCount == targetCount, entries.count == sourceCount else { return nil }
        var a = [Int](repeating: -1, count: sourceCount)
        for e in entries {
            guard a[e.source] < 0 else { return nil }
            a[e.source] = e.target
        }
        return a.contains(-1) ? nil : a
    }

    /// max over i of |Σⱼ πᵢⱼ − aᵢ| and over j of |Σᵢ πᵢⱼ − bⱼ|.
    public var marginalError: Double {
        var rows = sourceWeights, cols = targetWeights
        for e in entries { rows[e.source] -= e.mass; cols[e.target] -= e.mass }
        return max(rows.reduce(0) { max($0, abs($1)) }, cols.reduce(0) { max($0, abs($1)) })
    }
}
