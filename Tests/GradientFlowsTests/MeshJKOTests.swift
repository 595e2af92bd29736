import GradientFlows
import NumericalCore
import OptimalTransport
import Probability
import XCTest
import _TestSupport

/// The 2D moving-mesh JKO scheme on an Ornstein–Uhlenbeck target from a bimodal start
/// (an `ou-mixture-2d`-like case with a closed-form solution), its invariants, and its
/// errors. Quantile-spaced start meshes (the default).
final class MeshJKOTests: XCTestCase {
    /// Start ρ₀ = ½N((−1, 0), 0.6²I) + ½N((1, 0.5), 0.6²I); target N(0, [[1, 0.3], [0.3, 0.8]]).
    static func ouCase() throws -> (start: GaussianMixture, target: Gaussian) {
        let start = try GaussianMixture(weights: [0.5, 0.5], components: [
            Gaussian(mean: [-1, 0], standardDeviation: 0.6),
            Gaussian(mean: [1, 0.5], standardDeviation: 0.6),
        ])
        return (start, try Gaussian(mean: [0, 0], covariance: Matrix([[1, 0.3], [0.3, 0.8]])))
    }

    /// Runs the scheme to t = `horizon` with step h on a `cells`² quantile mesh.
    static func ouRun(timeStep h: Double, cells: Int, horizon: Double) throws -> [MeshJKOState] {
        let (start, target) = try ouCase()
        let solver = try MeshJKO(potential: QuadraticPotential(target: target), timeStep: h)
        return try solver.iterates(from: MeshJKOState.start(mixture: start, cellsPerSide: cells),
                                   stepCount: Int((horizon / h).rounded()))
    }

    /// Summing the Euler–Lagrange equations over the nodes cancels the entropy (areas are
    /// translation invariant), so the mesh mean follows implicit Euler for the OU drift
    /// exactly: m' = (I + hA)⁻¹(m + hAb). Each solve leaves a residual r ≤ 10⁻⁹ and moves
    /// the mean by at most r, hence the tolerance 10⁻⁷ over 5 steps (observed ≈ 10⁻¹²).
    func testMeanFollowsImplicitEulerExactly() throws {
        let (_, target) = try Self.ouCase()
        let states = try Self.ouRun(timeStep: 0.1, cells: 16, horizon: 0.5)
        let euler = try GaussianJKO(target: target, timeStep: 0.1)
        var mean = states[0].mean
        for state in states.dropFirst() {
            mean = try euler.map(from: Gaussian(mean: mean, covariance: Matrix.identity(2))).newMean
            assertClose(state.mean, mean, atol: 1e-7, "step \(state.stepIndex)")
        }
    }

    /// Error against the analytic flow at t = 0.5, as h and the mesh are refined together
    /// (h, cells) = (0.1, 16), (0.05, 32), (0.025, 64): the Bures–W₂ distance between the
    /// moment fit of the mesh density (exact moments of the piecewise-constant density) and
    /// the analytic ρ_t's moments. Both the JKO bias (O(h)) and the start's coarse tail
    /// cells (O(1/cells)) are first order, so the observed order must lie in [0.8, 1.4].
    /// Observed: 0.0885, 0.0411, 0.0192 (order 1.10). The mean error alone is the O(h)
    /// implicit-Euler bias.
    func testTracksAnalyticSolutionWithErrorShrinkingUnderRefinement() throws {
        let (start, target) = try Self.ouCase()
        let flow = try OrnsteinUhlenbeckFlow(start: start, target: target)
        let configurations: [(Double, Int)] = [(0.1, 16), (0.05, 32), (0.025, 64)]
        var errors = [Double](), meanErrors = [Double]()
        for (h, cells) in configurations {
            let final = try Self.ouRun(timeStep: h, cells: cells, horizon: 0.5).last!
            let exact = try Gaussian(mean: flow.mean(at: 0.5), covariance: flow.covariance(at: 0.5))
            errors.append(try BuresWasserstein.distance(final.gaussianFit, exact))
            meanErrors.append(Vector.norm(Vector.subtract(final.mean, exact.mean)))
        }
        for k in 1..<errors.count {
            XCTAssertLessThan(errors[k], 0.7 * errors[k - 1], "Bures–W₂ errors \(errors)")
            XCTAssertLessThan(meanErrors[k], 0.7 * meanErrors[k - 1], "mean errors \(meanErrors)")
        }
        let order = observedOrder(stepSizes: configurations.map(\.0), errors: errors)
        XCTAssertGreaterThanOrEqual(order, 0.8, "errors \(errors)")
        XCTAssertLessThanOrEqual(order, 1.4, "errors \(errors)")
        XCTAssertLessThan(errors[errors.count - 1], 0.03)
    }

