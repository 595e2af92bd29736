import Foundation
import NumericalCore

/// The inner iterations of ``EntropicGridJKO``, in two forms with the same updates and the
/// same stopping rule (L¹ row-marginal error ≤ tolerance):
///
/// - **Stabilised scalings** (the fast path, after Schmitzer's stabilised scaling
///   algorithm): u = e^{a − s_u}, v = e^{b − s_v} with scalar log-scales s_u, s_v absorbed
///   after every update so that max u = max v = 1. The kernel products are then real
///   (``SeparableGibbsKernel``: two dgemms per product, no exponentials), and one update is
///
///     u = p ⊘ (K v),  s_u = −s_v  (then renormalised),
///     v = exp(−κ(log Kᵀu + V) − m),  s_v = −κ s_u + m,  m the maximum,
///
///   i.e. one log and one exp per cell per iteration (the log-domain form needs five).
///   Valid while every scaling stays in [10⁻²⁸⁰, 1] (the products then stay normal
///   doubles and the kernel products exact); when a scaling leaves that range (potentials
///   spanning more than ≈ 640 in units of ε, or a zero mass where the kernel cannot reach)
///   the step is redone in the log domain.
/// - **Log domain** (``SeparableLogKernel``): the exact, always-stable fallback.
extension EntropicGridJKO {
    /// The result of the inner iterations: potentials a = f/ε, b = g/ε, log Kᵀe^{a} (for
    /// the target marginal q = e^{b + log Kᵀe^a}), iterations and the final marginal error.
    struct InnerIterate {
        var a: [Double]
        var b: [Double]
        var logColumn: [Double]
        var iterations: Int
        var error: Double
        var stabilised: Bool
    }

    /// The smallest scaling the fast path accepts.
    static let smallestScaling = 1e-280

    /// The stabilised scaling iterations from (a₀, b₀); nil when a scaling leaves
    /// [10⁻²⁸⁰, 1] (then use ``logDomainIterations``).
    func scalingIterations(p: [Double], a0: [Double], b0: [Double], kappa: Double) -> InnerIterate? {
        let count = p.count, floor = EntropicGridJKO.smallestScaling, logFloor = Foundation.log(floor)
        guard let su0 = a0.filter({ $0.isFinite }).max(), let sv0 = b0.max(), sv0.isFinite else { return nil }
        var su = su0, sv = sv0
        var u = [Double](repeating: 0, count: count), v = u, r = u, c = u, t = u, scratch = u
        for i in 0..<count {
            u[i] = p[i] > 0 ? Foundation.exp(a0[i] - su) : 0
            v[i] = Foundation.exp(b0[i] - sv)
            if v[i] < floor || (p[i] > 0 && u[i] < floor) { return nil }
        }
        var iterations = 0, error = Double.infinity
        let kernelCopy = gibbsKernel, vValues = potentialValues
        while iterations < maximumIterations {
            v.withUnsafeBufferPointer { vp in r.withUnsafeMutableBufferPointer { rp in scratch.withUnsafeMutableBufferPointer { sp in
                kernelCopy.apply(vp.baseAddress!, into: rp.baseAddress!, scratch: sp.baseAddress!) } } }
            guard abs(su + sv) < 700 else { return nil }
            let scale = Foundation.exp(su + sv)
            var e = 0.0, m = 0.0
            for i in 0..<count {
                e += abs(u[i] * r[i] * scale - p[i])
                if p[i] > 0 {
                    guard r[i] > 0 else { return nil }
                    u[i] = p[i] / r[i]
                    m = u[i] > m ? u[i] : m
                } else { u[i] = 0 }
            }
            guard m > 0, m.isFinite else { return nil }
            su = -sv + Foundation.log(m)
            let inverse = 1 / m
            for i in 0..<count where p[i] > 0 {
                u[i] *= inverse
                if u[i] < floor { return nil }
            }
            error = e
            iterations += 1
            if iterations > 1, error <= tolerance { break }
            u.withUnsafeBufferPointer { up in c.withUnsafeMutableBufferPointer { cp in scratch.withUnsafeMutableBufferPointer { sp in
                kernelCopy.apply(up.baseAddress!, into: cp.baseAddress!, scratch: sp.baseAddress!) } } }
            var positive = true
            c.withUnsafeBufferPointer { cp in t.withUnsafeMutableBufferPointer { tp in
                let cb = cp.baseAddress!, tb = tp.baseAddress!
                Parallel.forEachChunk(count: count, minimumChunk: 2048) { range in
                    for j in range { tb[j] = -kappa * (Foundation.log(cb[j]) + vValues[j]) }
                }
            } }
            var top = -Double.infinity
            for j in 0..<count {
                if !(c[j] > 0) { positive = false }
                top = t[j] > top ? t[j] : top
            }
            guard positive, top.isFinite else { return nil }
            var low = Double.infinity
            for j in 0..<count { low = t[j] < low ? t[j] : low }
            guard low - top > logFloor else { return nil }
            t.withUnsafeBufferPointer { tp in v.withUnsafeMutableBufferPointer { vp in
                let tb = tp.baseAddress!, vb = vp.baseAddress!
                Parallel.forEachChunk(count: count, minimumChunk: 2048) { range in
                    for j in range { vb[j] = Foundation.exp(tb[j] - top) }
                }
            } }
            sv = -kappa * su + top
        }
        u.withUnsafeBufferPointer { up in c.withUnsafeMutableBufferPointer { cp in scratch.withUnsafeMutableBufferPointer { sp in
            kernelCopy.apply(up.baseAddress!, into: cp.baseAddress!, scratch: sp.baseAddress!) } } }
        var a = u, b = v, logColumn = c
        for i in 0..<count {
            a[i] = p[i] > 0 ? su + Foundation.log(u[i]) : -Double.infinity
            b[i] = sv + Foundation.log(v[i])
            logColumn[i] = c[i] > 0 ? su + Foundation.log(c[i]) : -Double.infinity
        }
        return InnerIterate(a: a, b: b, logColumn: logColumn, iterations: iterations, error: error, stabilised: true)
    }

    /// The same iterations in the log domain (exact for any range of the potentials).
    func logDomainIterations(p: [Double], a0: [Double], b0: [Double], kappa: Double) -> InnerIterate {
        let count = p.count
        let logP = p.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
        var a = a0, b = b0
        var iterations = 0, error = Double.infinity
        while iterations < maximumIterations {
            // Row log-marginal of the current (a, b), then the f-update.
            let r = kernel.apply(b)
            var e = 0.0
            for i in 0..<count where p[i] > 0 || r[i] > -Double.infinity {
                let row = Foundation.exp(a[i] + r[i])
                e += abs((row.isFinite ? row : .infinity) - p[i])
                a[i] = logP[i] - r[i]
            }
            error = e
            iterations += 1
            if iterations > 1, error <= tolerance { break }
            let c = kernel.apply(a)
            for j in 0..<count { b[j] = -kappa * (c[j] + potentialValues[j]) }
        }
        return InnerIterate(a: a, b: b, logColumn: kernel.apply(a), iterations: iterations, error: error, stabilised: false)
    }
}
