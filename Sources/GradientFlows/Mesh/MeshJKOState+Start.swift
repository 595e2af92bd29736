import Foundation
import NumericalCore
import Probability

/// Start states of the moving-mesh scheme: a grid mesh whose triangles carry ρ₀'s mass.
///
/// The piecewise-constant start ρ_h = mass_T/area_T represents ρ₀ up to two errors, both
/// reported: the mass left out (outside the box, or in dropped negligible triangles;
/// ``truncatedMass``) and the spreading of each triangle's mass uniformly over it, bounded
/// in W₂ by ``startTransportBound(density:)`` (O(largest cell width), so it shrinks under
/// refinement once the tail cells are refined too; see ``TriangleMesh/quantileLines(of:cells:excludedMass:uniformFraction:)``).
extension MeshJKOState {
    /// Triangles of the start mesh lighter than this (total mass 1) are dropped: their
    /// energy M log(M/A) would sit near the rounding of the total energy (≈ 10⁻¹⁴), so the
    /// line search could not see their orientation barrier and they would collapse. At
    /// most 10⁻¹² × triangleCount of mass goes (in the far corners of the box).
    public static let negligibleTriangleMass = 1e-12

    /// Sub-triangles per edge of the quadrature of ∫_T ρ₀ (L = 3: 9 sub-triangles, each
    /// with Dunavant's 7-point degree-5 rule).
    public static let quadratureSubdivisions = 3

    /// How the grid lines of a start mesh are placed.
    public enum Spacing: String, Sendable, CaseIterable {
        /// Equal square-ish cells over the box. The far tails get very light triangles next
        /// to heavier ones; as the tails expand those are crushed (Newton stalls), so this
        /// suits short runs only.
        case uniform
        /// Lines at the quantiles of a blend of the marginal and the uniform law on the box
        /// (``TriangleMesh/quantileLines(of:cells:excludedMass:uniformFraction:)``): cells
        /// of roughly equal mass in the bulk, with tail cells no wider than the box over a
        /// quarter of the cells.
        case quantile
    }

    /// The start iterate for a density on the grid mesh with lines `xLines`, `yLines`
    /// (``TriangleMesh/grid(xLines:yLines:)``).
    ///
    /// mass_T = ∫_T ρ₀ by Dunavant's 7-point degree-5 rule on each of the
    /// ``quadratureSubdivisions``² sub-triangles of T. Triangles lighter than
    /// ``negligibleTriangleMass`` are dropped with the nodes only they use; the kept masses
    /// are normalised to total mass 1, so the mass outside the box and the dropped mass are
    /// redistributed proportionally (``truncatedMass`` reports both).
    public static func start(density: some Distribution, xLines: [Double], yLines: [Double]) throws -> MeshJKOState {
        guard density.dimension == 2 else {
            throw GradientFlowError.dimensionMismatch("the mesh scheme is planar, but the start density has dimension \(density.dimension); give a 2D density")
        }
        let box = try TriangleMesh.grid(xLines: xLines, yLines: yLines)
        let raw = triangleMoments(of: density, on: box, positions: box.referencePositions).map(\.mass)
        let (positions, triangles, kept) = box.keeping { raw[$0] >= negligibleTriangleMass }
        let masses = kept.map { raw[$0] }
        let total = masses.reduce(0, +)
        guard masses.count >= 2, total > 0, total.isFinite else {
            throw GradientFlowError.invalidMesh("the start density carries \(total) on the box [\(xLines[0]), \(xLines[xLines.count - 1])] × [\(yLines[0]), \(yLines[yLines.count - 1])] in \(masses.count) non-negligible triangles; choose a box that holds its mass and a finer grid")
        }
        let mesh = try TriangleMesh(nodeCount: positions.count / 2, triangles: triangles, referencePositions: positions)
        return try MeshJKOState(mesh: mesh, positions: positions, triangleMasses: masses.map { $0 / total },
                                truncatedMass: 1 - total)
    }

    /// The start iterate for a planar Gaussian mixture on a box that holds all but
    /// `excludedMass` (default 10⁻⁶) of it (``TriangleMesh/coveringBox(of:excludedMass:)``),
    /// with `cellsPerSide` cells along each axis (uniform: along the longer side, square
    /// cells). The default quantile spacing gives cells of roughly equal mass in the bulk
    /// and caps the tail cells' width, so the start's moments and W₂ to ρ₀ converge under
    /// refinement (measured in the tests: covariance error O(1/cells²)).
    public static func start(mixture: GaussianMixture, cellsPerSide: Int, excludedMass: Double = 1e-6,
                             spacing: Spacing = .quantile) throws -> MeshJKOState {
        switch spacing {
        case .quantile:
            let lines = try TriangleMesh.quantileLines(of: mixture, cells: cellsPerSide, excludedMass: excludedMass)
            return try start(density: mixture, xLines: lines.x, yLines: lines.y)
        case .uniform:
            let box = try TriangleMesh.coveringBox(of: mixture, excludedMass: excludedMass)
            let width = box.x.upperBound - box.x.lowerBound, height = box.y.upperBound - box.y.lowerBound
            let cellsX = width >= height ? cellsPerSide : max(1, Int((Double(cellsPerSide) * width / height).rounded()))
            let cellsY = width >= height ? max(1, Int((Double(cellsPerSide) * height / width).rounded())) : cellsPerSide
            let xs = (0...cellsX).map { box.x.lowerBound + width * Double($0) / Double(cellsX) }
            let ys = (0...cellsY).map { box.y.lowerBound + height * Double($0) / Double(cellsY) }
            return try start(density: mixture, xLines: xs, yLines: ys)
        }
    }

