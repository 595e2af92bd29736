import GradientFlows
import NumericalCore
import Probability
import XCTest
import _TestSupport

/// The remeshed moving-mesh JKO against finite volumes on the `double-well-2d` case to the
/// ring-shaped equilibrium: V = (|x|² − 1)²/4 + 0.2·x₁, start N((0.3, 0.2), 0.3²I), t = 1,
/// 2, 3. Without remeshing the mesh degenerates (below the 1° guard at t ≈ 2.4 at 32
/// cells, h = 0.05); with it the scheme reaches t = 3.
final class MeshEquilibriumTests: XCTestCase {
    static let potential = try! DoubleWellPotential(dimension: 2, tilt: 0.2)
    static let start = try! Gaussian(mean: [0.3, 0.2], standardDeviation: 0.3)
    static let times = [1.0, 2.0, 3.0]

    /// Mesh iterates at `times` (step h, `cells`² quantile start, remeshing below 10°).
    static func mesh(timeStep h: Double, cells: Int) throws -> [MeshJKOState] {
        let solver = try MeshJKO(potential: potential, timeStep: h, maximumNewtonIterations: 200, minimumAngle: 1,
                                 remeshAngle: 10, remeshCells: cells)
        var state = try MeshJKOState.start(mixture: GaussianMixture(start), cellsPerSide: cells)
        let start = state
        var out = [MeshJKOState]()
        for t in times {
            while state.stepIndex < Int((t / h).rounded()) { state = try solver.step(from: state) }
            out.append(state)
        }
        return [start] + out
    }

