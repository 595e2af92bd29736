import Foundation
import NumericalCore

/// The Gibbs target ν ∝ e^{−V} in one or two dimensions, tabulated on a fine grid of a box
/// and sampled by inverse CDF.
///
/// Nodes: `gridCount + 1` per axis on [lower, upper] (1D) or its square box (2D, the same
/// bounds on both axes). The sampled law is the piecewise-linear (1D) or bilinear (2D)
/// interpolant of e^{−V} on the box, normalised. 1D: inverse CDF, exact for the
/// interpolant. 2D: x₁ from the marginal of the bilinear interpolant (piecewise linear),
/// then x₂ from the conditional, which is the mixture of the two neighbouring grid rows
/// with weights (1−t)·massᵢ, t·massᵢ₊₁; both draws exact for the interpolant.
///
/// Stated error (total variation to ν): at most ``truncatedMassEstimate`` (mass of ν
/// outside the box, estimated on a box three times as wide) plus the interpolation error,
/// O(Δx²), estimated by ``interpolationErrorEstimate`` = |Z_trapezoid − Z_Simpson|/Z.
/// Use an exact sampler when one exists (`QuadraticPotential.gaussian`, `MixturePotential.mixture`).
public struct GibbsDistribution: Distribution {
    public let potential: any Potential
    public let lower: Double
    public let upper: Double
    public let gridCount: Int
    /// log Z, Z = ∫_box e^{−V} by the trapezoidal rule of the grid.
    public let logNormalizer: Double
    public let truncatedMassEstimate: Double
    public let interpolationErrorEstimate: Double
    public let mean: [Double]
    public let covariance: Matrix
    /// 1D: the density; 2D: the x₁-marginal.
    let marginal: PiecewiseLinearDensity
    /// 2D only: row i is x₂ ↦ e^{−V(xᵢ, x₂)}.
    let rows: [PiecewiseLinearDensity]

    /// - Parameters:
    ///   - potential: V with d = 1 or 2; must be confining.
    ///   - lower, upper: the box [lower, upper]ᵈ.
    ///   - gridCount: cells per axis M (even, ≥ 2); 2D work and memory O(M²).
    public init(potential: any Potential, lower: Double, upper: Double, gridCount: Int = 2000) throws {
        let d = potential.dimension
        guard d == 1 || d == 2 else {
            throw PotentialError.invalidParameter("a grid Gibbs sampler exists for d = 1 or 2; this potential has d = \(d)")
        }
        guard lower < upper, lower.isFinite, upper.isFinite, gridCount >= 2, gridCount % 2 == 0 else {
            throw PotentialError.invalidParameter(
                "the Gibbs grid needs a box lower < upper and an even gridCount ≥ 2; got [\(lower), \(upper)] and \(gridCount)")
        }
        try potential.checkConfinement()
        self.potential = potential
        self.lower = lower
        self.upper = upper
        self.gridCount = gridCount
        let m = gridCount, h = (upper - lower) / Double(m)
        let x = (0...m).map { lower + Double($0) * h }
        // Shift by the smallest grid value of V so that e^{−(V − V_min)} ≤ 1 never overflows.
        var vGrid = [Double]()
        if d == 1 { vGrid = x.map { potential.value([$0]) } } else {
            vGrid.reserveCapacity((m + 1) * (m + 1))
            for a in x { for b in x { vGrid.append(potential.value([a, b])) } }
        }
        let vMin = vGrid.min()!
        let u = vGrid.map { Foundation.exp(-($0 - vMin)) }
        let simpson = (0...m).map { j -> Double in j == 0 || j == m ? 1 : (j % 2 == 1 ? 4 : 2) }.map { $0 * h / 3 }
        if d == 1 {
            marginal = PiecewiseLinearDensity(lower: lower, spacing: h, nodeValues: u)
            rows = []
            let zs = zip(u, simpson).reduce(0) { $0 + $1.0 * $1.1 }
            interpolationErrorEstimate = abs(marginal.total - zs) / marginal.total
            let (m1, m2) = marginal.firstMoments
            let mu = m1 / marginal.total
            mean = [mu]
            covariance = Matrix([[m2 / marginal.total - mu * mu]])
        } else {
            rows = (0...m).map { i in PiecewiseLinearDensity(lower: lower, spacing: h, nodeValues: Array(u[(i * (m + 1))...(i * (m + 1) + m)])) }
            marginal = PiecewiseLinearDensity(lower: lower, spacing: h, nodeValues: rows.map(\.total))
            var zs = 0.0
            for i in 0...m { for j in 0...m { zs += simpson[i] * simpson[j] * u[i * (m + 1) + j] } }
            interpolationErrorEstimate = abs(marginal.total - zs) / marginal.total
            // Moments by the trapezoidal rule on the nodes (O(Δx²), like the interpolant).
            var s0 = 0.0, s1 = [0.0, 0.0], s2 = [0.0, 0.0, 0.0]
            for i in 0...m {
                for j in 0...m {
                    let w = (i == 0 || i == m ? 0.5 : 1) * (j == 0 || j == m ? 0.5 : 1) * u[i * (m + 1) + j]
                    s0 += w; s1[0] += w * x[i]; s1[1] += w * x[j]
                    s2[0] += w * x[i] * x[i]; s2[1] += w * x[i] * x[j]; s2[2] += w * x[j] * x[j]
                }
            }
            let mu = [s1[0] / s0, s1[1] / s0]
            mean = mu
            let c01 = s2[1] / s0 - mu[0] * mu[1]
            covariance = Matrix([[s2[0] / s0 - mu[0] * mu[0], c01], [c01, s2[2] / s0 - mu[1] * mu[1]]])
        }
        logNormalizer = Foundation.log(marginal.total) - vMin
        truncatedMassEstimate = GibbsDistribution.outsideMass(potential, lower: lower, upper: upper,
                                                             logNormalizer: logNormalizer)
    }

