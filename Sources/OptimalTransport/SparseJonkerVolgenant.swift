/// LAPJV on a sparse ``CandidateGraph`` (the sparse variant of Jonker & Volgenant 1987,
/// “LAPMOD”): column reduction with reduction transfer, one bounded round of augmenting
/// row reduction, then shortest augmenting paths by Dijkstra with a binary heap, so a path
/// costs O(E′ log E′) for the E′ edges it scans instead of O(n) per scanned row.
///
/// Notation as in ``JonkerVolgenant``: x[i] the column of row i (−1 if free), y[j] the row
/// of column j, v[j] the column price, and for an assigned row uᵢ = C̃ᵢ,ₓ₍ᵢ₎ − v[x(i)].
/// Invariant after every phase: for each assigned row i and each edge (i, j) of the graph,
/// C̃ᵢⱼ − vⱼ ≥ uᵢ (dual feasibility on the graph, equality on the assignment). A row from
/// which no free column is reachable in the graph stays free; ``unmatched`` lists it.
final class SparseJonkerVolgenant {
    let n: Int
    private(set) var graph: CandidateGraph
    /// Row → column, length n (−1: free).
    let x: UnsafeMutablePointer<Int>
    /// Column → row, length n (−1: free).
    let y: UnsafeMutablePointer<Int>
    /// Column prices, length n.
    let v: UnsafeMutablePointer<Double>
    /// C̃ of each row's assigned edge, length n.
    private let assignedCost: UnsafeMutablePointer<Double>
    /// Rows left free because the graph has no augmenting path from them.
    private(set) var unmatched: [Int] = []
    /// Row-reduction rounds plus augmenting paths.
    private(set) var iterations = 0

    // Dijkstra scratch (length n): distances, predecessors (row and edge cost), marks stamped
    // with the search number, and the settled columns in order.
    private let distance: UnsafeMutablePointer<Double>
    private let predecessorRow: UnsafeMutablePointer<Int>
    private let predecessorCost: UnsafeMutablePointer<Double>
    private let reachedIn: UnsafeMutablePointer<Int>
    private let settledIn: UnsafeMutablePointer<Int>
    private let settledColumns: UnsafeMutablePointer<Int>
    private let heap: ColumnHeap
    private var search = 0

    /// Solves the assignment on `graph`; rows the graph cannot match stay free.
    /// Stops early, leaving the remaining rows free, once more than `unmatchedLimit` rows
    /// are unmatched (a failed search scans its whole component, and the caller gives up).
    init(graph: CandidateGraph, unmatchedLimit: Int = .max) {
        n = graph.n
        self.graph = graph
        x = .allocate(capacity: n)
        x.initialize(repeating: -1, count: n)
        y = .allocate(capacity: n)
        y.initialize(repeating: -1, count: n)
        v = .allocate(capacity: n)
        v.initialize(repeating: .infinity, count: n)
        assignedCost = .allocate(capacity: n)
        assignedCost.initialize(repeating: 0, count: n)
        distance = .allocate(capacity: n)
        distance.initialize(repeating: 0, count: n)
        predecessorRow = .allocate(capacity: n)
        predecessorRow.initialize(repeating: -1, count: n)
        predecessorCost = .allocate(capacity: n)
        predecessorCost.initialize(repeating: 0, count: n)
        reachedIn = .allocate(capacity: n)
        reachedIn.initialize(repeating: 0, count: n)
        settledIn = .allocate(capacity: n)
        settledIn.initialize(repeating: 0, count: n)
        settledColumns = .allocate(capacity: n)
        settledColumns.initialize(repeating: 0, count: n)
        heap = ColumnHeap(capacity: 4 * n)
        var free = columnReduction()
        free = augmentingRowReduction(free)
        iterations += 1
        augment(free, unmatchedLimit: unmatchedLimit)
    }

    deinit {
        for p in [x, y, predecessorRow, reachedIn, settledIn, settledColumns] { p.deallocate() }
        for p in [v, assignedCost, distance, predecessorCost] { p.deallocate() }
    }

    /// Replaces the graph by a larger one (same rows and columns), frees `rows` and finds
    /// augmenting paths for them (each finds one: its old column is free). The invariant must
    /// hold for every other assigned row on the new graph (true when only the freed rows
    /// gained edges).
    func repair(rows: [Int], on larger: CandidateGraph) {
        graph = larger
        let (x, y) = (x, y)
        for i in rows where x[i] >= 0 {
            y[x[i]] = -1
            x[i] = -1
        }
        augment(rows)
    }

    /// vⱼ = min over the edges (i, j) of C̃ᵢⱼ, each column to its minimising row if that row is
    /// still free; reduction transfer for rows that got exactly one column. Returns free rows.
    private func columnReduction() -> [Int] {
        let rowStart = graph.rowStart, column = graph.column, cost = graph.cost
        let (x, y, v, assignedCost) = (x, y, v, assignedCost)
        for i in 0..<n {
            for e in rowStart[i]..<rowStart[i + 1] where cost[e] < v[column[e]] {
                v[column[e]] = cost[e]
                y[column[e]] = i
            }
        }
        var unique = [Bool](repeating: true, count: n)
        for j in stride(from: n - 1, through: 0, by: -1) {
            let i = y[j]
            if i < 0 { continue }
            if x[i] < 0 { x[i] = j; assignedCost[i] = v[j] } else { unique[i] = false; y[j] = -1 }
        }
        var free = [Int]()
        for i in 0..<n {
            if x[i] < 0 { free.append(i); continue }
            guard unique[i] else { continue }
            var smallest = Double.infinity
            for e in rowStart[i]..<rowStart[i + 1] where column[e] != x[i] {
                smallest = min(smallest, cost[e] - v[column[e]])
            }
            if smallest.isFinite { v[x[i]] -= smallest }
        }
        return free
    }

