import Foundation
import Probability

/// Conservative remeshing of a mesh iterate whose triangles have become too thin.
///
/// The new mesh is the structured grid mesh (``TriangleMesh/grid(xLines:yLines:)``) on the
/// bounding box of the current nodes, built like the start mesh: with quantile spacing
/// (the default) `remeshCells` lines per axis at the quantiles of the blended marginal
/// G = ½F + ½·uniform of the current density (finer cells in the bulk, tail cells at most
/// 2× the uniform width; ``remeshUniformFraction``); with uniform spacing square cells,
/// `remeshCells` along the longer side (angles ≈ 45°). Wide tail cells matter: the
/// boundary of the support moves into the vacuum around it by ≈ h/Δx per step, so tail
/// triangles of the bulk's width are stretched by O(h/Δx²) in one step and degenerate
/// within a step or two (measured: a uniform remesh at 24 cells, h = 0.083, falls from
/// 45° to 0.1° in two steps), while the quantile mesh lasts tens of steps. The piecewise-constant density ρ = Σ_T (M_T/A_T) 1_T is
/// transferred by exact intersection (``GridOverlay``):
///
///   M'_{T'} = Σ_T M_T · |T ∩ T'| / Σ_{S'} |T ∩ S'|,
///
/// so each old triangle hands out exactly its mass (the normalisation absorbs the rounding
/// of the clipped areas) and Σ M' = Σ M to rounding (≈ 10⁻¹⁶ per piece). Two kinds of new
/// triangles are dropped: those lighter than ``MeshJKOState/negligibleTriangleMass`` (as
/// in the start mesh: their orientation barrier would sit below the rounding of the
/// energy), and those less than ``smallestCoverage`` inside the old support (at its
/// edge, where the old density is already in the far tail: a grid triangle covered by a
/// sliver of it would carry a density far below its neighbours', and the scheme crushes
/// such a triangle within a few steps). Their mass, reported as
/// ``MeshRemapReport/droppedMass`` (≈ 10⁻⁸ on the double well), is spread over the kept
/// triangles in proportion to their masses, which keeps the total.
///
/// First moments: a piecewise-constant transfer does not keep them by itself (the new
/// mass of T' sits at its centroid c_{T'}, the old one at the centroids of the pieces), the
/// defect δ = Σ_T M_T c_T − Σ_{T'} M'_{T'} c_{T'} is O(Δx²) per cell and cancels to O(Δx³)
/// over a smooth density. The new mesh is translated by δ, which makes E'[X] = E[X]
/// exactly (to rounding) and changes nothing else (it is reported as
/// ``MeshRemapReport/translation``). Second moments are not kept: the averaging over the
/// new triangles changes the covariance by O(Δx²).
///
/// The remap error reported is the exact L¹ distance ∫|ρ − ρ'| between the old density
/// and the new (translated) one, by a second overlay, and the change of the discrete
/// KL(ρ‖ν) (``relativeEntropy(of:)``); averaging lowers Σ ρ log ρ (Jensen), so the
/// change is usually negative: it is energy the scheme did not dissipate.
extension MeshJKO {
    /// New triangles covered by the old support over less than this fraction of their
    /// area are dropped (their mass spread over the kept ones).
    public static let smallestCoverage = 0.5

