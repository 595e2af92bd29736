import NumericalCore

/// Exact OT between weighted measures of any sizes n and m (the general solver).
///
///   minimise Σᵢⱼ Cᵢⱼ πᵢⱼ  subject to  π ≥ 0, π 1 = a, πᵀ 1 = b      (Σ a = Σ b = 1)
///
/// by successive shortest paths (the primal–dual method for min-cost flow; Ahuja, Magnanti &
/// Orlin, *Network Flows*, 1993, §9.7): node potentials keep every residual arc's reduced
/// cost non-negative, each round runs Dijkstra from all sources with supply left to the
/// nearest target with demand left, and pushes the largest amount the path allows. Every
/// round empties a source, fills a target or empties a reverse arc, so the plan stays
/// sparse. Dense Dijkstra: O((n + m)²) per round, O((n + m)³) overall — meant for weighted
/// problems up to a few thousand points; equal-size uniform problems are faster with
/// ``AssignmentSolver``.
///
/// Duals: with row potential pᵢ and column potential qⱼ the solver keeps
/// Cᵢⱼ + pᵢ − qⱼ ≥ 0 (= 0 on the plan's support); f = −p, g = q are optimal OT potentials.
public struct ShortestPathTransportSolver: Sendable {
    /// Masses below this are treated as exhausted (weights sum to 1).
    public var massTolerance: Double

    public init(massTolerance: Double = 1e-14) {
        self.massTolerance = massTolerance
    }

    public func solve(_ problem: TransportProblem) throws -> ExactTransportSolution {
        let a = problem.sourceWeights, bRaw = problem.targetWeights
        let totalA = a.reduce(0, +), totalB = bRaw.reduce(0, +)
        guard abs(totalA - totalB) <= DiscreteMeasure.massTolerance * max(1, totalA) else {
            throw TransportError.invalidMeasure(
                "the source mass \(totalA) differs from the target mass \(totalB); balanced OT needs equal masses (normalise both, or use the unbalanced solver)")
        }
        let b = bRaw.map { $0 * totalA / totalB }
        var state = SuccessiveShortestPaths(cost: problem.costMatrix, supply: a, demand: b, tolerance: massTolerance)
        let rounds = state.run(maximumRounds: 20 * (a.count + b.count) + 100)
        var entries = [TransportPlanEntry]()
        var total = 0.0
        for (j, rows) in state.columnSupport.enumerated() {
            for i in rows {
                let mass = state.flow[i * b.count + j]
                entries.append(TransportPlanEntry(source: i, target: j, mass: mass))
                total += mass * problem.costMatrix[i, j]
            }
        }
        entries.sort { ($0.source, $0.target) < ($1.source, $1.target) }
        return ExactTransportSolution(
            entries: entries, sourceWeights: a, targetWeights: bRaw, cost: total,
            sourcePotential: state.rowPotential.map { -$0 }, targetPotential: state.columnPotential,
            status: rounds.finished ? .converged : .notConverged, iterations: rounds.count)
    }
}

/// The state of the successive-shortest-path method on a dense bipartite graph.
struct SuccessiveShortestPaths {
    let n: Int, m: Int
    let cost: [Double]
    var supply: [Double], demand: [Double]
    let tolerance: Double
    /// Flow πᵢⱼ, dense `[n, m]`.
    var flow: [Double]
    /// Rows with positive flow in each column (the reverse arcs of the residual graph).
    var columnSupport: [[Int]]
    var rowPotential: [Double], columnPotential: [Double]

    init(cost: Matrix, supply: [Double], demand: [Double], tolerance: Double) {
        n = cost.rows; m = cost.columns
        self.cost = cost.elements
        self.supply = supply; self.demand = demand
        self.tolerance = tolerance
        flow = [Double](repeating: 0, count: n * m)
        columnSupport = [[Int]](repeating: [], count: m)
        rowPotential = [Double](repeating: 0, count: n)
        columnPotential = (0..<m).map { j in (0..<cost.rows).reduce(Double.infinity) { min($0, cost[$1, j]) } }
    }

    /// Augments until supply or demand is exhausted; returns the number of rounds.
    mutating func run(maximumRounds: Int) -> (count: Int, finished: Bool) {
        var distRow = [Double](repeating: 0, count: n), distCol = [Double](repeating: 0, count: m)
        var doneRow = [Bool](repeating: false, count: n), doneCol = [Bool](repeating: false, count: m)
        var predCol = [Int](repeating: -1, count: m), predRow = [Int](repeating: -1, count: n)
        var rounds = 0
        while rounds < maximumRounds {
            guard supply.contains(where: { $0 > tolerance }), demand.contains(where: { $0 > tolerance }) else {
                return (rounds, true)
            }
            rounds += 1
            for i in 0..<n { distRow[i] = supply[i] > tolerance ? 0 : .infinity; doneRow[i] = false; predRow[i] = -1 }
            for j in 0..<m { distCol[j] = .infinity; doneCol[j] = false; predCol[j] = -1 }
            var target = -1, reach = 0.0
            // Dense Dijkstra over rows and columns, reduced costs ≥ 0.
            while target < 0 {
                var best = Double.infinity, bestNode = -1
                for i in 0..<n where !doneRow[i] && distRow[i] < best { best = distRow[i]; bestNode = i }
                for j in 0..<m where !doneCol[j] && distCol[j] < best { best = distCol[j]; bestNode = n + j }
                guard bestNode >= 0 else { return (rounds, false) }  // unreachable demand: cannot happen for equal masses
                if bestNode < n {
                    let i = bestNode
                    doneRow[i] = true
                    let base = i * m, p = rowPotential[i]
                    for j in 0..<m where !doneCol[j] {
                        let candidate = best + max(0, cost[base + j] + p - columnPotential[j])
                        if candidate < distCol[j] { distCol[j] = candidate; predCol[j] = i }
                    }
                } else {
                    let j = bestNode - n
                    doneCol[j] = true
                    if demand[j] > tolerance { target = j; reach = best; break }
                    for i in columnSupport[j] where !doneRow[i] {
                        let candidate = best + max(0, columnPotential[j] - cost[i * m + j] - rowPotential[i])
                        if candidate < distRow[i] { distRow[i] = candidate; predRow[i] = j }
                    }
                }
            }
            // New potentials: π ← π + min(dist, reach) keeps all reduced costs ≥ 0.
            for i in 0..<n { rowPotential[i] += min(distRow[i], reach) }
            for j in 0..<m { columnPotential[j] += min(distCol[j], reach) }
            augment(to: target, predCol: predCol, predRow: predRow)
        }
        return (rounds, !supply.contains(where: { $0 > tolerance }) || !demand.contains(where: { $0 > tolerance }))
    }

    /// Pushes the bottleneck amount along the path ending at column `target`.
    mutating func augment(to target: Int, predCol: [Int], predRow: [Int]) {
        var amount = demand[target]
        var j = target, source = -1
        while true {
            let i = predCol[j]
            if predRow[i] < 0 { source = i; break }
            let back = predRow[i]
            amount = min(amount, flow[i * m + back])
            j = back
        }
        amount = min(amount, supply[source])
        supply[source] -= amount
        demand[target] -= amount
        j = target
        while true {
            let i = predCol[j]
            if flow[i * m + j] == 0 { columnSupport[j].append(i) }
            flow[i * m + j] += amount
            if predRow[i] < 0 { break }
            let back = predRow[i]
            flow[i * m + back] -= amount
            if flow[i * m + back] <= tolerance {
                flow[i * m + back] = 0
                columnSupport[back].removeAll { $0 == i }
            }
            j = back
        }
    }
}