    /// Each free row takes its best column, lowering that column's price by the gap to the
    /// second best, and evicts the previous owner (bounded to 2n steps, as in the dense solver).
    private func augmentingRowReduction(_ freeRows: [Int]) -> [Int] {
        let rowStart = graph.rowStart, column = graph.column, cost = graph.cost
        let (x, y, v, assignedCost) = (x, y, v, assignedCost)
        var free = freeRows, current = 0, newFree = 0, passes = 0
        let passLimit = 2 * n
        while current < free.count {
            passes += 1
            let i = free[current]
            current += 1
            var j1 = -1, u1 = Double.infinity, c1 = 0.0, j2 = -1, u2 = Double.infinity, c2 = 0.0
            for e in rowStart[i]..<rowStart[i + 1] {
                let j = column[e], r = cost[e] - v[j]
                if r < u2 {
                    if r >= u1 { u2 = r; j2 = j; c2 = cost[e] } else { u2 = u1; j2 = j1; c2 = c1; u1 = r; j1 = j; c1 = cost[e] }
                }
            }
            var i0 = y[j1]
            let lowered = v[j1] - (u2 - u1)
            let lowers = j2 >= 0 && lowered < v[j1]
            if passes < passLimit {
                if lowers {
                    v[j1] = lowered
                } else if i0 >= 0 && j2 >= 0 {
                    j1 = j2
                    c1 = c2
                    i0 = y[j2]
                }
                if i0 >= 0 {
                    if lowers { current -= 1; free[current] = i0 } else { free[newFree] = i0; newFree += 1 }
                }
            } else if i0 >= 0 {
                free[newFree] = i0
                newFree += 1
            }
            if i0 >= 0 { x[i0] = -1 }
            x[i] = j1
            y[j1] = i
            assignedCost[i] = c1
        }
        return Array(free[0..<newFree])
    }

    /// A shortest augmenting path for each row in `rows` (free rows); rows with none are
    /// recorded in ``unmatched``.
    private func augment(_ rows: [Int], unmatchedLimit: Int = .max) {
        for start in rows where unmatched.count <= unmatchedLimit {
            iterations += 1
            let found = shortestPath(from: start)
            if found < 0 { unmatched.append(start); continue }
            let (x, y, pred, predCost, assignedCost) = (x, y, predecessorRow, predecessorCost, assignedCost)
            var j = found, i = -1
            while i != start {
                i = pred[j]
                y[j] = i
                let previous = x[i]
                x[i] = j
                assignedCost[i] = predCost[j]
                j = previous
            }
        }
    }

    /// Dijkstra from row `start` on the reduced costs C̃ᵢⱼ − vⱼ − uᵢ ≥ 0; returns the first
    /// free column settled (−1 if none is reachable) and, on success, updates the prices of
    /// the settled columns, vⱼ += dⱼ − δ (δ the distance of the free column), which keeps
    /// the invariant and makes the path's reduced costs zero.
    private func shortestPath(from start: Int) -> Int {
        search += 1
        let stamp = search
        let heap = heap
        heap.removeAll()
        var settledCount = 0
        let g = graph
        let (v, d, pred, predCost, reached, done, settled) = (v, distance, predecessorRow, predecessorCost, reachedIn, settledIn, settledColumns)
        let (y, assignedCost) = (y, assignedCost)
        return g.rowStart.withUnsafeBufferPointer { rowStart in
            g.column.withUnsafeBufferPointer { column in
                g.cost.withUnsafeBufferPointer { cost in
                    // Relax the edges of row i, reached at distance `base` with row price u;
                    // then settle the nearest unsettled column.
                    var i = start, base = 0.0, u = 0.0
                    while true {
                        for e in rowStart[i]..<rowStart[i + 1] {
                            let j = column[e]
                            if done[j] == stamp { continue }
                            let dj = base + cost[e] - v[j] - u
                            if reached[j] != stamp || dj < d[j] {
                                reached[j] = stamp
                                d[j] = dj
                                pred[j] = i
                                predCost[j] = cost[e]
                                heap.push(dj, j)
                            }
                        }
                        var j = -1, dj = 0.0
                        while !heap.isEmpty {
                            (dj, j) = heap.pop()
                            if done[j] != stamp && dj <= d[j] { break }
                            j = -1
                        }
                        if j < 0 { return -1 }
                        done[j] = stamp
                        i = y[j]
                        if i < 0 {
                            for k in 0..<settledCount { v[settled[k]] += d[settled[k]] - dj }
                            return j
                        }
                        settled[settledCount] = j
                        settledCount += 1
                        base = dj
                        u = assignedCost[i] - v[j]
                    }
                }
            }
        }
    }
}