    /// `state` on a new well-shaped mesh of its support, masses transferred exactly (see
    /// above), with its step, time, step report and ``MeshJKOState/remap`` set.
    ///
    /// - Throws: ``GradientFlowError/meshRemapFailed(step:reason:)`` when the transfer
    ///   leaves fewer than two triangles or a non-finite mass.
    public func remesh(_ state: MeshJKOState) throws -> MeshJKOState {
        let step = state.stepIndex
        let p = state.positions
        var xLo = Double.infinity, xHi = -Double.infinity, yLo = Double.infinity, yHi = -Double.infinity
        for i in 0..<state.mesh.nodeCount {
            xLo = min(xLo, p[2 * i]); xHi = max(xHi, p[2 * i])
            yLo = min(yLo, p[2 * i + 1]); yHi = max(yHi, p[2 * i + 1])
        }
        let width = xHi - xLo, height = yHi - yLo
        guard width > 0, height > 0, width.isFinite, height.isFinite else {
            throw GradientFlowError.meshRemapFailed(step: step, reason: "the mesh's bounding box \(width) × \(height) is empty or not finite")
        }
        // A margin of 10⁻⁹ of the box keeps every old vertex strictly inside.
        let margin = 1e-9 * max(width, height)
        xLo -= margin; xHi += margin; yLo -= margin; yHi += margin
        let xs: [Double], ys: [Double]
        switch remeshSpacing {
        case .quantile:
            xs = Self.quantileLines(of: state, axis: 0, lo: xLo, hi: xHi, otherLo: yLo, otherHi: yHi, cells: remeshCells)
            ys = Self.quantileLines(of: state, axis: 1, lo: yLo, hi: yHi, otherLo: xLo, otherHi: xHi, cells: remeshCells)
        case .uniform:
            let cellsX = width >= height ? remeshCells : max(1, Int((Double(remeshCells) * width / height).rounded()))
            let cellsY = width >= height ? max(1, Int((Double(remeshCells) * height / width).rounded())) : remeshCells
            xs = (0...cellsX).map { xLo + (xHi - xLo) * Double($0) / Double(cellsX) }
            ys = (0...cellsY).map { yLo + (yHi - yLo) * Double($0) / Double(cellsY) }
        }
        let box = try TriangleMesh.grid(xLines: xs, yLines: ys)

        // Exact transfer: each old triangle's mass over its pieces in proportion to their areas.
        var raw = [Double](repeating: 0, count: box.triangleCount)
        var covered = [Double](repeating: 0, count: box.triangleCount)
        var pieceTriangles = [Int](), pieceAreas = [Double]()
        var current = -1
        func flush() {
            guard current >= 0 else { return }
            let total = pieceAreas.reduce(0, +)
            if total > 0 {
                let m = state.triangleMasses[current] / total
                for (k, t) in pieceTriangles.enumerated() { raw[t] += m * pieceAreas[k] }
            }
            pieceTriangles.removeAll(keepingCapacity: true)
            pieceAreas.removeAll(keepingCapacity: true)
        }
        GridOverlay(xLines: xs, yLines: ys).forEachPiece(of: state.mesh, positions: p) { t, cell, piece in
            if t != current { flush(); current = t }
            let area = piece.area
            pieceTriangles.append(cell)
            pieceAreas.append(area)
            covered[cell] += area
        }
        flush()
        let oldTotal = state.triangleMasses.reduce(0, +)

        // Keep the triangles (and their nodes) that are at least half inside the old support
        // and not negligible; spread the dropped mass.
        let cellsX = xs.count - 1
        func halfCell(_ t: Int) -> Double {
            let i = (t / 2) % cellsX, j = (t / 2) / cellsX
            return 0.5 * (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j])
        }
        var (positions, triangles, kept) = box.keeping { t in
            raw[t] >= MeshJKOState.negligibleTriangleMass && covered[t] >= MeshJKO.smallestCoverage * halfCell(t)
        }
        var masses = kept.map { raw[$0] }
        let keptTotal = masses.reduce(0, +)
        guard masses.count >= 2, keptTotal > 0, keptTotal.isFinite else {
            throw GradientFlowError.meshRemapFailed(step: step, reason: "the transfer left \(masses.count) non-negligible triangles carrying \(keptTotal)")
        }
        let dropped = raw.reduce(0, +) - keptTotal
        let scale = oldTotal / keptTotal
        masses = masses.map { $0 * scale }

        // Translate by the first-moment defect δ = E[X] − E'[X].
        let mesh = try TriangleMesh(nodeCount: positions.count / 2, triangles: triangles, referencePositions: positions)
        let untranslated = try MeshJKOState(mesh: mesh, positions: positions, triangleMasses: masses)
        let oldMean = state.mean, newMean = untranslated.mean
        let shift = [(oldMean[0] - newMean[0]) / oldTotal, (oldMean[1] - newMean[1]) / oldTotal]
        for i in 0..<mesh.nodeCount {
            positions[2 * i] += shift[0]
            positions[2 * i + 1] += shift[1]
        }
        let moved = try MeshJKOState(mesh: mesh, positions: positions, triangleMasses: masses)

        // L¹ between the old density and the new, translated one (exact overlay).
        let shiftedLines = (xs.map { $0 + shift[0] }, ys.map { $0 + shift[1] })
        var keptSlot = [Int](repeating: -1, count: box.triangleCount)
        for (k, t) in kept.enumerated() { keptSlot[t] = k }
        let newDensity = moved.triangleDensities, oldArea = state.areas
        var l1 = 0.0, coveredNew = 0.0
        var coveredOld = [Double](repeating: 0, count: state.mesh.triangleCount)
        GridOverlay(xLines: shiftedLines.0, yLines: shiftedLines.1).forEachPiece(of: state.mesh, positions: p) { t, cell, piece in
            let area = piece.area
            let rho = state.triangleMasses[t] / oldArea[t]
            coveredOld[t] += area
            if keptSlot[cell] >= 0 {
                let rhoNew = newDensity[keptSlot[cell]]
                l1 += abs(rho - rhoNew) * area
                coveredNew += rhoNew * area
            } else {
                l1 += rho * area
            }
        }
        for t in 0..<state.mesh.triangleCount {
            l1 += state.triangleMasses[t] * max(0, 1 - coveredOld[t] / oldArea[t])
        }
        l1 += max(0, masses.reduce(0, +) - coveredNew)

