import Foundation
import NumericalCore
import Probability

/// A cell-centred uniform grid on a box in one or two dimensions, the support of the
/// finite-volume Fokker–Planck solver. Walls carry no flux, so the box must hold all but a
/// negligible part of the mass (choose it a few standard deviations beyond the data).
///
/// Cells per axis `cellCounts[a]`, spacing Δx_a = (upper − lower)/count (equal on both axes
/// in 2D); cell (i, j) has centre (lower₀ + (i + ½)Δx, lower₁ + (j + ½)Δx) and flat index
/// i·count₁ + j (row-major `[count₀, count₁]`, x₁ along rows).
public struct FiniteVolumeGrid: Sendable, Equatable {
    public let lower: [Double]
    public let upper: [Double]
    public let cellCounts: [Int]

    public init(lower: [Double], upper: [Double], cellCounts: [Int]) throws {
        let d = lower.count
        guard d == 1 || d == 2, upper.count == d, cellCounts.count == d else {
            throw GradientFlowError.invalidGrid("a finite-volume grid has dimension 1 or 2 with one lower bound, upper bound and cell count per axis")
        }
        guard zip(lower, upper).allSatisfy({ $0.isFinite && $1.isFinite && $0 < $1 }), cellCounts.allSatisfy({ $0 >= 3 }) else {
            throw GradientFlowError.invalidGrid("the grid box needs lower < upper on each axis and at least 3 cells per axis; got \(lower), \(upper), \(cellCounts)")
        }
        if d == 2 {
            let h0 = (upper[0] - lower[0]) / Double(cellCounts[0]), h1 = (upper[1] - lower[1]) / Double(cellCounts[1])
            guard abs(h0 - h1) <= 1e-12 * max(h0, h1) else {
                throw GradientFlowError.invalidGrid("2D finite volumes need square cells; the spacings \(h0) and \(h1) differ: adjust the box or the cell counts")
            }
        }
        self.lower = lower
        self.upper = upper
        self.cellCounts = cellCounts
    }

    /// The 1D grid of `cellCount` cells on [lower, upper].
    public init(lower: Double, upper: Double, cellCount: Int) throws {
        try self.init(lower: [lower], upper: [upper], cellCounts: [cellCount])
    }

    /// The square 2D grid [lower, upper]² with `cellCount` cells per axis.
    public init(squareLower lower: Double, upper: Double, cellCount: Int) throws {
        try self.init(lower: [lower, lower], upper: [upper, upper], cellCounts: [cellCount, cellCount])
    }

    public var dimension: Int { lower.count }
    public var cellCount: Int { cellCounts.reduce(1, *) }
    /// Δx.
    public var spacing: Double { (upper[0] - lower[0]) / Double(cellCounts[0]) }
    /// Δxᵈ.
    public var cellVolume: Double { dimension == 1 ? spacing : spacing * spacing }

    /// The cell centres along axis `axis`.
    public func centres(axis: Int) -> [Double] {
        let h = spacing
        return (0..<cellCounts[axis]).map { lower[axis] + (Double($0) + 0.5) * h }
    }

    /// The centres of all cells, `[cellCount, d]` flat (row-major), in flat-index order.
    public var points: [Double] {
        if dimension == 1 { return centres(axis: 0) }
        let a = centres(axis: 0), b = centres(axis: 1)
        var out = [Double]()
        out.reserveCapacity(2 * cellCount)
        for x in a { for y in b { out.append(x); out.append(y) } }
        return out
    }

    /// V at every cell centre.
    public func potentialValues(_ potential: any Potential) -> [Double] {
        let pts = points
        var out = [Double](repeating: 0, count: cellCount)
        pts.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                potential.evaluate(count: cellCount, points: p.baseAddress!, values: o.baseAddress!, gradients: nil, hessians: nil)
            }
        }
        return out
    }

    /// Cell values of a density given by its log, normalised to unit mass on the grid
    /// (the mass outside the box is dropped).
    public func project(logDensity: ([Double]) -> Double) -> [Double] {
        let d = dimension, pts = points
        var values = (0..<cellCount).map { Foundation.exp(logDensity(Array(pts[($0 * d)..<(($0 + 1) * d)]))) }
        let mass = values.reduce(0, +) * cellVolume
        for i in values.indices { values[i] /= mass }
        return values
    }

    /// Σ ρᵢ Δxᵈ.
    public func mass(_ density: [Double]) -> Double { density.reduce(0, +) * cellVolume }

    /// F(ρ) = Σ (ρᵢ log ρᵢ + ρᵢ Vᵢ) Δxᵈ + log Z (log Z as 0 when unknown), 0·log 0 = 0.
    public func energy(_ density: [Double], potential: any Potential) -> Double {
        let v = potentialValues(potential)
        var s = 0.0
        for i in density.indices where density[i] > 0 { s += density[i] * (Foundation.log(density[i]) + v[i]) }
        return s * cellVolume + (potential.logPartitionFunction ?? 0)
    }

    /// Σ |ρᵢ − σᵢ| Δxᵈ (an L¹ distance between two grid densities).
    public func l1Distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } * cellVolume
    }
}
