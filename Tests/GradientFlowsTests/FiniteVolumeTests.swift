import XCTest
import NumericalCore
import Probability
import GradientFlows
import _TestSupport

/// Finite-volume Fokker–Planck: spatial order against the analytic OU flow, mass,
/// positivity, energy decrease, equilibrium, bad input.
final class FiniteVolumeTests: XCTestCase {
    let target = try! Gaussian(mean: [0], standardDeviation: 1)
    let start = try! Gaussian(mean: [1.5], standardDeviation: 0.5)

    func run(_ solver: FiniteVolumeFokkerPlanck, from density: [Double], steps: Int) throws -> [FiniteVolumeState] {
        var states = [try solver.start(density)]
        for _ in 0..<steps { states.append(try solver.step(states[states.count - 1])) }
        return states
    }

    /// Observed L¹ order 2.00 (errors 9.6e-3, 2.4e-3, 5.9e-4 at Δx = 0.3, 0.15, 0.075) with
    /// BDF2 at Δt = 1e-3, whose O(Δt²) ≈ 1e-6 error is far below the spatial error.
    func testSecondOrderInSpaceAgainstAnalyticOU() throws {
        let flow = try OrnsteinUhlenbeckFlow(start: GaussianMixture(start), target: target)
        var errors = [Double](), spacings = [Double]()
        for m in [40, 80, 160] {
            let grid = try FiniteVolumeGrid(lower: -6, upper: 6, cellCount: m)
            let solver = try FiniteVolumeFokkerPlanck(potential: QuadraticPotential(target: target), grid: grid,
                                                      timeStep: 1e-3, scheme: .bdf2)
            let last = try run(solver, from: grid.project(logDensity: start.logDensity), steps: 500).last!
            let exact = grid.project { (try? flow.logDensity($0, at: 0.5)) ?? -.infinity }
            errors.append(grid.l1Distance(last.density, exact))
            spacings.append(grid.spacing)
        }
        let order = observedOrder(stepSizes: spacings, errors: errors)
        XCTAssertGreaterThan(order, 1.7); XCTAssertLessThan(order, 2.3)
    }

    /// Mass to 1e-12, positivity and energy decrease for implicit Euler in 1D (direct solve)
    /// and 2D (conjugate gradients), on the double well from an off-centre start.
    func testMassPositivityAndEnergyDecrease() throws {
        let cases: [(FiniteVolumeGrid, any Potential, Gaussian)] = [
            (try FiniteVolumeGrid(lower: -3, upper: 3, cellCount: 200), try DoubleWellPotential(dimension: 1, tilt: 0.2),
             try Gaussian(mean: [0.4], standardDeviation: 0.3)),
            (try FiniteVolumeGrid(squareLower: -3, upper: 3, cellCount: 48), try DoubleWellPotential(dimension: 2, tilt: 0.2),
             try Gaussian(mean: [0.4, 0.3], standardDeviation: 0.3)),
        ]
        for (grid, potential, startLaw) in cases {
            for scheme in FiniteVolumeFokkerPlanck.TimeScheme.allCases {
                let solver = try FiniteVolumeFokkerPlanck(potential: potential, grid: grid, timeStep: 0.02, scheme: scheme)
                let states = try run(solver, from: grid.project(logDensity: startLaw.logDensity), steps: 25)
                for (k, s) in states.enumerated() {
                    XCTAssertEqual(grid.mass(s.density), 1, accuracy: 1e-12, "mass at step \(k), \(scheme), d = \(grid.dimension)")
                    XCTAssertGreaterThanOrEqual(s.density.min()!, 0, "positivity at step \(k)")
                    if k > 0 {
                        XCTAssertLessThan(grid.energy(s.density, potential: potential),
                                          grid.energy(states[k - 1].density, potential: potential) + 1e-12, "energy at step \(k)")
                    }
                }
            }
        }
    }

    /// e^{−V} on the grid is an exact fixed point of the Scharfetter–Gummel scheme.
    func testEquilibriumIsAFixedPoint() throws {
        let potential = try DoubleWellPotential(dimension: 2, tilt: 0.3)
        let grid = try FiniteVolumeGrid(squareLower: -2.5, upper: 2.5, cellCount: 40)
        let equilibrium = grid.project { -potential.value($0) }
        let solver = try FiniteVolumeFokkerPlanck(potential: potential, grid: grid, timeStep: 0.1)
        let next = try solver.step(solver.start(equilibrium))
        assertClose(next.density, equilibrium, atol: 1e-10)
    }

    /// 2D accuracy: the error against the analytic OU density falls by ≈ 4 from 32² to 64².
    func testTwoDimensionalAgainstAnalyticOU() throws {
        let target2 = try Gaussian(mean: [0, 0], covariance: Matrix([[1, 0.3], [0.3, 0.5]]))
        let start2 = try Gaussian(mean: [1, -0.5], standardDeviation: 0.5)
        let flow = try OrnsteinUhlenbeckFlow(start: GaussianMixture(start2), target: target2)
        var errors = [Double](), spacings = [Double]()
        for m in [32, 64] {
            let grid = try FiniteVolumeGrid(squareLower: -5, upper: 5, cellCount: m)
            let solver = try FiniteVolumeFokkerPlanck(potential: QuadraticPotential(target: target2), grid: grid,
                                                      timeStep: 0.01, scheme: .bdf2)
            let last = try run(solver, from: grid.project(logDensity: start2.logDensity), steps: 30).last!
            let exact = grid.project { (try? flow.logDensity($0, at: 0.3)) ?? -.infinity }
            errors.append(grid.l1Distance(last.density, exact))
            spacings.append(grid.spacing)
        }
        let order = observedOrder(stepSizes: spacings, errors: errors)
        XCTAssertGreaterThan(order, 1.7); XCTAssertLessThan(order, 2.3)
    }

    func testBadInput() throws {
        let grid = try FiniteVolumeGrid(lower: -3, upper: 3, cellCount: 50)
        XCTAssertThrowsError(try FiniteVolumeFokkerPlanck(potential: QuadraticPotential(target: target), grid: grid, timeStep: 0))
        XCTAssertThrowsError(try FiniteVolumeFokkerPlanck(potential: QuadraticPotential(center: 0, curvature: -2), grid: grid, timeStep: 0.1)) { error in
            XCTAssertTrue("\(error)".contains("not confining"), "\(error)")
        }
        XCTAssertThrowsError(try FiniteVolumeGrid(lower: 1, upper: -1, cellCount: 10))
        XCTAssertThrowsError(try FiniteVolumeGrid(lower: [0, 0], upper: [1, 2], cellCounts: [10, 10]))
    }
}