    /// Per step: F decreases, and F(ρ_{k+1}) + C/(2h) ≤ F(ρ_k), where C is the cost of the
    /// piecewise-affine map between the meshes: C ≥ W₂²(ρ_k, ρ_{k+1}) (it is a transport
    /// map) and C ≤ Σ mᵢ|xᵢᵏ⁺¹ − xᵢᵏ|² (what the minimiser beats by staying at xᵏ), so the
    /// checked inequality implies the one with W₂². Slack 10⁻¹²: rounding of F (|F| ≈ 1).
    func testEnergyDecreasesAndDiscreteEnergyInequalityHolds() throws {
        let states = try Self.ouRun(timeStep: 0.05, cells: 24, horizon: 0.5)
        for state in states.dropFirst() {
            let r = try XCTUnwrap(state.report)
            XCTAssertLessThan(r.energy, r.previousEnergy, "step \(r.step)")
            XCTAssertLessThanOrEqual(r.energy + r.affineTransportCost / (2 * 0.05), r.previousEnergy + 1e-12, "step \(r.step)")
            XCTAssertLessThanOrEqual(r.affineTransportCost, r.lumpedTransportCost * (1 + 1e-12), "step \(r.step)")
            XCTAssertLessThanOrEqual(r.residual, 1e-9)
            XCTAssertLessThanOrEqual(r.newtonIterations, 12, "Newton converges in a few iterations")
            XCTAssertGreaterThan(r.minimumAngle, 0)
            XCTAssertGreaterThanOrEqual(r.areaRatio, 1)
            // Masses are carried, never changed: total 1.
            assertClose(state.nodeMasses.reduce(0, +), 1, atol: 1e-12)
        }
    }

    /// Exports for run folders: the grid density integrates to ≈ 1 (Riemann sum on a
    /// 300² grid over the mesh's bounding box: error O(grid spacing × perimeter density)),
    /// the node cloud has one row per node and its weighted mean is the density's mean.
    func testGridDensityAndNodeCloudExports() throws {
        let state = try Self.ouRun(timeStep: 0.1, cells: 16, horizon: 0.2).last!
        let xs = stride(from: 0, to: state.positions.count, by: 2).map { state.positions[$0] }
        let ys = stride(from: 1, to: state.positions.count, by: 2).map { state.positions[$0] }
        let m = 300
        let dx = (xs.max()! - xs.min()!) / Double(m), dy = (ys.max()! - ys.min()!) / Double(m)
        let xAxis = (0..<m).map { xs.min()! + (Double($0) + 0.5) * dx }
        let yAxis = (0..<m).map { ys.min()! + (Double($0) + 0.5) * dy }
        let grid = state.density(xAxis: xAxis, yAxis: yAxis)
        XCTAssertEqual(grid.shape, [m, m])
        assertClose(grid.elements.reduce(0, +) * dx * dy, 1, atol: 1e-2)
        XCTAssertEqual(state.nodeCloud.shape, [state.mesh.nodeCount, 2])
        var weighted = [0.0, 0.0]
        for i in 0..<state.mesh.nodeCount {
            for k in 0..<2 { weighted[k] += state.nodeMasses[i] * state.nodeCloud[i, k] }
        }
        assertClose(weighted, state.mean, atol: 1e-12)
    }

