import NumericalCore

/// Exact OT on the line through quantile functions (monotone rearrangement).
///
/// For measures μ, ν on ℝ and a cost c(x, y) = h(x − y) with h convex (the squared
/// distance by default), the optimal plan couples equal quantiles:
///
///   OT(μ, ν) = ∫₀¹ c(F_μ⁻¹(t), F_ν⁻¹(t)) dt,
///
/// and for discrete measures the integrand is piecewise constant: sort both supports,
/// walk the merged cumulative weights, and each piece moves mass Δt from one source atom
/// to one target atom. Any weights (unequal sizes included); O(n log n + m log m); the plan
/// has at most n + m − 1 entries along a monotone staircase.
///
/// Duals: along the staircase consecutive entries share a source or a target, so
/// fᵢ + gⱼ = Cᵢⱼ on the support fixes (f, g) up to a constant (f of the first atom = 0);
/// atoms of zero weight get their c-transform. For convex h these are optimal potentials.
public enum QuantileTransport {
    /// Exact OT between two one-dimensional measures (`[n, 1]` and `[m, 1]` points).
    public static func solve(source: DiscreteMeasure, target: DiscreteMeasure,
                             cost: TransportCost = .squaredEuclidean) throws -> ExactTransportSolution {
        guard source.dimension == 1, target.dimension == 1 else {
            throw TransportError.dimensionMismatch(
                "the quantile solver is one-dimensional but the points have \(source.dimension) and \(target.dimension) columns; use ExactTransport.solve for d > 1")
        }
        let totalA = source.totalMass, totalB = target.totalMass
        guard abs(totalA - totalB) <= DiscreteMeasure.massTolerance * max(1, totalA) else {
            throw TransportError.invalidMeasure(
                "the source mass \(totalA) differs from the target mass \(totalB); balanced OT needs equal masses")
        }
        let xs = source.points.elements, ys = target.points.elements
        let a = source.weights, b = target.weights
        let si = xs.indices.sorted { xs[$0] < xs[$1] }, tj = ys.indices.sorted { ys[$0] < ys[$1] }
        var entries = [TransportPlanEntry]()
        entries.reserveCapacity(xs.count + ys.count)
        var i = 0, j = 0, ra = a[si[0]], rb = b[tj[0]]
        var total = 0.0, steps = 0
        while i < si.count && j < tj.count {
            steps += 1
            let moved = min(ra, rb)
            if moved > 0 {
                entries.append(TransportPlanEntry(source: si[i], target: tj[j], mass: moved))
                total += moved * cost([xs[si[i]]], [ys[tj[j]]])
            }
            if ra <= rb {
                rb -= ra
                i += 1
                if i < si.count { ra = a[si[i]] }
                if rb <= 0 { j += 1; if j < tj.count { rb = b[tj[j]] } }
            } else {
                ra -= rb
                j += 1
                if j < tj.count { rb = b[tj[j]] }
            }
        }
        let (f, g) = potentials(entries: entries, xs: xs, ys: ys, cost: cost)
        return ExactTransportSolution(entries: entries, sourceWeights: a, targetWeights: b, cost: total,
                                      sourcePotential: f, targetPotential: g, status: .converged, iterations: steps)
    }

    /// Dual potentials from the staircase support (see the type's documentation).
    static func potentials(entries: [TransportPlanEntry], xs: [Double], ys: [Double],
                           cost: TransportCost) -> ([Double], [Double]) {
        var f = [Double](repeating: .nan, count: xs.count), g = [Double](repeating: .nan, count: ys.count)
        for e in entries {
            let c = cost([xs[e.source]], [ys[e.target]])
            if f[e.source].isNaN && g[e.target].isNaN { f[e.source] = 0 }
            if f[e.source].isNaN { f[e.source] = c - g[e.target] } else if g[e.target].isNaN { g[e.target] = c - f[e.source] }
        }
        for j in ys.indices where g[j].isNaN {
            g[j] = xs.indices.filter { !f[$0].isNaN }.map { cost([xs[$0]], [ys[j]]) - f[$0] }.min() ?? 0
        }
        for i in xs.indices where f[i].isNaN {
            f[i] = ys.indices.map { cost([xs[i]], [ys[$0]]) - g[$0] }.min() ?? 0
        }
        return (f, g)
    }

    /// W₂² between two uniform empirical measures on the line given as **sorted** values
    /// (sizes may differ): the quantile integral with weights 1/n and 1/m. O(n + m).
    public static func squaredDistanceOfSorted(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        let n = x.count, m = y.count
        if n == m {
            var s = 0.0
            for k in 0..<n { let t = x[k] - y[k]; s += t * t }
            return s / Double(n)
        }
        // Merge the breakpoints k/n and l/m, in integer units of 1/(n·m).
        var i = 0, j = 0, ra = m, rb = n, s = 0.0
        while i < n && j < m {
            let moved = min(ra, rb)
            let t = x[i] - y[j]
            s += Double(moved) * t * t
            ra -= moved; rb -= moved
            if ra == 0 { i += 1; ra = m }
            if rb == 0 { j += 1; rb = n }
        }
        return s / Double(n * m)
    }
}
