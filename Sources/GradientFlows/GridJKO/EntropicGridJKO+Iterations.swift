import Foundation
import NumericalCore

/// The inner iterations of ``EntropicGridJKO``: the paper's alternating updates of the
/// log-potentials a = f/ε, b = g/ε,
///
///   a ← log p − log K eᵇ                  (row marginal = p),
///   b ← −κ (log Kᵀeᵃ + V),  κ = 2h/(2h + ε),
///
/// with every kernel product by ``SeparableLogKernel`` (dgemm on per-line scalings, exact
/// log-sum-exp where those would underflow), and two accelerations that keep the fixed
/// point and the stopping rule (L¹ row-marginal error Σᵢ |π1 − p|ᵢ ≤ tolerance, the final
/// a-update always a plain one, so the returned row marginal is exact):
///
/// - **Translation** (Séjourné et al., *Faster unbalanced optimal transport: translation
///   invariant Sinkhorn*, AISTATS 2022). The coupling π = e^{aᵢ + b_j}K_ij does not change
///   under (a + τ, b − τ), but the prox does: the plain iterations contract that direction
///   only by κ per iteration (1 − ε/(2h): 0.976 for ε = Δx² = 0.0025, h = 0.05, i.e. ≈ 850
///   iterations to 10⁻⁹). After each b-update the dual is maximised along it in closed
///   form: τ = −(2h/ε) [LSE_j(−(ε/2h) b_j − V_j) − log Σp] (the prox's marginal
///   e^{−(ε/2h)b − V} then has the mass of p).
/// - **Over-relaxation** (SOR on the two blocks: a ← a + ω(a_plain − a), the same for b).
///   The first `probeIterations` are plain; their error ratio ρ (the linear rate of the
///   plain iterations) gives Young's optimal ω = 2/(1 + √(1 − ρ)) for a two-block system,
///   at most `largestRelaxation`. Safeguard (SOR's error is not monotone: above the optimum
///   it oscillates with modulus ω − 1): when `safeguardWindow` iterations pass without a
///   new smallest error, the iterate goes back to the best one and ω is halved towards 1
///   (plain after three halvings); the discarded iterations still count.
extension EntropicGridJKO {
    /// The result of the inner iterations: potentials a = f/ε, b = g/ε, log Kᵀe^{a} (for
    /// the target marginal q = e^{b + log Kᵀe^a}), iterations and the final marginal error.
    struct InnerIterate {
        var a: [Double]
        var b: [Double]
        var logColumn: [Double]
        var iterations: Int
        var error: Double
        /// ω of the last update (1: plain).
        var relaxation: Double
        /// The share of kernel-pass entries recomputed by the exact log-sum-exp.
        var exactFraction: Double
    }

    static let probeIterations = 10
    static let safeguardWindow = 30
    static let largestRelaxation = 1.9

    /// The iterations from (a₀, b₀) (`[cells]` each; a = −∞ where p = 0).
    func iterate(p: [Double], a0: [Double], b0: [Double], kappa: Double) -> InnerIterate {
        let count = p.count
        let logP = p.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
        let logMass = Foundation.log(p.reduce(0, +)), weight = epsilon / (2 * timeStep)
        let vValues = potentialValues
        var a = a0, b = b0
        var r = [Double](repeating: 0, count: count), c = r
        var workspace = kernel.makeWorkspace()
        var exactEntries = 0, entries = 0
        func logKernel(_ x: [Double], into y: inout [Double]) {
            if exactKernelProducts { y = kernel.applyExactly(x) } else { exactEntries += kernel.apply(x, into: &y, workspace: &workspace) }
            entries += count * kernel.counts.count
        }
        var iterations = 0, error = Double.infinity, omega = 1.0, halvings = 0
        var errors = [Double]()
        var best: (a: [Double], b: [Double], error: Double, iteration: Int)?
        while iterations < maximumIterations {
            // Row log-marginal of the current (a, b) and its L¹ error.
            logKernel(b, into: &r)
            error = a.withUnsafeBufferPointer { ap in r.withUnsafeBufferPointer { rp in
                let ab = ap.baseAddress!, rb = rp.baseAddress!
                return Parallel.sum(count: count, minimumChunk: 2048) { range in
                    var e = 0.0
                    for i in range where p[i] > 0 || rb[i] > -Double.infinity {
                        let row = Foundation.exp(ab[i] + rb[i])
                        e += abs((row.isFinite ? row : .infinity) - p[i])
                    }
                    return e
                }
            } }
            iterations += 1
            errors.append(error)
            if iterations > 1, error <= tolerance {
                for i in 0..<count { a[i] = logP[i] - r[i] }
                break
            }
            if accelerate {
                if halvings == 0, omega == 1, iterations == EntropicGridJKO.probeIterations {
                    let rate = Foundation.pow(error / errors[iterations - 5], 0.25)
                    if rate > 0, rate < 1 {
                        omega = relaxationOverride ?? min(EntropicGridJKO.largestRelaxation, 2 / (1 + (1 - rate).squareRoot()))
                        best = (a, b, error, iterations)
                    }
                } else if omega > 1, let saved = best {
                    if error < saved.error {
                        best = (a, b, error, iterations)
                    } else if iterations - saved.iteration >= EntropicGridJKO.safeguardWindow {
                        // No new smallest error for a window: back to the best iterate, smaller ω.
                        a = saved.a
                        b = saved.b
                        halvings += 1
                        omega = halvings >= 3 ? 1 : 1 + (omega - 1) / 2
                        best = (saved.a, saved.b, saved.error, iterations)
                        continue
                    }
                }
            }
            // a-update, then the b-update (the KL prox), both relaxed by ω.
            for i in 0..<count {
                a[i] = p[i] > 0 ? a[i] + omega * (logP[i] - r[i] - a[i]) : -Double.infinity
            }
            logKernel(a, into: &c)
            for j in 0..<count { b[j] += omega * (-kappa * (c[j] + vValues[j]) - b[j]) }
            if accelerate { translate(a: &a, b: &b, weight: weight, logMass: logMass) }
        }
        logKernel(a, into: &c)
        return InnerIterate(a: a, b: b, logColumn: c, iterations: iterations, error: error, relaxation: omega,
                            exactFraction: entries > 0 ? Double(exactEntries) / Double(entries) : 0)
    }

    /// (a + τ, b − τ) with τ = −(1/w) [LSE_j(−w b_j − V_j) − log Σp], w = ε/(2h): the
    /// dual's maximum along the direction that leaves the coupling unchanged.
    func translate(a: inout [Double], b: inout [Double], weight w: Double, logMass: Double) {
        let count = b.count, vValues = potentialValues
        var top = -Double.infinity
        for j in 0..<count { top = max(top, -w * b[j] - vValues[j]) }
        guard top.isFinite else { return }
        let sum = b.withUnsafeBufferPointer { bp in
            let bb = bp.baseAddress!
            return Parallel.sum(count: count, minimumChunk: 4096) { range in
                var s = 0.0
                for j in range { s += Foundation.exp(-w * bb[j] - vValues[j] - top) }
                return s
            }
        }
        let tau = -(top + Foundation.log(sum) - logMass) / w
        guard tau.isFinite else { return }
        for i in 0..<count where a[i] > -Double.infinity { a[i] += tau }
        for j in 0..<count { b[j] -= tau }
    }
}
