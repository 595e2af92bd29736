import Foundation
import NumericalCore
import Probability

/// One iterate of the moving-mesh JKO scheme: a triangulation whose nodes move while every
/// triangle keeps its mass (DESIGN.md §1.2).
///
/// The density is piecewise constant, ρ = mass_T / area_T on triangle T; the node masses
/// are lumped, mᵢ = Σ_{T ∋ i} mass_T / 3, and they weigh the kinetic and potential
/// energies. Total mass is 1. Positions are `[nodeCount, 2]` row-major.
public struct MeshJKOState: Sendable {
    /// The topology (fixed along the flow).
    public let mesh: TriangleMesh
    /// Node positions, `[nodeCount, 2]` row-major.
    public let positions: [Double]
    /// mass_T, length `triangleCount`, summing to 1.
    public let triangleMasses: [Double]
    /// Lumped node masses mᵢ = Σ_{T ∋ i} mass_T / 3, length `nodeCount`, summing to 1.
    public let nodeMasses: [Double]
    /// The JKO step k of this iterate (0 for the start).
    public let stepIndex: Int
    /// The time t = k·h.
    public let time: Double
    /// How the step that produced this iterate went (`nil` for the start).
    public let report: MeshJKOStepReport?
    /// The start density's mass not carried by the mesh (outside the box or dropped with
    /// the lightest triangles) before normalisation, carried along.
    public let truncatedMass: Double

    /// An iterate from explicit data. The orientation is not checked here: a tangled
    /// state is refused by ``MeshJKO/step(from:)`` with an error naming the step.
    public init(mesh: TriangleMesh, positions: [Double], triangleMasses: [Double],
                stepIndex: Int = 0, time: Double = 0, report: MeshJKOStepReport? = nil,
                truncatedMass: Double = 0) throws {
        guard positions.count == 2 * mesh.nodeCount, positions.allSatisfy(\.isFinite) else {
            throw GradientFlowError.invalidMesh("the mesh has \(mesh.nodeCount) nodes, so it needs \(2 * mesh.nodeCount) finite coordinates; got \(positions.count)")
        }
        guard triangleMasses.count == mesh.triangleCount, triangleMasses.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw GradientFlowError.invalidMesh("give one positive finite mass per triangle (\(mesh.triangleCount) triangles, \(triangleMasses.count) masses)")
        }
        var lumped = [Double](repeating: 0, count: mesh.nodeCount)
        for t in 0..<mesh.triangleCount {
            for r in 0..<3 { lumped[mesh.triangles[3 * t + r]] += triangleMasses[t] / 3 }
        }
        self.mesh = mesh
        self.positions = positions
        self.triangleMasses = triangleMasses
        self.nodeMasses = lumped
        self.stepIndex = stepIndex
        self.time = time
        self.report = report
        self.truncatedMass = truncatedMass
    }

    /// The same masses and topology at new positions (the next iterate).
    func moved(to newPositions: [Double], stepIndex: Int, time: Double, report: MeshJKOStepReport?) -> MeshJKOState {
        // Counts and masses were validated by the state being moved.
        try! MeshJKOState(mesh: mesh, positions: newPositions, triangleMasses: triangleMasses,
                          stepIndex: stepIndex, time: time, report: report, truncatedMass: truncatedMass)
    }

    // MARK: Start states

    /// Triangles of the start mesh lighter than this (total mass 1) are dropped: their
    /// energy M log(M/A) would sit near the rounding of the total energy (≈ 10⁻¹⁴), so the
    /// line search could not see their orientation barrier and they would collapse. At
    /// most 10⁻¹² × triangleCount of mass goes (in the far corners of the box).
    public static let negligibleTriangleMass = 1e-12

    /// How the grid lines of a start mesh are placed.
    public enum Spacing: String, Sendable, CaseIterable {
        /// Equal square-ish cells over the box. The far tails get very light triangles next
        /// to heavier ones; as the tails expand those are crushed (Newton stalls), so this
        /// suits short runs only.
        case uniform
        /// Lines at the marginal quantiles (``TriangleMesh/quantileLines(of:cells:excludedMass:)``):
        /// cells of roughly equal mass, coarse in the tails.
        case quantile
    }

    /// The start iterate for a density on the grid mesh with lines `xLines`, `yLines`
    /// (``TriangleMesh/grid(xLines:yLines:)``).
    ///
    /// mass_T = ∫_T ρ₀ by the 7-point degree-5 rule of Dunavant (1985) on each triangle
    /// (error O(diam(T)⁶ · |∇⁶ρ₀|) per triangle). Triangles lighter than
    /// ``negligibleTriangleMass`` are dropped with the nodes only they use; the kept masses
    /// are normalised to total mass 1, so the mass outside the box and the dropped mass are
    /// redistributed proportionally (``truncatedMass`` reports both).
    public static func start(density: some Distribution, xLines: [Double], yLines: [Double]) throws -> MeshJKOState {
        guard density.dimension == 2 else {
            throw GradientFlowError.dimensionMismatch("the mesh scheme is planar, but the start density has dimension \(density.dimension); give a 2D density")
        }
        let box = try TriangleMesh.grid(xLines: xLines, yLines: yLines)
        let raw = triangleIntegrals(of: density, on: box)
        var newIndex = [Int](repeating: -1, count: box.nodeCount)
        var positions = [Double](), triangles = [Int](), masses = [Double]()
        for t in 0..<box.triangleCount where raw[t] >= negligibleTriangleMass {
            for r in 0..<3 {
                let node = box.triangles[3 * t + r]
                if newIndex[node] < 0 {
                    newIndex[node] = positions.count / 2
                    positions += [box.referencePositions[2 * node], box.referencePositions[2 * node + 1]]
                }
                triangles.append(newIndex[node])
            }
            masses.append(raw[t])
        }
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
    /// cells). The default quantile spacing gives cells of roughly equal mass, which keeps
    /// the Lagrangian mesh usable over long runs; its coarse tail cells cost accuracy in
    /// the second moments (O(1/cellsPerSide), see the tests).
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

    /// ∫_T ρ for every triangle of `mesh` at its reference positions (Dunavant's 7-point rule).
    static func triangleIntegrals(of density: some Distribution, on mesh: TriangleMesh) -> [Double] {
        // Barycentric points and weights of the degree-5 rule (weights sum to 1).
        let a1 = 0.059715871789770, b1 = 0.470142064105115, w1 = 0.132394152788506
        let a2 = 0.797426985353087, b2 = 0.101286507323456, w2 = 0.125939180544827
        let rule: [(Double, Double, Double, Double)] = [
            (1.0 / 3, 1.0 / 3, 1.0 / 3, 0.225),
            (a1, b1, b1, w1), (b1, a1, b1, w1), (b1, b1, a1, w1),
            (a2, b2, b2, w2), (b2, a2, b2, w2), (b2, b2, a2, w2),
        ]
        let p = mesh.referencePositions
        var out = [Double](repeating: 0, count: mesh.triangleCount)
        var point = [0.0, 0.0]
        for t in 0..<mesh.triangleCount {
            let a = mesh.triangles[3 * t], b = mesh.triangles[3 * t + 1], c = mesh.triangles[3 * t + 2]
            var sum = 0.0
            for (la, lb, lc, w) in rule {
                point[0] = la * p[2 * a] + lb * p[2 * b] + lc * p[2 * c]
                point[1] = la * p[2 * a + 1] + lb * p[2 * b + 1] + lc * p[2 * c + 1]
                sum += w * density.density(point)
            }
            out[t] = sum * mesh.area(of: t, in: p)
        }
        return out
    }
}
