import Foundation
import NumericalCore

/// Exact OT between weighted measures of any sizes n and m by the network simplex method on
/// a sparse candidate graph, certified on the full cost matrix.
///
///   minimise Σᵢⱼ Cᵢⱼ πᵢⱼ  subject to  π ≥ 0, π 1 = a, πᵀ 1 = b      (Σ a = Σ b)
///
/// 1. Candidates: each row's k nearest columns and each column's k nearest rows of
///    C̃ᵢⱼ = Cᵢⱼ − rᵢ − sⱼ (for a squared Euclidean cost, r and s centre the clouds as in
///    ``AssignmentSolver``; they change no optimal plan), about 2k(n + m) arcs.
/// 2. Start: the north-west-corner plan of the clouds sorted by their first centred
///    coordinate (the monotone 1D coupling; n + m − 1 arcs forming a spanning tree).
/// 3. ``NetworkSimplex`` pivots on the candidates until no arc has reduced cost below −τ.
/// 4. Certification: with the tree's potentials (recomputed exactly along the tree),
///    fᵢ = −πᵢ and gⱼ = π(n + j), every one of the n·m entries is checked for
///    Cᵢⱼ − fᵢ − gⱼ ≥ −τ. Violating entries (at most ``violationsPerRow`` of the worst per
///    row) join the graph and step 3 resumes from the current basis; when none is left the
///    flow is optimal for the full problem (LP duality), to τ·Σa in total cost.
///
/// τ = 10⁻¹³ (1 + maxᵢⱼ |Cᵢⱼ|). Problems with n·m ≤ ``denseLimit`` skip the candidate graph
/// and price every entry. On 2D Euclidean clouds with k = 8, one to three certification
/// passes suffice; cost: two passes over C per round plus the pivots on O(k(n + m)) arcs.
public struct NetworkSimplexTransportSolver: Sendable {
    /// Candidates per row and per column of the first graph.
    public var candidateCount: Int
    /// Below this many entries the whole matrix is priced from the start.
    public var denseLimit: Int
    /// Most violating entries added per row and certification round.
    public var violationsPerRow: Int

    public init(candidateCount: Int = 8, denseLimit: Int = 40_000, violationsPerRow: Int = 8) {
        self.candidateCount = candidateCount
        self.denseLimit = denseLimit
        self.violationsPerRow = violationsPerRow
    }

    public func solve(_ problem: TransportProblem) throws -> ExactTransportSolution {
        let a = problem.sourceWeights, bRaw = problem.targetWeights
        let totalA = a.reduce(0, +), totalB = bRaw.reduce(0, +)
        guard abs(totalA - totalB) <= DiscreteMeasure.massTolerance * max(1, totalA) else {
            throw TransportError.invalidMeasure(
                "the source mass \(totalA) differs from the target mass \(totalB); balanced OT needs equal masses (normalise both, or use the unbalanced solver)")
        }
        let b = bRaw.map { $0 * totalA / totalB }
        let n = a.count, m = b.count
        let c = problem.costMatrix
        let tolerance = 1e-13 * (1 + c.maxAbs)
        let (rowTerm, columnTerm, rowKey, columnKey) = Self.centring(problem)
        let tree = Self.northWestCorner(a: a, b: b, rowKey: rowKey, columnKey: columnKey)
        let hubIndex = rowKey.indices.sorted { rowKey[$0] < rowKey[$1] }[n / 2]
        var simplex = NetworkSimplex(sourceCount: n, targetCount: m, treeArcs: tree, cost: { c[$0, $1] },
                                     hub: hubIndex, pricingTolerance: tolerance)
        var present = Set(tree.map { $0.source * m + $0.target })
        let dense = n * m <= denseLimit || candidateCount >= min(n, m)
        let arcs = dense ? Self.allEntries(n, m) : CandidateArcs.nearest(c, rowTerm: rowTerm, columnTerm: columnTerm, neighbors: candidateCount)
        for entry in arcs where !present.contains(entry) {
            present.insert(entry)
            simplex.addArc(source: entry / m, target: entry % m, cost: c.elements[entry])
        }
        let budget = 50 * (n + m) * max(1, Int(Double(n + m).squareRoot()))
        var certified = false, rounds = 0
        while simplex.run(maximumPivots: budget) {
            rounds += 1
            simplex.refreshPotentials()
            let violations = dense ? [] : CandidateArcs.violations(
                c, potential: simplex.potential, sourceCount: n, tolerance: tolerance, perRow: violationsPerRow)
            if violations.isEmpty { certified = true; break }
            for entry in violations { simplex.addArc(source: entry / m, target: entry % m, cost: c.elements[entry]) }
        }
        var entries = [TransportPlanEntry](), total = 0.0
        for e in 1..<simplex.arcCount where simplex.flow[e] > 0 {
            let i = simplex.arcSource[e], j = simplex.arcTarget[e] - n
            entries.append(TransportPlanEntry(source: i, target: j, mass: simplex.flow[e]))
            total += simplex.flow[e] * c[i, j]
        }
        entries.sort { ($0.source, $0.target) < ($1.source, $1.target) }
        let pi = simplex.potential
        return ExactTransportSolution(
            entries: entries, sourceWeights: a, targetWeights: bRaw, cost: total,
            sourcePotential: (0..<n).map { -pi[$0] }, targetPotential: (0..<m).map { pi[n + $0] },
            status: certified ? .converged : .notConverged, iterations: simplex.pivots)
    }

