import Foundation

/// The exact overlay of a triangle mesh with the structured triangulation of a tensor grid
/// (``TriangleMesh/grid(xLines:yLines:)``: cell (i, j) cut along alternating diagonals):
/// every non-empty intersection T ∩ T' of a mesh triangle T with a grid triangle T', as a
/// convex polygon.
///
/// Each triangle is split into column strips by the vertical lines, each strip into cells by
/// the horizontal lines (``ConvexPolygon/split(axis:at:)``, the crossing points shared by
/// both parts), and each cell piece into the cell's two triangles by its diagonal. The
/// pieces of T partition T ∩ box up to rounding (≈ 10⁻¹⁶ relative per cut), which is what
/// the conservative remap (``MeshJKO/remesh(_:)``) and its error rest on. Cost O(T + pieces).
struct GridOverlay {
    /// Vertical lines (strictly increasing, ≥ 2).
    let xLines: [Double]
    /// Horizontal lines (strictly increasing, ≥ 2).
    let yLines: [Double]

    var cellsX: Int { xLines.count - 1 }
    var cellsY: Int { yLines.count - 1 }

    /// The grid triangle index (``TriangleMesh/grid(xLines:yLines:)`` numbering) of half
    /// `half` (0 or 1) of cell (i, j).
    func triangleIndex(i: Int, j: Int, half: Int) -> Int { 2 * (j * cellsX + i) + half }

    /// Calls `visit(t, gridTriangle, piece)` for every non-empty piece T_t ∩ T' of every
    /// triangle t of `mesh` at `positions` (counter-clockwise, area > 0).
    func forEachPiece(of mesh: TriangleMesh, positions p: [Double],
                      _ visit: (_ triangle: Int, _ gridTriangle: Int, _ piece: ConvexPolygon) -> Void) {
        let nx = cellsX, ny = cellsY
        for t in 0..<mesh.triangleCount {
            let a = mesh.triangles[3 * t], b = mesh.triangles[3 * t + 1], c = mesh.triangles[3 * t + 2]
            let triangle = ConvexPolygon(p[2 * a], p[2 * a + 1], p[2 * b], p[2 * b + 1], p[2 * c], p[2 * c + 1])
            let xLo = min(p[2 * a], p[2 * b], p[2 * c]), xHi = max(p[2 * a], p[2 * b], p[2 * c])
            let yLo = min(p[2 * a + 1], p[2 * b + 1], p[2 * c + 1]), yHi = max(p[2 * a + 1], p[2 * b + 1], p[2 * c + 1])
            let iLo = max(0, MeshJKOState.cellIndex(xLines, xLo)), iHi = min(nx - 1, MeshJKOState.cellIndex(xLines, xHi))
            let jLo = max(0, MeshJKOState.cellIndex(yLines, yLo)), jHi = min(ny - 1, MeshJKOState.cellIndex(yLines, yHi))
            guard iLo <= iHi, jLo <= jHi else { continue }
            var rest = triangle.split(axis: 0, at: xLines[iLo]).above
            for i in iLo...iHi {
                if rest.isEmpty { break }
                let columns = rest.split(axis: 0, at: xLines[i + 1])
                rest = columns.above
                var strip = columns.below.split(axis: 1, at: yLines[jLo]).above
                for j in jLo...jHi {
                    if strip.isEmpty { break }
                    let rows = strip.split(axis: 1, at: yLines[j + 1])
                    strip = rows.above
                    let cell = rows.below
                    if cell.isEmpty { continue }
                    let (first, second) = halves(of: cell, i: i, j: j)
                    if !first.isEmpty { visit(t, triangleIndex(i: i, j: j, half: 0), first) }
                    if !second.isEmpty { visit(t, triangleIndex(i: i, j: j, half: 1), second) }
                }
            }
        }
    }

    /// A polygon inside cell (i, j) cut by the cell's diagonal into its parts in the cell's
    /// two grid triangles: for i + j even the diagonal runs from (x_i, y_j) to
    /// (x_{i+1}, y_{j+1}) and the halves are (n00, n10, n11), (n00, n11, n01); for i + j odd
    /// it runs from (x_{i+1}, y_j) to (x_i, y_{j+1}), halves (n00, n10, n01), (n10, n11, n01).
    func halves(of piece: ConvexPolygon, i: Int, j: Int) -> (ConvexPolygon, ConvexPolygon) {
        let x0 = xLines[i], x1 = xLines[i + 1], y0 = yLines[j], y1 = yLines[j + 1]
        if (i + j) % 2 == 0 {
            return (piece.clipped(toLeftOf: x1, y1, x0, y0), piece.clipped(toLeftOf: x0, y0, x1, y1))
        }
        return (piece.clipped(toLeftOf: x1, y0, x0, y1), piece.clipped(toLeftOf: x0, y1, x1, y0))
    }
}
