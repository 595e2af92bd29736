import Foundation
import Probability

/// Conservative remeshing of a mesh iterate whose triangles have become too thin.
///
/// The new mesh is the structured grid mesh (``TriangleMesh/grid(xLines:yLines:)``, square
/// cells, every angle ≈ 45°) on the bounding box of the current nodes, `remeshCells` cells
/// along its longer side. The piecewise-constant density ρ = Σ_T (M_T/A_T) 1_T is
/// transferred by exact intersection (``GridOverlay``):
///
///   M'_{T'} = Σ_T M_T · |T ∩ T'| / Σ_{S'} |T ∩ S'|,
///
/// so each old triangle hands out exactly its mass (the normalisation absorbs the rounding
/// of the clipped areas) and Σ M' = Σ M to rounding (≈ 10⁻¹⁶ per piece). New triangles
/// lighter than ``MeshJKOState/negligibleTriangleMass`` are dropped (as in the start mesh:
/// their orientation barrier would sit below the rounding of the energy) and their mass,
/// reported as ``MeshRemapReport/droppedMass``, is spread over the kept ones in proportion
/// to their masses, which keeps the total.
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
        let cellsX = width >= height ? remeshCells : max(1, Int((Double(remeshCells) * width / height).rounded()))
        let cellsY = width >= height ? max(1, Int((Double(remeshCells) * height / width).rounded())) : remeshCells
        let xs = (0...cellsX).map { xLo + (xHi - xLo) * Double($0) / Double(cellsX) }
        let ys = (0...cellsY).map { yLo + (yHi - yLo) * Double($0) / Double(cellsY) }
        let box = try TriangleMesh.grid(xLines: xs, yLines: ys)

        // Exact transfer: each old triangle's mass over its pieces in proportion to their areas.
        var raw = [Double](repeating: 0, count: box.triangleCount)
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
            pieceTriangles.append(cell)
            pieceAreas.append(piece.area)
        }
        flush()
        let oldTotal = state.triangleMasses.reduce(0, +)

        // Keep the non-negligible triangles (and their nodes), spread the dropped mass.
        var newIndex = [Int](repeating: -1, count: box.nodeCount)
        var positions = [Double](), triangles = [Int](), masses = [Double](), kept = [Int]()
        for t in 0..<box.triangleCount where raw[t] >= MeshJKOState.negligibleTriangleMass {
            for r in 0..<3 {
                let node = box.triangles[3 * t + r]
                if newIndex[node] < 0 {
                    newIndex[node] = positions.count / 2
                    positions += [box.referencePositions[2 * node], box.referencePositions[2 * node + 1]]
                }
                triangles.append(newIndex[node])
            }
            masses.append(raw[t])
            kept.append(t)
        }
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
