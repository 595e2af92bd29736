import Foundation
import NumericalCore

/// The mesh density on a rectangular grid, conserving mass exactly.
///
/// Each triangle's mass mass_T is spread over the grid cells it overlaps in proportion to
/// the overlap areas: mass(cell) = Σ_T (mass_T / area_T) · |T ∩ cell|. The overlaps are
/// computed by exact polygon clipping (the triangle is split into column strips by the
/// vertical grid lines, each strip into cells by the horizontal ones; ``ConvexPolygon``),
/// so the cell masses of one triangle add up to its mass up to rounding (≈ 10⁻¹⁶
/// relative), and the grid holds the mesh's total mass minus what lies outside the box,
/// which is reported.
public struct MeshGridMasses: Sendable {
    /// Mass per cell, `[xCells, yCells]` with entry (i, j) the mass of
    /// [xEdges[i], xEdges[i+1]] × [yEdges[j], yEdges[j+1]].
    public let masses: Matrix
    /// Mesh mass outside the grid box (≥ 0 up to rounding).
    public let massOutside: Double
}

extension MeshJKOState {
    /// The exact cell masses of the piecewise-constant mesh density on the tensor grid with
    /// cell edges `xEdges`, `yEdges` (each strictly increasing, ≥ 2 entries).
    /// Cost O(T + cells overlapped · polygon size).
    public func gridMasses(xEdges: [Double], yEdges: [Double]) -> MeshGridMasses {
        precondition(xEdges.count >= 2 && yEdges.count >= 2, "gridMasses: each axis needs at least 2 edges")
        let nx = xEdges.count - 1, ny = yEdges.count - 1
        var out = Matrix(rows: nx, columns: ny)
        var inside = 0.0
        let p = positions
        for t in 0..<mesh.triangleCount {
            let a = mesh.triangles[3 * t], b = mesh.triangles[3 * t + 1], c = mesh.triangles[3 * t + 2]
            let triangle = ConvexPolygon(p[2 * a], p[2 * a + 1], p[2 * b], p[2 * b + 1], p[2 * c], p[2 * c + 1])
            let area = triangle.area
            guard area > 0 else { continue }
            let rho = triangleMasses[t] / area
            let xs = [p[2 * a], p[2 * b], p[2 * c]], ys = [p[2 * a + 1], p[2 * b + 1], p[2 * c + 1]]
            // Columns i with [xEdges[i], xEdges[i+1]] meeting the triangle's x-range.
            let iLo = max(0, Self.cellIndex(xEdges, xs.min()!)), iHi = min(nx - 1, Self.cellIndex(xEdges, xs.max()!))
            let jLo = max(0, Self.cellIndex(yEdges, ys.min()!)), jHi = min(ny - 1, Self.cellIndex(yEdges, ys.max()!))
            guard iLo <= iHi, jLo <= jHi else { continue }
            // Cut off what lies left of the box, then peel one column strip at a time.
            var rest = triangle.split(axis: 0, at: xEdges[iLo]).above
            for i in iLo...iHi {
                if rest.isEmpty { break }
                let parts = rest.split(axis: 0, at: xEdges[i + 1])
                rest = parts.above
                var strip = parts.below.split(axis: 1, at: yEdges[jLo]).above
                for j in jLo...jHi {
                    if strip.isEmpty { break }
                    let cells = strip.split(axis: 1, at: yEdges[j + 1])
                    strip = cells.above
                    let piece = cells.below.area
                    if piece > 0 {
                        out[i, j] += rho * piece
                        inside += rho * piece
                    }
                }
            }
        }
        return MeshGridMasses(masses: out, massOutside: triangleMasses.reduce(0, +) - inside)
    }

    /// Cell averages of the mesh density on a 2D finite-volume grid: mass(cell)/Δx², flat
    /// row-major `[count₀, count₁]` (the grid's flat index), and the mass outside its box.
    /// The values integrate (Σ ρᵢ Δx²) to the mesh mass minus `massOutside`.
    public func cellAverages(on grid: FiniteVolumeGrid) -> (density: [Double], massOutside: Double) {
        precondition(grid.dimension == 2, "cellAverages(on:): the mesh is planar, the grid must be 2D")
        let h = grid.spacing
        let xEdges = (0...grid.cellCounts[0]).map { grid.lower[0] + Double($0) * h }
        let yEdges = (0...grid.cellCounts[1]).map { grid.lower[1] + Double($0) * h }
        let result = gridMasses(xEdges: xEdges, yEdges: yEdges)
        let volume = grid.cellVolume
        return (result.masses.elements.map { $0 / volume }, result.massOutside)
    }

    /// The cell k with edges[k] ≤ value < edges[k+1] (−1 below the first edge, edges.count − 1 at or above the last).
    static func cellIndex(_ edges: [Double], _ value: Double) -> Int {
        var lo = 0, hi = edges.count
        while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= value { lo = mid + 1 } else { hi = mid } }
        return lo - 1
    }
}
