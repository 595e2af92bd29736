import Foundation
import NumericalCore
import Probability

/// Finite volumes for the Fokker–Planck equation ∂ₜρ = ∇·(ρ∇V) + Δρ on a box with
/// no-flux walls, in one or two dimensions (DESIGN.md §1.2).
///
/// Space: Scharfetter–Gummel fluxes between neighbouring cells i, j (distance Δx),
///   J_{i→j} = [B(Vⱼ − Vᵢ)ρᵢ − B(Vᵢ − Vⱼ)ρⱼ]/Δx,  B(w) = w/(e^w − 1),
/// exact on the equilibrium e^{−V}, second order in Δx for smooth data. Written for
/// z = ρ e^{V/2} (V shifted by its grid minimum), the semi-discrete system is
/// ż = −Ĝz with Ĝ symmetric positive semi-definite: Ĝᵢᵢ = Σⱼ B(Vⱼ − Vᵢ)/Δx²,
/// Ĝᵢⱼ = −S(Vᵢ − Vⱼ)/Δx², S(w) = (w/2)/sinh(w/2). The kernel of Ĝ is ψ = e^{−V/2}, and
/// the mass is ψᵀz Δxᵈ.
///
/// Time: implicit Euler (I + ΔtĜ)z⁺ = z (first order; I + ΔtĜ is a Stieltjes matrix, so
/// the exact solution stays non-negative), or BDF2 (I + ⅔ΔtĜ)z⁺ = (4z − z⁻)/3 (second
/// order, started by one implicit-Euler step; positivity is not guaranteed by the scheme
/// and the minimum is reported). Both conserve ψᵀz exactly.
///
/// Linear solves: 1D by the Thomas algorithm (direct; for implicit Euler the computed
/// solution is non-negative in floating point). 2D by conjugate gradients without a
/// preconditioner, started at the previous state: its residuals stay orthogonal to ψ,
/// so mass is conserved to rounding at any iteration count; stop at
/// ‖r‖ ≤ `tolerance`·‖b‖. Values below zero at the level of that tolerance are set to 0
/// and the mass restored by scaling (the amount is reported as `clippedMass`).
/// κ(I + ΔtĜ) ≲ 1 + Δt(4/Δx² + 2 max|∇V|/Δx) · d/2, so CG needs O(√κ) iterations.
public struct FiniteVolumeFokkerPlanck: Sendable {
    public enum TimeScheme: String, Sendable, CaseIterable {
        case implicitEuler = "implicit-euler"
        case bdf2
    }

    public let grid: FiniteVolumeGrid
    public let timeStep: Double
    public let scheme: TimeScheme
    /// Relative residual of the 2D conjugate-gradient solves.
    public let tolerance: Double
    public let maximumIterations: Int
    /// ψ = e^{−(V − V_min)/2} per cell.
    let psi: [Double]
    /// Σⱼ B(Vⱼ − Vᵢ)/Δx² per cell.
    let diagonal: [Double]
    /// S(V_{i+1} − Vᵢ)/Δx² for neighbours along axis 0 (index of the lower cell) and axis 1.
    let couplingAxis0: [Double]
    let couplingAxis1: [Double]

    public init(potential: any Potential, grid: FiniteVolumeGrid, timeStep: Double,
                scheme: TimeScheme = .implicitEuler, tolerance: Double = 1e-12, maximumIterations: Int = 5000) throws {
        guard potential.dimension == grid.dimension else {
            throw GradientFlowError.dimensionMismatch("the potential has dimension \(potential.dimension) but the grid \(grid.dimension)")
        }
        guard timeStep > 0, timeStep.isFinite else { throw GradientFlowError.invalidTimeStep(timeStep) }
        do { try potential.checkConfinement() } catch { throw GradientFlowError.potentialNotConfining("\(error)") }
        self.grid = grid
        self.timeStep = timeStep
        self.scheme = scheme
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        let v = grid.potentialValues(potential)
        let vMin = v.min() ?? 0
        psi = v.map { Foundation.exp(-0.5 * ($0 - vMin)) }
        let n0 = grid.cellCounts[0], n1 = grid.dimension == 2 ? grid.cellCounts[1] : 1
        let scale = 1 / (grid.spacing * grid.spacing)
        var diagonal = [Double](repeating: 0, count: grid.cellCount)
        var c0 = [Double](repeating: 0, count: grid.cellCount), c1 = c0
        for i in 0..<n0 {
            for j in 0..<n1 {
                let k = i * n1 + j
                if i + 1 < n0 {
                    let w = v[k + n1] - v[k]
                    c0[k] = scale * FiniteVolumeFokkerPlanck.symmetricWeight(w)
                    diagonal[k] += scale * FiniteVolumeFokkerPlanck.bernoulli(w)
                    diagonal[k + n1] += scale * FiniteVolumeFokkerPlanck.bernoulli(-w)
                }
                if j + 1 < n1 {
                    let w = v[k + 1] - v[k]
                    c1[k] = scale * FiniteVolumeFokkerPlanck.symmetricWeight(w)
                    diagonal[k] += scale * FiniteVolumeFokkerPlanck.bernoulli(w)
                    diagonal[k + 1] += scale * FiniteVolumeFokkerPlanck.bernoulli(-w)
                }
            }
        }
        self.diagonal = diagonal
        self.couplingAxis0 = c0
        self.couplingAxis1 = c1
    }

