import GradientFlows
import NumericalCore
import OptimalTransport
import Probability
import XCTest
import _TestSupport

/// The 2D mesh JKO scheme against 2D finite volumes on the tilted double well
/// V = (|x|² − 1)²/4 + 0.2·x₁ at t = 1, from N((0.4, 0), 0.3²I): the mass leaves the
/// central hump for the ring |x| ≈ 1 and splits between its left and right halves.
final class MeshCrossMethodTests: XCTestCase {
    static let potential = try! DoubleWellPotential(dimension: 2, tilt: 0.2)
    static let start = try! Gaussian(mean: [0.4, 0], standardDeviation: 0.3)

    /// ρ₀ and ρ₁ of the mesh scheme with step h on a `cells`² quantile mesh.
    static func mesh(timeStep h: Double, cells: Int) throws -> (MeshJKOState, MeshJKOState) {
        let solver = try MeshJKO(potential: potential, timeStep: h, maximumNewtonIterations: 200)
        let s0 = try MeshJKOState.start(mixture: GaussianMixture(start), cellsPerSide: cells)
        return (s0, try solver.iterates(from: s0, stepCount: Int((1 / h).rounded())).last!)
    }

    /// Moment fits and left-half mass of the finite-volume densities at t = 0 and t = 1
    /// ([−3, 3]², BDF2 with Δt = 0.01: time error O(10⁻⁴), below the spatial one).
    static func finiteVolumes(cells: Int) throws -> (start: Gaussian, final: Gaussian, startLeft: Double, finalLeft: Double) {
        let grid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: cells)
        let solver = try FiniteVolumeFokkerPlanck(potential: potential, grid: grid, timeStep: 0.01, scheme: .bdf2)
        var state = try solver.start(grid.project(logDensity: start.logDensity))
        let first = state.density
        for _ in 0..<100 { state = try solver.step(state) }
        return (try moments(first, grid), try moments(state.density, grid), leftMass(first, grid), leftMass(state.density, grid))
    }

    /// Mean and covariance of a cell density (uniform within cells: + Δx²/12 on the diagonal).
    static func moments(_ density: [Double], _ grid: FiniteVolumeGrid) throws -> Gaussian {
        let a = grid.centres(axis: 0), b = grid.centres(axis: 1), w = grid.cellVolume
        var m = [0.0, 0.0], s = [0.0, 0.0, 0.0]
        for i in a.indices {
            for j in b.indices {
                let p = density[i * b.count + j] * w
                m[0] += p * a[i]; m[1] += p * b[j]
                s[0] += p * a[i] * a[i]; s[1] += p * a[i] * b[j]; s[2] += p * b[j] * b[j]
            }
        }
        let within = grid.spacing * grid.spacing / 12
        return try Gaussian(mean: m, covariance: Matrix([[s[0] - m[0] * m[0] + within, s[1] - m[0] * m[1]],
                                                          [s[1] - m[0] * m[1], s[2] - m[1] * m[1] + within]]))
    }

    /// ρ({x₁ < 0}) of a cell density (the grid has a cell face at x₁ = 0).
    static func leftMass(_ density: [Double], _ grid: FiniteVolumeGrid) -> Double {
        let a = grid.centres(axis: 0), n1 = grid.cellCounts[1]
        var left = 0.0
        for i in a.indices where a[i] < 0 { for j in 0..<n1 { left += density[i * n1 + j] * grid.cellVolume } }
        return left
    }

    /// Tolerance derived as in the 1D cross-method test, for the Bures–W₂ distance between
    /// moment fits (a metric on Gaussians, so the triangle inequality runs through the
    /// exact ρ₁'s fit):
    /// - start discretisation: the gap at t = 0, q (for the mesh, coarse quantile tail cells);
    /// - mesh error, first order in (h, 1/cells) refined together (the OU test measures
    ///   order 1.1): e ≈ 2·|M(h, n) − M(h/2, 2n)|;
    /// - finite volumes, O(Δx²): e ≈ (4/3)·|FV(Δx) − FV(Δx/2)|.
    /// Assert gap(M(h, n), FV(Δx/2)) ≤ q + mesh + FV, with the tolerance itself small
    /// enough to fail (< 0.15 and < half the distance between ρ₀ and ρ₁).
    /// Observed: Bures–W₂ gap 0.025 ≤ 0.134 (q 0.117, mesh 0.016, FV 0.001); left mass
    /// 0.4694 (FV) and 0.4666 (mesh).
    func testMeshAgreesWithFiniteVolumesOnDoubleWellAtTimeOne() throws {
        let (m0, mCoarse) = try Self.mesh(timeStep: 0.1, cells: 16)
        let (_, mFine) = try Self.mesh(timeStep: 0.05, cells: 32)
        let fvCoarse = try Self.finiteVolumes(cells: 48)
        let fvFine = try Self.finiteVolumes(cells: 96)

        let q = try BuresWasserstein.distance(m0.gaussianFit, fvFine.start)
        let meshError = 2 * (try BuresWasserstein.distance(mCoarse.gaussianFit, mFine.gaussianFit))
        let fvError = 4.0 / 3 * (try BuresWasserstein.distance(fvCoarse.final, fvFine.final))
        let tolerance = q + meshError + fvError
        let gap = try BuresWasserstein.distance(mCoarse.gaussianFit, fvFine.final)
        let spread = try BuresWasserstein.distance(fvFine.start, fvFine.final)
        let detail = "q \(q), mesh \(meshError), fv \(fvError), gap \(gap), ρ₀–ρ₁ \(spread)"
        XCTAssertLessThan(tolerance, 0.15, detail)
        XCTAssertLessThan(tolerance, 0.5 * spread, detail)
        XCTAssertLessThanOrEqual(gap, tolerance, detail)

        // The mass left of x₁ = 0: a sharper, stated (not derived) check. Its Richardson
        // estimate from one refinement pair (≈ 0.002) is not reliable at these resolutions
        // (the mesh's left mass is not yet monotone in the refinement), so the tolerance is
        // 1% of the mass; observed |Δ| ≈ 0.003.
        let left = mCoarse.mass(along: 0, below: 0)
        let leftDetail = "mesh \(left) (finer \(mFine.mass(along: 0, below: 0))), FV \(fvFine.finalLeft)"
        XCTAssertLessThanOrEqual(abs(left - fvFine.finalLeft), 0.01, leftDetail)
        // The mass split: both halves of the ring hold a sizeable share at t = 1.
        XCTAssertGreaterThan(left, 0.2, leftDetail)
        XCTAssertLessThan(left, 0.8, leftDetail)
    }
}