    static func allEntries(_ n: Int, _ m: Int) -> [Int] {
        // Interleaved (column-major) so that consecutive pricing blocks see many rows.
        (0..<m).flatMap { j in (0..<n).map { $0 * m + j } }
    }

    /// Row and column offsets r, s of the centred cost (zero unless the cost is squared
    /// Euclidean) and the sort keys of the start: the first coordinate of the centred points.
    static func centring(_ problem: TransportProblem) -> (rowTerm: [Double], columnTerm: [Double], rowKey: [Double], columnKey: [Double]) {
        let x = problem.source.points, y = problem.target.points, d = x.columns
        let a = problem.sourceWeights, b = problem.targetWeights
        var mx = [Double](repeating: 0, count: d), my = mx
        for i in 0..<x.rows { for k in 0..<d { mx[k] += a[i] * x[i, k] } }
        for j in 0..<y.rows { for k in 0..<d { my[k] += b[j] * y[j, k] } }
        let totalA = a.reduce(0, +), totalB = b.reduce(0, +)
        mx = mx.map { $0 / totalA }
        my = my.map { $0 / totalB }
        let rowKey = (0..<x.rows).map { x[$0, 0] - mx[0] }, columnKey = (0..<y.rows).map { y[$0, 0] - my[0] }
        guard case let .squaredEuclidean(scale)? = problem.cost?.kind else {
            return ([Double](repeating: 0, count: x.rows), [Double](repeating: 0, count: y.rows), rowKey, columnKey)
        }
        let delta = zip(mx, my).map { $0 - $1 }
        let rowTerm = (0..<x.rows).map { i in 2 * scale * (0..<d).reduce(0.0) { $0 + x[i, $1] * delta[$1] } - scale * Vector.squaredNorm(delta) }
        let columnTerm = (0..<y.rows).map { j in -2 * scale * (0..<d).reduce(0.0) { $0 + y[j, $1] * delta[$1] } }
        return (rowTerm, columnTerm, rowKey, columnKey)
    }

    /// The north-west-corner plan on the rows and columns sorted by their keys: a feasible
    /// spanning tree of n + m − 1 arcs (some may carry zero flow).
    static func northWestCorner(a: [Double], b: [Double], rowKey: [Double], columnKey: [Double]) -> [(source: Int, target: Int, flow: Double)] {
        let rows = a.indices.sorted { rowKey[$0] < rowKey[$1] }, columns = b.indices.sorted { columnKey[$0] < columnKey[$1] }
        var i = 0, j = 0, ra = a[rows[0]], rb = b[columns[0]]
        var arcs = [(source: Int, target: Int, flow: Double)]()
        arcs.reserveCapacity(a.count + b.count - 1)
        while true {
            let x = min(ra, rb)
            arcs.append((rows[i], columns[j], max(0, x)))
            ra -= x
            rb -= x
            if i == rows.count - 1 && j == columns.count - 1 { break }
            if j == columns.count - 1 || (i < rows.count - 1 && ra < rb) {
                i += 1
                ra = a[rows[i]]
            } else {
                j += 1
                rb = b[columns[j]]
            }
        }
        return arcs
    }
}
