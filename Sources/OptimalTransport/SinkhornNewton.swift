import Foundation
import NumericalCore

/// Newton's method on the semi-dual of balanced entropic OT: the polish that
/// ``SinkhornSolver`` applies at the final ε when plain Sinkhorn stalls (clustered clouds
/// leave it on a plateau for thousands of iterations: the slow mode moves mass between
/// clusters through a kernel that is nearly block diagonal).
///
/// With g = g(f) the exact Sinkhorn column update (so πᵀ1 = b), the semi-dual
///   D(f) = ⟨a, f⟩ + ⟨b, g(f)⟩
/// is concave; its gradient in (f, g) is (a − r, 0) with r = π1, and the Hessian of −D in
/// (f, g) is H = ε⁻¹ [[diag r, π], [πᵀ, diag c]] (c = πᵀ1 = b). The Newton step H δ = ∇
/// is solved through the Schur complement on the column side,
///
///   S δg = −ε πᵀ((a − r)/r),   S = diag(c) − πᵀ diag(1/r) π   (`[m, m]`, one GEMM),
///   δf = ε(a − r)/r − diag(1/r) π δg,
///
/// where S has the constant vector as its null space (the gauge f + λ, g − λ) and the
/// right-hand side is orthogonal to it, so S + mean(c)·11ᵀ is positive definite and gives
/// the same step; it is factored by Cholesky. Each step is backtracked (halving, at most
/// 30 times) until D increases (or, within round-off of D, the marginal error decreases).
/// Cost per step: O(nm) exponentials, O(nm²) for S, O(m³/3) for its factor; memory m².
/// Newton converges quadratically near the optimum (Cuturi & Peyré, *Computational
/// Optimal Transport*, 2019, §4.5; Brauer, Clason, Lorenz & Wirth 2017).
enum SinkhornNewton {
    /// Largest min(n, m) for which the polish is attempted (memory and O(m³) time).
    static let sizeLimit = 3000

    /// Polishes (f, g) in place, with g updated exactly after every step; returns the L1
    /// row-marginal error after each accepted step (stops below `tolerance` or after
    /// `maximumSteps`, or when a step cannot be accepted).
    static func polish(cost c: Matrix, transposed ct: Matrix, a: [Double], b: [Double], f: inout [Double], g: inout [Double],
                       epsilon: Double, tolerance: Double, maximumSteps: Int) -> [Double] {
        let n = a.count, m = b.count
        let la = a.map { Foundation.log($0) }, lb = b.map { Foundation.log($0) }
        var history = [Double]()
        var pi = LogDomain.plan(c, logSource: la, logTarget: lb, f: f, g: g, epsilon: epsilon)
        var (r, error) = rowMarginal(pi, a)
        var value = semiDual(a, b, f, g)
        for _ in 0..<maximumSteps {
            if error < tolerance { break }
            guard let (df, dg) = newtonStep(pi, r: r, a: a, b: b, epsilon: epsilon, n: n, m: m) else { break }
            var step = 1.0, accepted = false
            for _ in 0..<30 {
                let fTrial = (0..<n).map { f[$0] + step * df[$0] }
                let gTrial = LogDomain.softMinimum(ct, potential: fTrial, logWeights: la, epsilon: epsilon)
                let trialValue = semiDual(a, b, fTrial, gTrial)
                let trialPlan = LogDomain.plan(c, logSource: la, logTarget: lb, f: fTrial, g: gTrial, epsilon: epsilon)
                let (trialR, trialError) = rowMarginal(trialPlan, a)
                // Ascent of the concave semi-dual; within round-off of the value, a smaller
                // marginal error decides.
                let noise = 1e-13 * (abs(value) + 1)
                let better = trialValue > value + noise || (trialValue >= value - noise && trialError < error)
                if better && trialError.isFinite && trialValue.isFinite {
                    f = fTrial; g = gTrial; pi = trialPlan; r = trialR; error = trialError; value = trialValue
                    accepted = true
                    break
                }
                step *= 0.5
            }
            guard accepted else { break }
            _ = dg
            history.append(error)
        }
        return history
    }

