import Foundation
import NumericalCore
import Probability

/// The JKO scheme for F(ρ) = KL(ρ‖e^{−V}) in one dimension, in mass (Lagrangian)
/// coordinates (DESIGN.md §1.2; Matthes & Osberger 2014, Carrillo & Moll 2009).
///
/// From the particles yᵢ of ρ_k (see ``ParticleState1D``) one step minimises over ordered x
///
///   Φ(x) = Σᵢ mᵢ(xᵢ − yᵢ)²/(2h) + Σⱼ δⱼ log(δⱼ/(x_{j+1} − xⱼ)) + Σᵢ mᵢ V(xᵢ),
///
/// i.e. W₂²(ρ_k, ρ)/(2h) + F(ρ) with the state's discrete entropy, by damped Newton:
/// - gradient ∂Φ/∂xᵢ = mᵢ[(xᵢ − yᵢ)/h + V′(xᵢ)] − q_{i−1} + qᵢ with qⱼ = δⱼ/(x_{j+1} − xⱼ);
/// - Hessian tridiagonal: diagonal mᵢ(1/h + V″(xᵢ)) + q_{i−1}/Δ_{i−1} + qᵢ/Δᵢ, off-diagonal
///   −qⱼ/Δⱼ; positive definite when 1/h + V″ > 0 (else a Levenberg shift is added);
///   solved by the Thomas algorithm, O(N) per iteration;
/// - step length: the largest α ≤ 1 that keeps 1% of every gap (the log terms forbid
///   crossing), then Armijo backtracking on Φ, with the change in Φ summed term by term
///   (log1p for the gaps) so that it stays accurate near the minimum;
/// - stop when λ²/2 ≤ `tolerance`, λ² = gᵀH⁻¹g the squared Newton decrement. Since
///   H ≥ diag(mᵢ)/h when V is convex, the result is then within W₂ ≈ √(2h·tolerance) of
///   the exact minimiser (default tolerance 1e-18: about 1e-10 for h ≤ 1).
public struct LagrangianJKO1D: Sendable {
    public let potential: any Potential
    /// h > 0.
    public let timeStep: Double
    /// Stop when λ²/2 ≤ tolerance (units of F).
    public let tolerance: Double
    public let maximumIterations: Int

    public init(potential: any Potential, timeStep: Double, tolerance: Double = 1e-18, maximumIterations: Int = 100) throws {
        guard potential.dimension == 1 else {
            throw GradientFlowError.dimensionMismatch("the 1D particle JKO scheme needs a 1D potential; this one has dimension \(potential.dimension)")
        }
        guard timeStep > 0, timeStep.isFinite else { throw GradientFlowError.invalidTimeStep(timeStep) }
        do { try potential.checkConfinement() } catch {
            throw GradientFlowError.potentialNotConfining("\(error)")
        }
        self.potential = potential
        self.timeStep = timeStep
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
    }