    /// The uniform start mesh sits on a box that leaves out at most 10⁻⁶ of ρ₀ (union bound
    /// per component and axis; Dunavant's rule on 0.25-wide cells is exact to ≈ 10⁻⁹ here),
    /// is positively oriented with near-square cells, and runs a few steps; the quantile
    /// mesh has the same number of cells per axis.
    func testStartMeshesCarryTheMass() throws {
        let (start, target) = try Self.ouCase()
        let uniform = try MeshJKOState.start(mixture: start, cellsPerSide: 32, spacing: .uniform)
        XCTAssertGreaterThanOrEqual(uniform.truncatedMass, 0)
        XCTAssertLessThanOrEqual(uniform.truncatedMass, 1e-6)
        XCTAssertNil(uniform.mesh.firstNonPositiveTriangle(in: uniform.positions))
        XCTAssertGreaterThan(uniform.minimumAngle, 40)
        assertClose(uniform.triangleMasses.reduce(0, +), 1, atol: 1e-12)
        let solver = try MeshJKO(potential: QuadraticPotential(target: target), timeStep: 0.05)
        let last = try solver.iterates(from: uniform, stepCount: 3).last!
        XCTAssertLessThanOrEqual(try XCTUnwrap(last.report).residual, 1e-9)
        let quantile = try MeshJKOState.start(mixture: start, cellsPerSide: 32)
        XCTAssertEqual(quantile.mesh.nodeCount, 33 * 33)
        XCTAssertLessThan(abs(quantile.truncatedMass), 1e-3, "quadrature on the coarse tail cells")
    }

