/// A derivative-free minimiser for tests (Nelder–Mead, Lagarias et al. 1998 coefficients
/// 1, 2, ½, ½) with restarts: an independent route to a minimiser that a closed form must match.
///
/// Each restart builds a fresh simplex of edge `initialStep` around the best point so far and
/// runs until the spread of objective values over the simplex is ≤ `tolerance` or
/// `maxEvaluations` is spent. Restarts stop a collapsed simplex from stalling away from the
/// minimum. The returned point is resolved to about √(tolerance/curvature) per coordinate.
public func nelderMeadMinimum(of objective: ([Double]) -> Double, from start: [Double],
                              initialStep: Double = 0.1, tolerance: Double = 1e-15,
                              restarts: Int = 6, maxEvaluations: Int = 40_000) -> (point: [Double], value: Double) {
    let n = start.count
    var best = start
    var bestValue = objective(start)
    var step = initialStep
    for _ in 0..<restarts {
        var simplex = [best]
        for i in 0..<n { var p = best; p[i] += step; simplex.append(p) }
        var values = simplex.map(objective)
        var evaluations = n + 1
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if values[n] - values[0] <= tolerance { break }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex[0..<n] { for j in 0..<n { centroid[j] += p[j] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1), fr = objective(reflected)
            evaluations += 1
            if fr < values[0] {
                let expanded = along(-2), fe = objective(expanded)
                evaluations += 1
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected; values[n] = fr
            } else {
                let contracted = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = objective(contracted)
                evaluations += 1
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted; values[n] = fc
                } else {
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = objective(simplex[i])
                    }
                    evaluations += n
                }
            }
        }
        let i = values.indices.min { values[$0] < values[$1] }!
        if values[i] <= bestValue { best = simplex[i]; bestValue = values[i] }
        step *= 0.1
    }
    return (best, bestValue)
}