    /// One JKO step from `current`; non-convergence is reported in the result, not thrown.
    public func step(from current: ParticleState1D) -> LagrangianJKOStep {
        let n = current.count, h = timeStep
        let y = current.positions, m = current.masses
        var x = y
        var delta = [Double](repeating: 0, count: n - 1)
        for j in 0..<(n - 1) { delta[j] = 0.5 * (m[j] + m[j + 1]) }
        var v = [Double](repeating: 0, count: n), dv = v, d2v = v
        var g = v, diag = v, shifted = v, off = v, p = v, scratch = v, trial = v, vTrial = v
        var iterations = 0, decrement = Double.infinity
        var status = "iteration limit \(maximumIterations) reached"
        var converged = false

        newton: while true {
            x.withUnsafeBufferPointer { xp in
                potential.evaluate(count: n, points: xp.baseAddress!, values: &v, gradients: &dv, hessians: &d2v)
            }
            for i in 0..<n {
                g[i] = m[i] * ((x[i] - y[i]) / h + dv[i])
                diag[i] = m[i] * (1 / h + d2v[i])
            }
            for j in 0..<(n - 1) {
                let gap = x[j + 1] - x[j]
                let q = delta[j] / gap, curvature = q / gap
                g[j] += q; g[j + 1] -= q
                diag[j] += curvature; diag[j + 1] += curvature
                off[j] = -curvature
            }
            guard g.allSatisfy(\.isFinite) else { status = "the gradient is not finite"; break }
            // Newton direction H p = −g, with a Levenberg shift μ·mᵢ/h if H is not positive definite.
            var shift = 0.0
            while true {
                for i in 0..<n { p[i] = -g[i] }
                for i in 0..<n { shifted[i] = diag[i] + shift * m[i] / h }
                let ok = Tridiagonal.solveSymmetric(count: n, diagonal: shifted, offDiagonal: off, rhs: &p, scratch: &scratch)
                if ok { break }
                shift = shift == 0 ? 1e-3 : shift * 10
                if shift > 1e8 { status = "the Hessian is not positive definite even with a shift"; break newton }
            }
            var gp = 0.0
            for i in 0..<n { gp += g[i] * p[i] }
            decrement = -0.5 * gp
            if decrement <= tolerance { converged = true; status = "converged"; break }
            if iterations >= maximumIterations { break }
            // Largest step keeping every gap above 1% of its current length.
            var alpha = 1.0
            for j in 0..<(n - 1) where p[j] > p[j + 1] {
                alpha = min(alpha, 0.99 * (x[j + 1] - x[j]) / (p[j] - p[j + 1]))
            }
            var accepted = false
            for _ in 0..<60 {
                for i in 0..<n { trial[i] = x[i] + alpha * p[i] }
                trial.withUnsafeBufferPointer { tp in
                    potential.evaluate(count: n, points: tp.baseAddress!, values: &vTrial, gradients: nil, hessians: nil)
                }
                var change = 0.0
                for i in 0..<n {
                    change += m[i] * (alpha * p[i] * (2 * (x[i] - y[i]) + alpha * p[i]) / (2 * h) + (vTrial[i] - v[i]))
                }
                for j in 0..<(n - 1) {
                    change -= delta[j] * Foundation.log1p(alpha * (p[j + 1] - p[j]) / (x[j + 1] - x[j]))
                }
                if change.isFinite && change <= 1e-4 * alpha * gp { accepted = true; break }
                alpha *= 0.5
            }
            guard accepted else {
                // Rounding floor: a decrement this small cannot be resolved in Φ.
                if decrement <= 1e6 * tolerance { converged = true; status = "converged (at the rounding floor)" }
                else { status = "the line search found no decrease" }
                break
            }
            swap(&x, &trial)
            iterations += 1
        }
        var next = current
        next.positions = x
        return LagrangianJKOStep(state: next, iterations: iterations, decrement: decrement, converged: converged, status: status)
    }

    /// [ρ₀, …, ρ_K]: `stepCount` steps from `start`. `onStep(k, result)` runs after step k
    /// (1-based), so a caller can write each step to disk before a later step fails.
    ///
    /// - Throws: ``GradientFlowError/newtonFailed(step:iterations:decrement:reason:)`` naming
    ///   the first step whose Newton solve did not converge.
    @discardableResult
    public func flow(from start: ParticleState1D, stepCount: Int,
                     onStep: (Int, LagrangianJKOStep) throws -> Void = { _, _ in }) throws -> [ParticleState1D] {
        var states = [start]
        guard stepCount > 0 else { return states }
        states.reserveCapacity(stepCount + 1)
        for k in 1...stepCount {
            let result = step(from: states[k - 1])
            guard result.converged else {
                throw GradientFlowError.newtonFailed(step: k, iterations: result.iterations,
                                                     decrement: result.decrement, reason: result.status)
            }
            try onStep(k, result)
            states.append(result.state)
        }
        return states
    }
}

/// The outcome of one 1D particle JKO step.
public struct LagrangianJKOStep: Sendable {
    /// ρ_{k+1}.
    public let state: ParticleState1D
    /// Newton updates taken.
    public let iterations: Int
    /// Final λ²/2 (half the squared Newton decrement, units of F).
    public let decrement: Double
    public let converged: Bool
    /// "converged" or why not.
    public let status: String
}
