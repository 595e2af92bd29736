/// The three phases of LAPJV on a dense row-major `[n, n]` cost matrix, over raw buffers.
///
/// Notation: x[i] is the column of row i (−1 if free), y[j] the row of column j, v[j] the
/// column price; the reduced cost of (i, j) is C[i, j] − v[j]. Follows the structure of
/// Jonker & Volgenant (1987) as in common C implementations (column reduction with
/// reduction transfer, augmenting row reduction, shortest augmenting paths with a
/// “ready / scan / todo” partition of the columns). ``CertifiedAssignment`` also calls the
/// path phase alone (``augment(_:_:)``) on a warm state, to finish rows densely.
struct JonkerVolgenant {
    let n: Int
    let cost: UnsafePointer<Double>
    let x: UnsafeMutablePointer<Int>
    let y: UnsafeMutablePointer<Int>
    let v: UnsafeMutablePointer<Double>

    /// Runs all phases (one bounded round of augmenting row reduction); returns the number
    /// of row-reduction rounds plus augmenting paths.
    mutating func run() -> Int {
        var free = [Int](repeating: 0, count: n)
        return free.withUnsafeMutableBufferPointer { fb -> Int in
            let freeRows = fb.baseAddress!
            var freeCount = columnReduction(freeRows)
            var iterations = 0
            var round = 0
            while round < 1 && freeCount > 0 {
                freeCount = augmentingRowReduction(freeCount, freeRows)
                round += 1
                iterations += 1
            }
            if freeCount > 0 { iterations += augment(freeCount, freeRows) }
            return iterations
        }
    }

    /// Column reduction: vⱼ = minᵢ Cᵢⱼ, each column to its minimising row if that row is
    /// still free; then reduction transfer for rows that got exactly one column.
    func columnReduction(_ freeRows: UnsafeMutablePointer<Int>) -> Int {
        for j in 0..<n { v[j] = .infinity; y[j] = 0 }
        for i in 0..<n {
            x[i] = -1
            let row = cost + i * n
            for j in 0..<n where row[j] < v[j] { v[j] = row[j]; y[j] = i }
        }
        var unique = [Bool](repeating: true, count: n)
        var j = n
        repeat {
            j -= 1
            let i = y[j]
            if x[i] < 0 { x[i] = j } else { unique[i] = false; y[j] = -1 }
        } while j > 0
        var freeCount = 0
        for i in 0..<n {
            if x[i] < 0 {
                freeRows[freeCount] = i
                freeCount += 1
            } else if unique[i] {
                let j = x[i], row = cost + i * n
                var smallest = Double.infinity
                for k in 0..<n where k != j {
                    let c = row[k] - v[k]
                    if c < smallest { smallest = c }
                }
                v[j] -= smallest
            }
        }
        return freeCount
    }

    /// Augmenting row reduction: each free row takes its best column, lowering that
    /// column's price by the gap to the second best, and evicts the previous owner.
    func augmentingRowReduction(_ freeCount: Int, _ freeRows: UnsafeMutablePointer<Int>) -> Int {
        var current = 0, newFree = 0, passes = 0
        // Bounded: on Euclidean costs with near ties the original bound (current·n passes)
        // turns this phase into a slow price war; leftover rows go to the path phase.
        let passLimit = 2 * n
        while current < freeCount {
            passes += 1
            let i = freeRows[current]
            current += 1
            let row = cost + i * n
            var j1 = 0, u1 = row[0] - v[0], j2 = -1, u2 = Double.infinity
            for j in 1..<n {
                let c = row[j] - v[j]
                if c < u2 {
                    if c >= u1 { u2 = c; j2 = j } else { u2 = u1; u1 = c; j2 = j1; j1 = j }
                }
            }
            var i0 = y[j1]
            let lowered = v[j1] - (u2 - u1)
            let lowers = lowered < v[j1]
            if passes < passLimit {
                if lowers {
                    v[j1] = lowered
                } else if i0 >= 0 && j2 >= 0 {
                    j1 = j2
                    i0 = y[j2]
                }
                if i0 >= 0 {
                    if lowers { current -= 1; freeRows[current] = i0 } else { freeRows[newFree] = i0; newFree += 1 }
                }
            } else if i0 >= 0 {
                freeRows[newFree] = i0
                newFree += 1
            }
            x[i] = j1
            y[j1] = i
        }
        return newFree
    }