        let report = MeshRemapReport(
            step: step, previousMinimumAngle: state.minimumAngle, minimumAngle: moved.minimumAngle,
            previousTriangleCount: state.mesh.triangleCount, triangleCount: mesh.triangleCount,
            l1Error: l1, energyChange: relativeEntropy(of: moved) - relativeEntropy(of: state),
            droppedMass: dropped, translation: shift, massDefect: masses.reduce(0, +) - oldTotal)
        return try MeshJKOState(mesh: mesh, positions: positions, triangleMasses: masses, stepIndex: state.stepIndex,
                                time: state.time, report: state.report, truncatedMass: state.truncatedMass,
                                remap: report, remapCount: state.remapCount + 1)
    }
}

extension MeshJKO {
    /// Uniform weight β of the blended marginal CDF of quantile remeshing (the start mesh,
    /// ``TriangleMesh/quantileLines(of:cells:excludedMass:uniformFraction:)``, uses ¼):
    /// tail cells at most 1/β times the uniform width. Measured on `double-well-2d` with
    /// h = 2/n: β = ¼ leaves tail cells so coarse that each remap raises the KL by ≈ 10⁻²
    /// (KL 0.014 at t = 3, 32 cells, h = 0.05); β = ½ halves the L¹ remap errors and reaches
    /// KL 0.0065 (L¹ to finite volumes 0.028 against 0.038); β = ¾ (near-uniform tails)
    /// degenerates past the guard within a step of a remap at 32 and 48 cells.
    static let remeshUniformFraction = 0.5

    /// Grid lines lo = ℓ₀ < … < ℓ_cells = hi along `axis` where the blended marginal CDF
    /// G = (1 − β)F + β(x − lo)/(hi − lo) of the mesh density reaches k/cells. F is exact
    /// at 64·cells bin edges (``MeshJKOState/gridMasses(xEdges:yEdges:)``, one strip per
    /// bin) and linear between them; G is strictly increasing (β > 0), so the lines are.
    static func quantileLines(of state: MeshJKOState, axis: Int, lo: Double, hi: Double,
                              otherLo: Double, otherHi: Double, cells: Int) -> [Double] {
        let bins = 64 * cells
        let edges = (0...bins).map { lo + (hi - lo) * Double($0) / Double(bins) }
        let strips = axis == 0
            ? state.gridMasses(xEdges: edges, yEdges: [otherLo, otherHi]).masses.elements
            : state.gridMasses(xEdges: [otherLo, otherHi], yEdges: edges).masses.elements
        let total = strips.reduce(0, +)
        var blended = [0.0]
        var running = 0.0
        for k in 0..<bins {
            running += strips[k]
            blended.append((1 - remeshUniformFraction) * running / total + remeshUniformFraction * Double(k + 1) / Double(bins))
        }
        var lines = [lo]
        var k = 0
        for q in 1..<cells {
            let target = Double(q) / Double(cells)
            while k < bins - 1 && blended[k + 1] < target { k += 1 }
            let s = (target - blended[k]) / (blended[k + 1] - blended[k])
            lines.append(edges[k] + min(1, max(0, s)) * (edges[k + 1] - edges[k]))
        }
        lines.append(hi)
        return lines
    }
}

/// How one conservative remap went (``MeshJKO/remesh(_:)``).
public struct MeshRemapReport: Sendable, Equatable {
    /// The step k whose iterate was remapped.
    public let step: Int
    /// The smallest angle (degrees) of the mesh before the remap (what triggered it).
    public let previousMinimumAngle: Double
    /// The smallest angle (degrees) of the new mesh.
    public let minimumAngle: Double
    /// Triangles before and after.
    public let previousTriangleCount: Int
    public let triangleCount: Int
    /// ∫|ρ − ρ'|, old density against the new one (exact).
    public let l1Error: Double
    /// KL(ρ'‖ν) − KL(ρ‖ν) of the piecewise-constant densities (``MeshJKO/relativeEntropy(of:)``).
    public let energyChange: Double
    /// Mass of the dropped negligible new triangles (spread over the kept ones).
    public let droppedMass: Double
    /// The translation δ applied to the new mesh to keep the mean, `[2]`.
    public let translation: [Double]
    /// Σ M' − Σ M (rounding).
    public let massDefect: Double
}