    /// An upper bound on W₂(ρ₀|_mesh, ρ_h) for a start state built from `density`:
    /// ρ₀|_mesh is ρ₀ restricted to the mesh's triangles and normalised (mass
    /// 1 − ``truncatedMass`` moved by the normalisation is not counted). Coupling each
    /// triangle's piece of ρ₀ independently with the uniform law on the triangle,
    ///
    ///   W₂² ≤ Σ_T m_T (Var_{ρ₀|T} + Var_{U(T)} + |E_{ρ₀|T}[X] − c_T|²),  c_T the centroid,
    ///
    /// all by the same quadrature as the masses. O(Σ_T m_T diam_T²)^{1/2}.
    public func startTransportBound(density: some Distribution) -> Double {
        let moments = Self.triangleMoments(of: density, on: mesh, positions: positions)
        var total = 0.0
        for t in 0..<mesh.triangleCount where moments[t].mass > 0 {
            let m = moments[t]
            let meanX = m.firstX / m.mass, meanY = m.firstY / m.mass
            let varianceRho = m.second / m.mass - meanX * meanX - meanY * meanY
            var sx = 0.0, sy = 0.0, q = 0.0
            for r in 0..<3 {
                let n = mesh.triangles[3 * t + r]
                let x = positions[2 * n], y = positions[2 * n + 1]
                sx += x; sy += y; q += x * x + y * y
            }
            let cx = sx / 3, cy = sy / 3
            let varianceUniform = (q + sx * sx + sy * sy) / 12 - cx * cx - cy * cy
            let offset = (meanX - cx) * (meanX - cx) + (meanY - cy) * (meanY - cy)
            total += triangleMasses[t] * (max(0, varianceRho) + max(0, varianceUniform) + offset)
        }
        return total.squareRoot()
    }

    /// ∫_T ρ, ∫_T ρx, ∫_T ρy and ∫_T ρ|x|² for every triangle of `mesh` at `positions`.
    static func triangleMoments(of density: some Distribution, on mesh: TriangleMesh, positions p: [Double])
        -> [(mass: Double, firstX: Double, firstY: Double, second: Double)] {
        // Barycentric points and weights of Dunavant's degree-5 rule (weights sum to 1).
        let a1 = 0.059715871789770, b1 = 0.470142064105115, w1 = 0.132394152788506
        let a2 = 0.797426985353087, b2 = 0.101286507323456, w2 = 0.125939180544827
        let rule: [(Double, Double, Double, Double)] = [
            (1.0 / 3, 1.0 / 3, 1.0 / 3, 0.225),
            (a1, b1, b1, w1), (b1, a1, b1, w1), (b1, b1, a1, w1),
            (a2, b2, b2, w2), (b2, a2, b2, w2), (b2, b2, a2, w2),
        ]
        let levels = quadratureSubdivisions
        let step = 1.0 / Double(levels)
        // Sub-triangles of the reference triangle as (λ_b, λ_c) of their corners.
        var pieces = [(Double, Double, Double, Double, Double, Double)]()
        for i in 0..<levels {
            for j in 0..<(levels - i) {
                let u = Double(i) * step, v = Double(j) * step
                pieces.append((u, v, u + step, v, u, v + step))
                if i + j < levels - 1 { pieces.append((u + step, v, u + step, v + step, u, v + step)) }
            }
        }
        var out = [(mass: Double, firstX: Double, firstY: Double, second: Double)](repeating: (0, 0, 0, 0), count: mesh.triangleCount)
        var point = [0.0, 0.0]
        for t in 0..<mesh.triangleCount {
            let a = mesh.triangles[3 * t], b = mesh.triangles[3 * t + 1], c = mesh.triangles[3 * t + 2]
            let ax = p[2 * a], ay = p[2 * a + 1]
            let ux = p[2 * b] - ax, uy = p[2 * b + 1] - ay, vx = p[2 * c] - ax, vy = p[2 * c + 1] - ay
            var mass = 0.0, fx = 0.0, fy = 0.0, second = 0.0
            for (pb, pc, qb, qc, rb, rc) in pieces {
                for (la, lb, lc, w) in rule {
                    let sb = la * pb + lb * qb + lc * rb, sc = la * pc + lb * qc + lc * rc
                    point[0] = ax + sb * ux + sc * vx
                    point[1] = ay + sb * uy + sc * vy
                    let value = w * density.density(point)
                    mass += value
                    fx += value * point[0]
                    fy += value * point[1]
                    second += value * (point[0] * point[0] + point[1] * point[1])
                }
            }
            let scale = mesh.area(of: t, in: p) / Double(pieces.count)
            out[t] = (mass * scale, fx * scale, fy * scale, second * scale)
        }
        return out
    }
}
