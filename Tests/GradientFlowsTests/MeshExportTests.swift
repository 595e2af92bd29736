import GradientFlows
import NumericalCore
import Probability
import XCTest
import _TestSupport

/// The mass-conserving grid export of mesh densities (exact triangle–cell clipping).
/// Tolerance 10⁻¹⁰ throughout (the bar); the clipping itself is exact up to the
/// rounding of the polygon areas (≈ 10⁻¹⁵ relative per triangle).
final class MeshExportTests: XCTestCase {
    /// The triangle (0,0), (1,0), (0,1) with mass 1 on the 2×2 grid of [0, 1]²: the lower
    /// left cell lies inside it (area ¼ of the triangle's ½), the two cells beside it hold
    /// the corner triangles of area ⅛ each, the upper right cell nothing: masses ½, ¼, ¼, 0.
    func testSingleTriangleOnAGridGetsItsOverlapAreas() throws {
        let mesh = try TriangleMesh(nodeCount: 3, triangles: [0, 1, 2], referencePositions: [0, 0, 1, 0, 0, 1])
        let state = try MeshJKOState(mesh: mesh, positions: mesh.referencePositions, triangleMasses: [1])
        let grid = state.gridMasses(xEdges: [0, 0.5, 1], yEdges: [0, 0.5, 1])
        assertClose(grid.masses, Matrix([[0.5, 0.25], [0.25, 0]]), atol: 1e-12)
        assertClose(grid.massOutside, 0, atol: 1e-12)
    }

    /// A skew triangle partly outside a 7×5 grid: the cell masses plus the reported mass
    /// outside add up to its mass, and the cumulative column masses equal the exact
    /// half-plane masses ``MeshJKOState/mass(along:below:)`` (an independent clipping path).
    func testSkewTriangleConservesMassAndMatchesHalfPlaneMasses() throws {
        let mesh = try TriangleMesh(nodeCount: 3, triangles: [0, 1, 2], referencePositions: [-0.2, 0.1, 0.93, 0.27, 0.41, 1.3])
        let state = try MeshJKOState(mesh: mesh, positions: mesh.referencePositions, triangleMasses: [0.7])
        let xEdges = (0...7).map { Double($0) / 7 }, yEdges = (0...5).map { Double($0) / 5 }
        let grid = state.gridMasses(xEdges: xEdges, yEdges: yEdges)
        assertClose(grid.masses.elements.reduce(0, +) + grid.massOutside, 0.7, atol: 1e-10)
        XCTAssertGreaterThan(grid.massOutside, 0.05, "the triangle reaches left of x = 0 and above y = 1")
        XCTAssertTrue(grid.masses.elements.allSatisfy { $0 >= 0 })
        // One row of cells tall enough for the whole y-range: column i's mass is the
        // half-plane mass between xEdges[i] and xEdges[i+1].
        let tall = state.gridMasses(xEdges: xEdges, yEdges: [0, 2])
        var running = state.mass(along: 0, below: 0)
        for i in 0..<7 {
            let next = state.mass(along: 0, below: xEdges[i + 1])
            assertClose(tall.masses[i, 0], next - running, atol: 1e-12, "column \(i)")
            running = next
        }
    }

    /// A 7×5-cell mesh of the unit square with random masses on a 13×11 grid of
    /// [−0.1, 1.1]²: everything lands inside (mass outside 0), the total is kept to 10⁻¹⁰,
    /// and a grid aligned with the mesh cells gets each cell's two triangles exactly.
    func testUnitSquareMeshConservesMassOnAnyGrid() throws {
        let mesh = try TriangleMesh.rectangle(xRange: 0...1, yRange: 0...1, cellsX: 7, cellsY: 5)
        var generator = RandomGenerator(seed: 12)
        var masses = (0..<mesh.triangleCount).map { _ in 0.1 + generator.uniform() }
        let total = masses.reduce(0, +)
        masses = masses.map { $0 / total }
        let state = try MeshJKOState(mesh: mesh, positions: mesh.referencePositions, triangleMasses: masses)
        let grid = state.gridMasses(xEdges: (0...13).map { -0.1 + 1.2 * Double($0) / 13 },
                                    yEdges: (0...11).map { -0.1 + 1.2 * Double($0) / 11 })
        assertClose(grid.masses.elements.reduce(0, +), 1, atol: 1e-10)
        assertClose(grid.massOutside, 0, atol: 1e-12)
        XCTAssertTrue(grid.masses.elements.allSatisfy { $0 >= 0 })
        let aligned = state.gridMasses(xEdges: (0...7).map { Double($0) / 7 }, yEdges: (0...5).map { Double($0) / 5 })
        // Triangles 2(j·7 + i) and 2(j·7 + i) + 1 make up cell (i, j) (TriangleMesh.grid).
        for j in 0..<5 {
            for i in 0..<7 {
                let t = 2 * (j * 7 + i)
                assertClose(aligned.masses[i, j], masses[t] + masses[t + 1], atol: 1e-12, "cell (\(i), \(j))")
            }
        }
    }

    /// A moved (non-affine) mesh still conserves mass: the OU start mesh after one JKO step
    /// on a grid that cuts through its tails, with the mass outside reported.
    func testMovedMeshConservesMassWithTheOutsidePartReported() throws {
        let start = try GaussianMixture(weights: [0.5, 0.5], components: [
            Gaussian(mean: [-1, 0], standardDeviation: 0.6), Gaussian(mean: [1, 0.5], standardDeviation: 0.6)])
        let target = try Gaussian(mean: [0, 0], covariance: Matrix([[1, 0.3], [0.3, 0.8]]))
        let solver = try MeshJKO(potential: QuadraticPotential(target: target), timeStep: 0.1)
        let state = try solver.step(from: MeshJKOState.start(mixture: start, cellsPerSide: 12))
        let grid = try FiniteVolumeGrid(squareLower: -2, upper: 2, cellCount: 37)
        let export = state.cellAverages(on: grid)
        XCTAssertGreaterThan(export.massOutside, 1e-4, "the box [−2, 2]² cuts the tails")
        assertClose(grid.mass(export.density) + export.massOutside, 1, atol: 1e-10)
    }
}