    func testTangledMeshIsRefusedNamingTheStep() throws {
        let (start, target) = try Self.ouCase()
        let good = try MeshJKOState.start(mixture: start, cellsPerSide: 6)
        // Move the first node of triangle 0 across its opposite edge: that triangle flips.
        var positions = good.positions
        let t = good.mesh.triangles
        let a = t[0], b = t[1], c = t[2]
        positions[2 * a] = positions[2 * b] + positions[2 * c] - positions[2 * a]
        positions[2 * a + 1] = positions[2 * b + 1] + positions[2 * c + 1] - positions[2 * a + 1]
        let tangled = try MeshJKOState(mesh: good.mesh, positions: positions, triangleMasses: good.triangleMasses,
                                       stepIndex: 4, time: 0.4)
        let solver = try MeshJKO(potential: QuadraticPotential(target: target), timeStep: 0.1)
        XCTAssertThrowsError(try solver.step(from: tangled)) { error in
            guard case let GradientFlowError.meshTangled(step, reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(step, 5)
            XCTAssertTrue(reason.contains("triangle"), reason)
            XCTAssertTrue("\(error)".contains("JKO step 5"), "\(error)")
        }
    }

    func testNonConvergenceIsReportedNamingTheStep() throws {
        let (start, target) = try Self.ouCase()
        let solver = try MeshJKO(potential: QuadraticPotential(target: target), timeStep: 0.1, tolerance: 1e-9,
                                 maximumNewtonIterations: 1)
        XCTAssertThrowsError(try solver.step(from: MeshJKOState.start(mixture: start, cellsPerSide: 8))) { error in
            guard case let GradientFlowError.meshSolveFailed(step, iterations, residual, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(step, 1)
            XCTAssertEqual(iterations, 1)
            XCTAssertGreaterThan(residual, 1e-9)
            XCTAssertTrue("\(error)".contains("JKO step 1"), "\(error)")
        }
    }

    func testBadInputIsRefused() throws {
        let (_, target) = try Self.ouCase()
        let potential = QuadraticPotential(target: target)
        XCTAssertThrowsError(try MeshJKO(potential: potential, timeStep: 0)) {
            XCTAssertEqual($0 as? GradientFlowError, .invalidTimeStep(0))
        }
        XCTAssertThrowsError(try MeshJKO(potential: QuadraticPotential(center: 0, curvature: 1), timeStep: 0.1)) {
            guard case GradientFlowError.dimensionMismatch = $0 else { return XCTFail("\($0)") }
        }
        let saddle = try QuadraticPotential(center: [0, 0], precision: Matrix([[1, 0], [0, -1]]))
        XCTAssertThrowsError(try MeshJKO(potential: saddle, timeStep: 0.1)) {
            guard case GradientFlowError.potentialNotConfining = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try TriangleMesh(nodeCount: 3, triangles: [0, 2, 1], referencePositions: [0, 0, 1, 0, 0, 1])) {
            guard case GradientFlowError.invalidMesh = $0 else { return XCTFail("\($0)") }
        }
    }

    /// The quality guard fires on a deliberately degenerate mesh: one node of a 3×3 start
    /// mesh pushed to within 0.4 % of an edge (slivers below 1°); a tiny step
    /// keeps it a sliver, so the step fails with its number and the angle in the message.
    func testQualityGuardStopsOnADegenerateMeshNamingTheStepAndTheAngle() throws {
        let (start, target) = try Self.ouCase()
        let good = try MeshJKOState.start(mixture: start, cellsPerSide: 3)
        var positions = good.positions
        // Node 5 (i = 1, j = 1 of the 4×4 node grid, node j·4 + i) lowered to 0.4 % above the
        // bottom line through nodes 0, 1, 2: triangles (0, 1, 5) and (1, 2, 5) become slivers.
        let y0 = positions[1], y1 = positions[2 * 5 + 1]
        positions[2 * 5 + 1] = y0 + 0.004 * (y1 - y0)
        let sliver = try MeshJKOState(mesh: good.mesh, positions: positions, triangleMasses: good.triangleMasses, stepIndex: 7, time: 0.7)
        XCTAssertLessThan(sliver.minimumAngle, 1)
        let solver = try MeshJKO(potential: QuadraticPotential(target: target), timeStep: 1e-6, minimumAngle: 2)
        XCTAssertThrowsError(try solver.step(from: sliver)) { error in
            guard case let GradientFlowError.meshDegenerate(step, angle, limit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(step, 8)
            XCTAssertLessThan(angle, 1)
            XCTAssertEqual(limit, 2)
            let text = "\(error)"
            XCTAssertTrue(text.contains("JKO step 8") && text.contains("smallest angle") && text.contains("°"), text)
        }
        // Without the guard the same step goes through (the guard is what stops it).
        XCTAssertNoThrow(try MeshJKO(potential: QuadraticPotential(target: target), timeStep: 1e-6).step(from: sliver))
    }

    /// The reported KL(ρ_h‖ν) of the piecewise-constant density is exact for a quadratic V
    /// (Dunavant's rule integrates V exactly): on the 32² start it agrees with a direct
    /// sum over 4× finer sub-triangles, and it is ≥ 0.
    func testRelativeEntropyIsAnExactKLOfTheMeshDensity() throws {
        let (start, target) = try Self.ouCase()
        let state = try MeshJKOState.start(mixture: start, cellsPerSide: 32)
        let potential = QuadraticPotential(target: target)
        let solver = try MeshJKO(potential: potential, timeStep: 0.05)
        let kl = solver.relativeEntropy(of: state)
        // ∫_T V for quadratic V = |T| (V(centroid) + (1/2)·tr(A Σ_T)), Σ_T the uniform covariance.
        let precision = try target.covariance.inverse()
        var direct = potential.logPartitionFunction ?? 0
        for t in 0..<state.mesh.triangleCount {
            var vx = [Double](), vy = [Double]()
            for r in 0..<3 { let n = state.mesh.triangles[3 * t + r]; vx.append(state.positions[2 * n]); vy.append(state.positions[2 * n + 1]) }
            let cx = vx.reduce(0, +) / 3, cy = vy.reduce(0, +) / 3
            var sxx = 0.0, sxy = 0.0, syy = 0.0
            for k in 0..<3 { sxx += (vx[k] - cx) * (vx[k] - cx); sxy += (vx[k] - cx) * (vy[k] - cy); syy += (vy[k] - cy) * (vy[k] - cy) }
            sxx /= 12; sxy /= 12; syy /= 12
            let dx = cx - target.mean[0], dy = cy - target.mean[1]
            let vCentre = 0.5 * (precision[0, 0] * dx * dx + 2 * precision[0, 1] * dx * dy + precision[1, 1] * dy * dy)
            let trace = precision[0, 0] * sxx + 2 * precision[0, 1] * sxy + precision[1, 1] * syy
            let m = state.triangleMasses[t], area = state.mesh.area(of: t, in: state.positions)
            direct += m * (Foundation.log(m / area) + vCentre + 0.5 * trace)
        }
        assertClose(kl, direct, atol: 1e-10)
        XCTAssertGreaterThan(kl, 0)
    }
}
