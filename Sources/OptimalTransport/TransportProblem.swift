import NumericalCore

/// A discrete optimal-transport problem: two measures and a ground cost.
///
///   minimise  Σᵢⱼ Cᵢⱼ πᵢⱼ  over couplings π ≥ 0, `[n, m]`,
///   with π 1 = a (source weights) and πᵀ 1 = b (target weights)   (balanced case).
///
/// Entropic and unbalanced solvers relax these constraints (see their documentation);
/// the problem itself only holds data. The cost matrix C (`[n, m]`, row-major) is
/// computed once here, so timing a solver excludes it.
public struct TransportProblem: Sendable {
    /// μ = Σ aᵢ δ_{xᵢ}, n points.
    public let source: DiscreteMeasure
    /// ν = Σ bⱼ δ_{yⱼ}, m points.
    public let target: DiscreteMeasure
    /// The ground cost that produced ``costMatrix`` (nil when the matrix was given directly).
    public let cost: TransportCost?
    /// C[i, j] = c(xᵢ, yⱼ), `[n, m]`.
    public let costMatrix: Matrix

    /// Source weights a (length n).
    public var sourceWeights: [Double] { source.weights }
    /// Target weights b (length m).
    public var targetWeights: [Double] { target.weights }

    /// The problem between two measures of the same dimension.
    public init(source: DiscreteMeasure, target: DiscreteMeasure, cost: TransportCost = .squaredEuclidean) throws {
        guard source.dimension == target.dimension else {
            throw TransportError.dimensionMismatch(
                "the source points are \(source.dimension)-dimensional but the target points are \(target.dimension)-dimensional; give clouds with the same number of columns")
        }
        self.source = source
        self.target = target
        self.cost = cost
        self.costMatrix = cost.matrix(source.points, target.points)
        if let bad = costMatrix.elements.firstIndex(where: { !$0.isFinite }) {
            throw TransportError.invalidMeasure(
                "the cost between source point \(bad / target.count) and target point \(bad % target.count) is \(costMatrix.elements[bad]); the cost must be finite")
        }
    }

    /// The problem between two uniform clouds `[n, d]` and `[m, d]`.
    public init(sourcePoints: Matrix, targetPoints: Matrix, cost: TransportCost = .squaredEuclidean) throws {
        try self.init(source: .uniform(sourcePoints), target: .uniform(targetPoints), cost: cost)
    }

    /// A problem given directly by its cost matrix `[n, m]` (points are then just indices,
    /// `[n, 1]` and `[m, 1]`), e.g. for grids or hand-made tests.
    public init(costMatrix: Matrix, sourceWeights: [Double], targetWeights: [Double], requireUnitMass: Bool = true) throws {
        guard costMatrix.rows == sourceWeights.count, costMatrix.columns == targetWeights.count else {
            throw TransportError.dimensionMismatch(
                "the cost matrix is \(costMatrix.rows)×\(costMatrix.columns) but there are \(sourceWeights.count) source and \(targetWeights.count) target weights; give an [n, m] matrix")
        }
        if let bad = costMatrix.elements.firstIndex(where: { !$0.isFinite }) {
            throw TransportError.invalidMeasure("cost matrix entry \(bad) is \(costMatrix.elements[bad]); the cost must be finite")
        }
        self.source = try DiscreteMeasure(points: Matrix.column((0..<sourceWeights.count).map(Double.init)),
                                          weights: sourceWeights, requireUnitMass: requireUnitMass)
        self.target = try DiscreteMeasure(points: Matrix.column((0..<targetWeights.count).map(Double.init)),
                                          weights: targetWeights, requireUnitMass: requireUnitMass)
        self.cost = nil
        self.costMatrix = costMatrix
    }
}
