import NumericalCore

/// A discrete measure μ = Σᵢ wᵢ δ_{xᵢ} on ℝᵈ: `n` points (rows of a `[n, d]` matrix) with
/// non-negative weights.
///
/// Validation happens once, here, so every solver can trust its input:
/// - at least one point and one coordinate, every coordinate finite;
/// - `weights.count == n`, every weight finite and ≥ 0, total mass > 0;
/// - with `requireUnitMass` (the default, needed by balanced OT), |Σᵢ wᵢ − 1| ≤ 1e-9.
///   Unbalanced problems pass `requireUnitMass: false` and may carry any positive mass.
///
/// Failures throw ``TransportError/invalidMeasure(_:)`` with a sentence that says what to fix.
public struct DiscreteMeasure: Sendable, Equatable {
    /// Support points, `[n, d]`, row-major: point i is `points.row(i)`.
    public let points: Matrix
    /// Mass of each point, length n.
    public let weights: [Double]
    /// True when all weights are equal (the case of the fast assignment solver).
    public let isUniform: Bool

    /// Tolerance on |Σ w − 1| for measures that must be probability measures.
    public static let massTolerance = 1e-9

    /// Number of points n.
    public var count: Int { points.rows }
    /// Ambient dimension d.
    public var dimension: Int { points.columns }
    /// Σᵢ wᵢ.
    public var totalMass: Double { weights.reduce(0, +) }

    /// A measure with the given points and weights; `weights == nil` means uniform 1/n.
    public init(points: Matrix, weights: [Double]? = nil, requireUnitMass: Bool = true) throws {
        let n = points.rows
        guard n > 0 else {
            throw TransportError.invalidMeasure("the measure has no points; give at least one point (a [n, d] matrix with n ≥ 1)")
        }
        guard points.columns > 0 else {
            throw TransportError.invalidMeasure("the points have no coordinates; give a [n, d] matrix with d ≥ 1")
        }
        if let bad = points.elements.firstIndex(where: { !$0.isFinite }) {
            throw TransportError.invalidMeasure(
                "point \(bad / points.columns) has a NaN or infinite coordinate (\(points.elements[bad])); remove or fix it")
        }
        let w = weights ?? [Double](repeating: 1 / Double(n), count: n)
        guard w.count == n else {
            throw TransportError.dimensionMismatch("there are \(n) points but \(w.count) weights; give one weight per point")
        }
        if let bad = w.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw TransportError.invalidMeasure(
                "weight \(bad) is \(w[bad]); weights must be finite and non-negative")
        }
        let total = w.reduce(0, +)
        guard total > 0 else {
            throw TransportError.invalidMeasure("all weights are zero; give a measure with positive total mass")
        }
        if requireUnitMass && abs(total - 1) > Self.massTolerance {
            throw TransportError.invalidMeasure(
                "the weights sum to \(total), not 1; normalise them (divide by their sum) or use an unbalanced solver")
        }
        self.points = points
        self.weights = w
        self.isUniform = weights == nil || w.allSatisfy { $0 == w[0] }
    }

    /// The empirical measure (1/n) Σᵢ δ_{xᵢ} of a cloud `[n, d]`.
    public static func uniform(_ points: Matrix) throws -> DiscreteMeasure {
        try DiscreteMeasure(points: points)
    }

    /// A one-dimensional measure from values and optional weights.
    public static func line(_ values: [Double], weights: [Double]? = nil, requireUnitMass: Bool = true) throws -> DiscreteMeasure {
        try DiscreteMeasure(points: Matrix.column(values), weights: weights, requireUnitMass: requireUnitMass)
    }
}