    public var dimension: Int { potential.dimension }

    /// Mass of e^{−V}/Z on [c − 3w/2, c + 3w/2]ᵈ minus the box [lower, upper]ᵈ (w the width),
    /// by the midpoint rule on 600 cells per axis (1D) or 300 (2D).
    static func outsideMass(_ potential: any Potential, lower: Double, upper: Double, logNormalizer: Double) -> Double {
        let d = potential.dimension
        let centre = 0.5 * (lower + upper), width = upper - lower
        let a = centre - 1.5 * width
        let n = d == 1 ? 600 : 300, h = 3 * width / Double(n)
        let mids = (0..<n).map { a + (Double($0) + 0.5) * h }
        func inBox(_ t: Double) -> Bool { t >= lower && t <= upper }
        var outside = 0.0
        if d == 1 {
            for t in mids where !inBox(t) { outside += Foundation.exp(-potential.value([t]) - logNormalizer) * h }
        } else {
            for s in mids { for t in mids where !(inBox(s) && inBox(t)) {
                outside += Foundation.exp(-potential.value([s, t]) - logNormalizer) * h * h
            } }
        }
        return outside
    }

    /// log ν(x) = −V(x) − log Z (the target's log-density, normalised on the box).
    public func logDensity(_ point: [Double]) -> Double { -potential.value(point) - logNormalizer }

    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        let d = dimension
        var out = Matrix(rows: count, columns: d)
        for k in 0..<count {
            let x1 = marginal.quantile(generator.uniform())
            out[k, 0] = x1
            guard d == 2 else { continue }
            let position = min(max((x1 - lower) / marginal.spacing, 0), Double(gridCount))
            let i = min(Int(position), gridCount - 1)
            let t = position - Double(i)
            let w0 = (1 - t) * rows[i].total, w1 = t * rows[i + 1].total
            let row = generator.uniform() * (w0 + w1) < w0 ? rows[i] : rows[i + 1]
            out[k, 1] = row.quantile(generator.uniform())
        }
        return out
    }
}
