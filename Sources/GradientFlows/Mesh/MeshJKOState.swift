import Foundation
import NumericalCore
import Probability

/// One iterate of the moving-mesh JKO scheme: a triangulation whose nodes move while every
/// triangle keeps its mass (DESIGN.md §1.2), until a conservative remap
/// (``MeshJKO/remesh(_:)``) replaces the triangulation.
///
/// The density is piecewise constant, ρ = mass_T / area_T on triangle T; the node masses
/// are lumped, mᵢ = Σ_{T ∋ i} mass_T / 3, and they weigh the kinetic and potential
/// energies. Total mass is 1. Positions are `[nodeCount, 2]` row-major.
public struct MeshJKOState: Sendable {
    /// The topology (fixed along the flow between remaps).
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
    /// The conservative remap that produced this iterate's mesh, if the iterate was
    /// remeshed after its step (``MeshJKO/remesh(_:)``); `nil` otherwise.
    public let remap: MeshRemapReport?
    /// Remaps since the start (the topology and the triangle masses change at each).
    public let remapCount: Int
    /// The smallest angle (degrees) of this mesh when it was made (start or last remap);
    /// carried along the steps (remeshing compares the current angle with it).
    public let initialMinimumAngle: Double

    /// An iterate from explicit data. The orientation is not checked here: a tangled
    /// state is refused by ``MeshJKO/step(from:)`` with an error naming the step.
    public init(mesh: TriangleMesh, positions: [Double], triangleMasses: [Double],
                stepIndex: Int = 0, time: Double = 0, report: MeshJKOStepReport? = nil,
                truncatedMass: Double = 0, remap: MeshRemapReport? = nil, remapCount: Int = 0,
                initialMinimumAngle: Double? = nil) throws {
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
        self.remap = remap
        self.remapCount = remapCount
        self.initialMinimumAngle = initialMinimumAngle ?? mesh.minimumAngle(in: positions)
    }

    /// The same masses and topology at new positions (the next iterate; no remap).
    func moved(to newPositions: [Double], stepIndex: Int, time: Double, report: MeshJKOStepReport?) -> MeshJKOState {
        // Counts and masses were validated by the state being moved.
        try! MeshJKOState(mesh: mesh, positions: newPositions, triangleMasses: triangleMasses,
                          stepIndex: stepIndex, time: time, report: report, truncatedMass: truncatedMass,
                          remapCount: remapCount, initialMinimumAngle: initialMinimumAngle)
    }

    /// This iterate with `earlier` (a remap of the iterate it was stepped from) recorded:
    /// alone, or added to its own remap (L¹ errors and energy changes summed, the sum of
    /// L¹ errors bounding the L¹ change of both by the triangle inequality).
    func addingRemap(_ earlier: MeshRemapReport) -> MeshJKOState {
        let combined = remap.map {
            MeshRemapReport(step: $0.step, previousMinimumAngle: earlier.previousMinimumAngle, minimumAngle: $0.minimumAngle,
                            previousTriangleCount: earlier.previousTriangleCount, triangleCount: $0.triangleCount,
                            l1Error: earlier.l1Error + $0.l1Error, energyChange: earlier.energyChange + $0.energyChange,
                            droppedMass: earlier.droppedMass + $0.droppedMass,
                            translation: [earlier.translation[0] + $0.translation[0], earlier.translation[1] + $0.translation[1]],
                            massDefect: earlier.massDefect + $0.massDefect)
        } ?? earlier
        return try! MeshJKOState(mesh: mesh, positions: positions, triangleMasses: triangleMasses, stepIndex: stepIndex,
                                 time: time, report: report, truncatedMass: truncatedMass, remap: combined,
                                 remapCount: remapCount, initialMinimumAngle: initialMinimumAngle)
    }
}
