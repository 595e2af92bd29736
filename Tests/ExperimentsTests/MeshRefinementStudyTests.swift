@testable import Experiments
import XCTest

/// The mesh-jko refinement study (coarse form): on `double-well-2d` at t = 0.5 the L¹ error
/// of the mesh density against finite volumes (96² cells, BDF2 Δt = 0.01, its own error
/// O(Δx²) ≈ 10⁻³) falls from 24 to 48 cells per side with h = 2/n. Observed: 0.0773 → 0.0365
/// (order 1.08), 1.3 s.
final class MeshRefinementStudyTests: XCTestCase {
    func testMeshErrorDecreasesFrom24To48Cells() throws {
        let result = try MeshRefinementStudy.measure(cells: [24, 48], times: [0.5], referenceCells: 96, referenceTimeStep: 0.01)
        print("mesh refinement L1 \(result.errors[0]) order \(result.orders[0]) failures \(result.failures) seconds \(result.seconds)")
        XCTAssertTrue(result.failures.isEmpty, "\(result.failures)")
        let e = result.errors[0]
        XCTAssertLessThan(e[1], e[0], "\(e)")
        XCTAssertLessThan(e[0], 0.5, "\(e)")
    }
}