    /// Shortest augmenting paths (Dijkstra on reduced costs) for each remaining free row.
    func augment(_ freeCount: Int, _ freeRows: UnsafeMutablePointer<Int>) -> Int {
        var pred = [Int](repeating: 0, count: n)
        var d = [Double](repeating: 0, count: n)
        var settled = [Int](repeating: 0, count: n)
        var settledDistance = [Double](repeating: 0, count: n)
        pred.withUnsafeMutableBufferPointer { pb in
            d.withUnsafeMutableBufferPointer { db in
                settled.withUnsafeMutableBufferPointer { sb in
                    settledDistance.withUnsafeMutableBufferPointer { sdb in
                        let work = PathWork(pred: pb.baseAddress!, d: db.baseAddress!,
                                            settled: sb.baseAddress!, settledDistance: sdb.baseAddress!)
                        for k in 0..<freeCount {
                            let start = freeRows[k]
                            var j = shortestPath(from: start, work)
                            var i = -1
                            while i != start {
                                i = pb[j]
                                y[j] = i
                                let previous = x[i]
                                x[i] = j
                                j = previous
                            }
                        }
                    }
                }
            }
        }
        return freeCount
    }

    /// Scratch of one shortest-path search, in *column order* so that relaxing through a
    /// row streams the cost row, the prices and the distances sequentially (no gather):
    /// `d[j]` is the tentative distance of a todo column j and −∞ once j leaves the todo
    /// set (so `reduced < d[j]` is false for it without a test), `pred[j]` the row it was
    /// reached from. Columns that left the todo set are listed in `settled` in the order
    /// they did, with their distances in `settledDistance`: [ready | scan | …].
    struct PathWork {
        let pred: UnsafeMutablePointer<Int>
        let d: UnsafeMutablePointer<Double>
        let settled: UnsafeMutablePointer<Int>
        let settledDistance: UnsafeMutablePointer<Double>
    }

    /// Finds a free column reachable from `start` by a shortest alternating path and
    /// updates the prices of the columns settled before it (vⱼ += dⱼ − δ for the ready
    /// columns, δ the final distance). The list `settled` is partitioned as
    /// [ready | scan (current distance δ) | not yet reached].
    func shortestPath(from start: Int, _ w: PathWork) -> Int {
        let startRow = cost + start * n
        let d = w.d
        for j in 0..<n { w.pred[j] = start; d[j] = startRow[j] - v[j] }
        var lo = 0, hi = 0, ready = 0, found = -1
        while found < 0 {
            if lo == hi {
                ready = lo
                // Move the todo columns at the smallest distance into the scan block [lo, hi):
                // a branch-free minimum over the todo columns, then one collecting pass.
                var smallest = Double.infinity
                var j = 0
                while j < n {
                    let dj = d[j]
                    smallest = dj < smallest && dj > -.infinity ? dj : smallest
                    j &+= 1
                }
                j = 0
                while j < n {
                    if d[j] == smallest {
                        w.settled[hi] = j
                        w.settledDistance[hi] = smallest
                        d[j] = -.infinity
                        hi &+= 1
                        if y[j] < 0 { found = j }
                    }
                    j &+= 1
                }
            }
            if found < 0 { found = scan(&lo, &hi, w) }
        }
        let smallest = w.settledDistance[lo]
        for k in 0..<ready {
            v[w.settled[k]] += w.settledDistance[k] - smallest
        }
        return found
    }

    /// Relaxes the todo columns through the rows of the scan block; returns a free column
    /// reached at the current distance, or −1 after emptying the scan block.
    ///
    /// For a scanned column j₀ at distance δ, owned by row i, every column j gets
    ///   d[j] ← min(d[j], C[i, j] − v[j] − (C[i, j₀] − v[j₀] − δ)),
    /// which leaves the columns out of the todo set (d = −∞) unchanged, in one branch-free
    /// (vectorisable) pass; only when that pass saw a reduced distance equal to δ does a
    /// second pass move the columns at δ into the scan block (or return a free one).
    func scan(_ lo: inout Int, _ hi: inout Int, _ w: PathWork) -> Int {
        var l = lo, h = hi
        let d = w.d, pred = w.pred
        while l != h {
            let j0 = w.settled[l]
            let smallest = w.settledDistance[l]
            l &+= 1
            let i = y[j0]
            let row = cost + i * n
            let shift = row[j0] - v[j0] - smallest
            var ties = 0
            var j = 0
            while j < n {
                let reduced = row[j] - v[j] - shift
                let dj = d[j]
                let better = reduced < dj
                d[j] = better ? reduced : dj
                pred[j] = better ? i : pred[j]
                ties &+= reduced == smallest ? 1 : 0
                j &+= 1
            }
            if ties > 0 {
                j = 0
                while j < n {
                    if d[j] == smallest {
                        if y[j] < 0 { return j }
                        w.settled[h] = j
                        w.settledDistance[h] = smallest
                        d[j] = -.infinity
                        h &+= 1
                    }
                    j &+= 1
                }
            }
        }
        lo = l
        hi = h
        return -1
    }
}