    /// ⟨a, f⟩ + ⟨b, g⟩ (the dual objective when g is the exact column update).
    static func semiDual(_ a: [Double], _ b: [Double], _ f: [Double], _ g: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * f[i] }
        for j in b.indices { s += b[j] * g[j] }
        return s
    }

    /// r = π1 and Σᵢ |rᵢ − aᵢ|.
    static func rowMarginal(_ pi: Matrix, _ a: [Double]) -> ([Double], Double) {
        let m = pi.columns
        var r = [Double](repeating: 0, count: pi.rows), error = 0.0
        pi.elements.withUnsafeBufferPointer { p in
            for i in 0..<pi.rows {
                var s = 0.0
                for j in 0..<m { s += p[i * m + j] }
                r[i] = s
                error += abs(s - a[i])
            }
        }
        return (r, error)
    }

    /// The Newton direction (δf, δg) at a plan with exact column marginals; nil when the
    /// Schur complement cannot be factored (a row with no mass left).
    static func newtonStep(_ pi: Matrix, r: [Double], a: [Double], b: [Double], epsilon: Double, n: Int, m: Int) -> ([Double], [Double])? {
        guard r.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        // W = diag(1/√r) π, `[n, m]`; S = diag(c) − WᵀW + mean(c)·11ᵀ.
        var w = pi
        let c = (0..<m).map { j in (0..<n).reduce(0.0) { $0 + pi[$1, j] } }
        w.elements.withUnsafeMutableBufferPointer { wp in
            for i in 0..<n {
                let s = 1 / r[i].squareRoot()
                for j in 0..<m { wp[i * m + j] *= s }
            }
        }
        var schur = Matrix(rows: m, columns: m)
        w.elements.withUnsafeBufferPointer { wp in
            schur.elements.withUnsafeMutableBufferPointer { sp in
                BLAS.gemm(transposeA: true, m: m, n: m, k: n, alpha: -1, a: wp.baseAddress!, lda: m,
                          b: wp.baseAddress!, ldb: m, beta: 0, c: sp.baseAddress!)
            }
        }
        let shift = c.reduce(0, +) / Double(m)
        for j in 0..<m {
            schur[j, j] += c[j]
            for k in 0..<m { schur[j, k] += shift }
        }
        for j in 0..<m { for k in (j + 1)..<max(j + 1, m) { let s = 0.5 * (schur[j, k] + schur[k, j]); schur[j, k] = s; schur[k, j] = s } }
        // Right-hand side −ε πᵀ((a − r)/r).
        let u = (0..<n).map { (a[$0] - r[$0]) / r[$0] }
        var rhs = [Double](repeating: 0, count: m)
        for i in 0..<n where u[i] != 0 { for j in 0..<m { rhs[j] -= epsilon * pi[i, j] * u[i] } }
        guard let factor = try? schur.cholesky() else { return nil }
        let dg = choleskySolve(factor, rhs)
        guard dg.allSatisfy(\.isFinite) else { return nil }
        var df = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<m { s += pi[i, j] * dg[j] }
            df[i] = epsilon * u[i] - s / r[i]
        }
        return (df, dg)
    }

    /// x with L Lᵀ x = y (L lower triangular, `[m, m]`).
    static func choleskySolve(_ l: Matrix, _ y: [Double]) -> [Double] {
        let m = y.count
        var z = y
        for i in 0..<m {
            var s = z[i]
            for k in 0..<i { s -= l[i, k] * z[k] }
            z[i] = s / l[i, i]
        }
        for i in stride(from: m - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<max(i + 1, m) { s -= l[k, i] * z[k] }
            z[i] = s / l[i, i]
        }
        return z
    }
}