    /// Finite-volume densities at t = 0 and `times` on [−3, 3]² (BDF2, Δt = 0.02: time error
    /// O(Δt²) ≈ 10⁻⁴, below the spatial one).
    static func finiteVolumes(cells: Int) throws -> (grid: FiniteVolumeGrid, densities: [[Double]]) {
        let grid = try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: cells)
        let solver = try FiniteVolumeFokkerPlanck(potential: potential, grid: grid, timeStep: 0.02, scheme: .bdf2)
        var state = try solver.start(grid.project(logDensity: start.logDensity))
        var out = [state.density]
        var done = 0
        for t in times {
            while done < Int((t / 0.02).rounded()) { state = try solver.step(state); done += 1 }
            out.append(state.density)
        }
        return (grid, out)
    }

    /// L¹ between the mesh density (exact cell averages on `grid`, plus the mass outside
    /// the box) and a grid density.
    static func l1(_ state: MeshJKOState, _ density: [Double], _ grid: FiniteVolumeGrid) -> Double {
        let exported = state.cellAverages(on: grid)
        return grid.l1Distance(exported.density, density) + exported.massOutside
    }

    /// Tolerances, derived as in ``MeshCrossMethodTests``, all in cell averages on the 80²
    /// grid (averaging does not expand L¹, so the mesh's error there is at most its own):
    /// - mesh, first order in (h, 1/cells) refined together (start and remaps included):
    ///   2·L¹(M(h, n), M(h/2, 2n)), remeshing at 10° in both;
    /// - finite volumes, O(Δx²) in cell averages: (4/3)·L¹(FV(2Δx), R·FV(Δx)) on the 40²
    ///   grid, R averaging the fine cells onto the coarse ones (the coarse level's error,
    ///   four times the fine one's, kept as a margin).
    /// Assert L¹(M(0.1, 16), FV(Δx)) ≤ mesh + FV at t = 1, 2, 3, with the tolerance itself
    /// below 0.25 (L¹(ρ₀, ρ₃) ≈ 1.6, so it says something). The KL energies:
    /// |KL_M − F_FV| ≤ 2|KL_M(h, n) − KL_M(h/2, 2n)| + (4/3)|F_FV(2Δx) − F_FV(Δx)| + the
    /// piecewise-constant floor of the coarse mesh (``piecewiseConstantFloor(_:)``: the KL
    /// that a piecewise-constant density keeps from ν on its triangles, ≈ Δx²·E_ν|∇V|²/24),
    /// and KL_M ≥ 0.
    /// Observed (t = 1, 2, 3): L¹ gap 0.067, 0.060, 0.064 ≤ 0.125, 0.127, 0.148; KL mesh
    /// 0.043, 0.020, 0.020 (32 cells, h = 0.05: 0.031, 0.0087, 0.0065) against FV 0.024,
    /// 0.0025, 0.00026, within 0.033, 0.029, 0.038 (the piecewise-constant floor of the
    /// coarse mesh, 0.007–0.011, is most of the gap at equilibrium); remaps 2 and 18 by
    /// t = 3; ≈ 5 s.
    func testRemeshedMeshMatchesFiniteVolumesAtTimesOneTwoThree() throws {
        let coarse = try Self.mesh(timeStep: 0.1, cells: 16)
        let fine = try Self.mesh(timeStep: 0.05, cells: 32)
        let fvCoarse = try Self.finiteVolumes(cells: 40)
        let fvFine = try Self.finiteVolumes(cells: 80)
        let grid = fvFine.grid
        let solver = try MeshJKO(potential: Self.potential, timeStep: 0.1)
        var lines = [String]()
        for k in 1...Self.times.count {
            let meshError = 2 * grid.l1Distance(coarse[k].cellAverages(on: grid).density, fine[k].cellAverages(on: grid).density)
            let fvError = 4.0 / 3 * fvCoarse.grid.l1Distance(fvCoarse.densities[k], Self.restricted(fvFine.densities[k], cells: 80))
            let gap = Self.l1(coarse[k], fvFine.densities[k], grid)
            let tolerance = meshError + fvError
            let detail = "t = \(Self.times[k - 1]): L1 gap \(gap) ≤ mesh \(meshError) + fv \(fvError); remaps \(coarse[k].remapCount), \(fine[k].remapCount)"
            lines.append(detail)
            XCTAssertLessThan(tolerance, 0.25, detail)
            XCTAssertLessThanOrEqual(gap, tolerance, detail)

            let klCoarse = solver.relativeEntropy(of: coarse[k]), klFine = solver.relativeEntropy(of: fine[k])
            let fvEnergy = grid.energy(fvFine.densities[k], potential: Self.potential)
            let fvCoarseEnergy = fvCoarse.grid.energy(fvCoarse.densities[k], potential: Self.potential)
            let floor = Self.piecewiseConstantFloor(coarse[k])
            let energyTolerance = 2 * abs(klCoarse - klFine) + 4.0 / 3 * abs(fvCoarseEnergy - fvEnergy) + floor
            let energyDetail = "t = \(Self.times[k - 1]): KL mesh \(klCoarse) (finer \(klFine)), FV \(fvEnergy) (coarser \(fvCoarseEnergy)), floor \(floor), tolerance \(energyTolerance)"
            lines.append(energyDetail)
            XCTAssertLessThanOrEqual(abs(klCoarse - fvEnergy), energyTolerance, energyDetail)
            XCTAssertGreaterThanOrEqual(klCoarse, 0, energyDetail)
        }
        XCTAssertGreaterThan(fine[3].remapCount, 0, "the 32-cell mesh reaches t = 3 through remaps")
        print(lines.joined(separator: "\n"))
    }

    /// A `[cells, cells]` grid density averaged onto the grid of half the cells.
    static func restricted(_ density: [Double], cells: Int) -> [Double] {
        let half = cells / 2
        var out = [Double](repeating: 0, count: half * half)
        for i in 0..<cells {
            for j in 0..<cells { out[(i / 2) * half + j / 2] += 0.25 * density[i * cells + j] }
        }
        return out
    }

    /// The KL floor of a piecewise-constant density on this mesh: the average of ν over T is
    /// within KL ½ m_T ∇V(c_T)ᵀ Σ_T ∇V(c_T) of ν on T (second order in the triangle's size;
    /// Σ_T = (Σ vₖvₖᵀ + s sᵀ)/12 − c cᵀ the covariance of the uniform law on T, s = Σ vₖ,
    /// c = s/3), summed over the triangles: ≈ Δx²·E_ν|∇V|²/24 on square cells.
    static func piecewiseConstantFloor(_ state: MeshJKOState) -> Double {
        var total = 0.0
        let p = state.positions, tri = state.mesh.triangles
        for t in 0..<state.mesh.triangleCount {
            var sx = 0.0, sy = 0.0, qxx = 0.0, qxy = 0.0, qyy = 0.0
            for r in 0..<3 {
                let x = p[2 * tri[3 * t + r]], y = p[2 * tri[3 * t + r] + 1]
                sx += x; sy += y; qxx += x * x; qxy += x * y; qyy += y * y
            }
            let cx = sx / 3, cy = sy / 3
            let cxx = (qxx + sx * sx) / 12 - cx * cx, cxy = (qxy + sx * sy) / 12 - cx * cy, cyy = (qyy + sy * sy) / 12 - cy * cy
            let radial = cx * cx + cy * cy - 1
            let gx = radial * cx + 0.2, gy = radial * cy
            total += 0.5 * state.triangleMasses[t] * (gx * gx * cxx + 2 * gx * gy * cxy + gy * gy * cyy)
        }
        return total
    }
}