    /// B(w) = w/(e^w − 1), B(0) = 1.
    static func bernoulli(_ w: Double) -> Double { abs(w) < 1e-12 ? 1 - 0.5 * w : w / Foundation.expm1(w) }

    /// S(w) = (w/2)/sinh(w/2) = B(w)e^{w/2}, S(0) = 1.
    static func symmetricWeight(_ w: Double) -> Double { abs(w) < 1e-8 ? 1 - w * w / 24 : (0.5 * w) / Foundation.sinh(0.5 * w) }

    /// The start state from cell values of ρ₀ (e.g. ``FiniteVolumeGrid/project(logDensity:)``).
    public func start(_ density: [Double]) throws -> FiniteVolumeState {
        guard density.count == grid.cellCount, density.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw GradientFlowError.invalidGrid("the start density needs \(grid.cellCount) finite non-negative cell values; got \(density.count)")
        }
        return FiniteVolumeState(density: density, previous: nil, step: 0, iterations: 0, residual: 0, clippedMass: 0)
    }

    /// The state after `step` time steps from saved cell values (a checkpoint): `density`
    /// and, for BDF2 after the first step, `previous` (the values one step earlier). A
    /// state built from a ``FiniteVolumeState``'s own fields steps on exactly as it would
    /// have; the last solve's counters are not needed and start at 0.
    public func resume(density: [Double], previous: [Double]?, step: Int) throws -> FiniteVolumeState {
        for values in [density] + (previous.map { [$0] } ?? []) {
            guard values.count == grid.cellCount, values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw GradientFlowError.invalidGrid("a saved finite-volume state needs \(grid.cellCount) finite non-negative cell values; got \(values.count)")
            }
        }
        guard step >= 0 else {
            throw GradientFlowError.invalidGrid("a saved finite-volume state needs a step count ≥ 0; got \(step)")
        }
        return FiniteVolumeState(density: density, previous: previous, step: step, iterations: 0, residual: 0, clippedMass: 0)
    }

    /// One time step of length `timeStep`.
    ///
    /// - Throws: ``GradientFlowError/linearSolveFailed(step:reason:)`` naming the step when
    ///   the solve breaks down or misses its tolerance.
    public func step(_ state: FiniteVolumeState) throws -> FiniteVolumeState {
        let n = grid.cellCount
        let z = (0..<n).map { state.density[$0] / psi[$0] }
        var rhs = z, theta = timeStep
        if scheme == .bdf2, let previous = state.previous {
            theta = 2 * timeStep / 3
            for i in 0..<n { rhs[i] = (4 * z[i] - previous[i] / psi[i]) / 3 }
        }
        var solution = rhs
        var iterations = 0, residual = 0.0
        if grid.dimension == 1 {
            var d = (0..<n).map { 1 + theta * diagonal[$0] }
            var off = couplingAxis0.map { -theta * $0 }
            var scratch = [Double](repeating: 0, count: n)
            guard Tridiagonal.solveSymmetric(count: n, diagonal: &d, offDiagonal: &off, rhs: &solution, scratch: &scratch) else {
                throw GradientFlowError.linearSolveFailed(step: state.step + 1, reason: "a pivot of the tridiagonal system vanished")
            }
        } else {
            solution = z
            (iterations, residual) = try conjugateGradient(theta: theta, rhs: rhs, solution: &solution, step: state.step + 1)
        }
        var density = (0..<n).map { solution[$0] * psi[$0] }
        var clipped = 0.0
        if density.contains(where: { $0 < 0 }) {
            let before = density.reduce(0, +)
            for i in 0..<n where density[i] < 0 { clipped -= density[i]; density[i] = 0 }
            let after = density.reduce(0, +)
            for i in 0..<n { density[i] *= before / after }
            clipped *= grid.cellVolume
        }
        return FiniteVolumeState(density: density, previous: state.density, step: state.step + 1,
                                 iterations: iterations, residual: residual, clippedMass: clipped)
    }

    /// y = (I + θĜ)x on the 2D grid.
    func apply(theta: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        let n0 = grid.cellCounts[0], n1 = grid.cellCounts[1]
        diagonal.withUnsafeBufferPointer { dg in
            couplingAxis0.withUnsafeBufferPointer { c0 in
                couplingAxis1.withUnsafeBufferPointer { c1 in
                    Parallel.forEachChunk(count: n0, minimumChunk: 64) { rows in
                        for i in rows {
                            for j in 0..<n1 {
                                let k = i * n1 + j
                                var s = dg[k] * x[k]
                                if i > 0 { s -= c0[k - n1] * x[k - n1] }
                                if i + 1 < n0 { s -= c0[k] * x[k + n1] }
                                if j > 0 { s -= c1[k - 1] * x[k - 1] }
                                if j + 1 < n1 { s -= c1[k] * x[k + 1] }
                                y[k] = x[k] + theta * s
                            }
                        }
                    }
                }
            }
        }
    }

    /// Conjugate gradients for (I + θĜ)x = b from the given x; returns (iterations, ‖r‖/‖b‖).
    func conjugateGradient(theta: Double, rhs b: [Double], solution x: inout [Double], step: Int) throws -> (Int, Double) {
        let n = b.count
        var r = [Double](repeating: 0, count: n), p = r, q = r
        x.withUnsafeBufferPointer { xp in r.withUnsafeMutableBufferPointer { apply(theta: theta, xp.baseAddress!, $0.baseAddress!) } }
        for i in 0..<n { r[i] = b[i] - r[i] }
        let bNorm = max(b.reduce(0) { $0 + $1 * $1 }.squareRoot(), .leastNormalMagnitude)
        var rr = r.reduce(0) { $0 + $1 * $1 }
        p = r
        var iterations = 0
        while rr.squareRoot() > tolerance * bNorm {
            guard iterations < maximumIterations else {
                throw GradientFlowError.linearSolveFailed(step: step, reason: "conjugate gradients reached \(maximumIterations) iterations at relative residual \(rr.squareRoot() / bNorm)")
            }
            p.withUnsafeBufferPointer { pp in q.withUnsafeMutableBufferPointer { apply(theta: theta, pp.baseAddress!, $0.baseAddress!) } }
            var pq = 0.0
            for i in 0..<n { pq += p[i] * q[i] }
            guard pq > 0, pq.isFinite else {
                throw GradientFlowError.linearSolveFailed(step: step, reason: "conjugate gradients broke down (pᵀAp = \(pq))")
            }
            let alpha = rr / pq
            var next = 0.0
            for i in 0..<n {
                x[i] += alpha * p[i]
                r[i] -= alpha * q[i]
                next += r[i] * r[i]
            }
            let beta = next / rr
            rr = next
            for i in 0..<n { p[i] = r[i] + beta * p[i] }
            iterations += 1
        }
        return (iterations, rr.squareRoot() / bNorm)
    }
}

/// The finite-volume state after `step` time steps.
public struct FiniteVolumeState: Sendable {
    /// Cell values ρᵢ (flat index, see ``FiniteVolumeGrid``).
    public let density: [Double]
    /// The state one step earlier (BDF2 needs it); `nil` at the start.
    public let previous: [Double]?
    public let step: Int
    /// Conjugate-gradient iterations of the last solve (0 for the direct 1D solve).
    public let iterations: Int
    /// Final relative residual of the last solve.
    public let residual: Double
    /// Mass moved by clipping negative values after the last solve.
    public let clippedMass: Double
}
