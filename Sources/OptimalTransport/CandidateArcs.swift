import NumericalCore

/// The sparse arc sets of ``NetworkSimplexTransportSolver``, as flat entry indices i·m + j
/// into a dense row-major `[n, m]` cost matrix.
enum CandidateArcs {
    /// The union of each row's k smallest C̃ᵢ· and each column's k smallest C̃·ⱼ, with
    /// C̃ᵢⱼ = Cᵢⱼ − rᵢ − sⱼ; ordered by neighbour rank (all first neighbours, then all second
    /// ones, …) so that a pricing block sees arcs of many rows. One pass over C, O(nm + (n + m)k log k).
    static func nearest(_ cost: Matrix, rowTerm: [Double], columnTerm: [Double], neighbors k: Int) -> [Int] {
        let n = cost.rows, m = cost.columns
        let kr = min(k, m), kc = min(k, n)
        var rowBest = [[(Double, Int)]](repeating: [], count: n)
        var columnBest = [[(Double, Int)]](repeating: [], count: m)
        var columnTop = [Double](repeating: .infinity, count: m)
        cost.elements.withUnsafeBufferPointer { cb in
            for i in 0..<n {
                var best = [(Double, Int)]()
                best.reserveCapacity(kr + 1)
                var top = Double.infinity
                let base = i * m, r = rowTerm[i]
                for j in 0..<m {
                    let v = cb[base + j] - r - columnTerm[j]
                    if v < top || best.count < kr {
                        insert(&best, (v, j), limit: kr)
                        top = best.count == kr ? best[kr - 1].0 : .infinity
                    }
                    let w = v + columnTerm[j]   // the column order does not need sⱼ
                    if w < columnTop[j] || columnBest[j].count < kc {
                        insert(&columnBest[j], (w, i), limit: kc)
                        columnTop[j] = columnBest[j].count == kc ? columnBest[j][kc - 1].0 : .infinity
                    }
                }
                rowBest[i] = best
            }
        }
        var out = [Int]()
        out.reserveCapacity(2 * k * (n + m))
        for rank in 0..<max(kr, kc) {
            for i in 0..<n where rank < rowBest[i].count { out.append(i * m + rowBest[i][rank].1) }
            for j in 0..<m where rank < columnBest[j].count { out.append(columnBest[j][rank].1 * m + j) }
        }
        return out
    }

    /// Sorted insertion into a list of at most `limit` smallest keys.
    @inline(__always)
    static func insert(_ list: inout [(Double, Int)], _ item: (Double, Int), limit: Int) {
        var p = list.count
        while p > 0 && list[p - 1].0 > item.0 { p -= 1 }
        guard p < limit else { return }
        list.insert(item, at: p)
        if list.count > limit { list.removeLast() }
    }

    /// Entries with reduced cost Cᵢⱼ + πᵢ − π(n + j) < −τ (the dual constraint fᵢ + gⱼ ≤ Cᵢⱼ
    /// violated), at most `perRow` of the most negative per row; rows in parallel.
    static func violations(_ cost: Matrix, potential pi: [Double], sourceCount n: Int, tolerance: Double, perRow: Int) -> [Int] {
        let m = cost.columns
        var found = [[(Double, Int)]](repeating: [], count: n)
        let g = Array(pi[n..<(n + m)])
        cost.elements.withUnsafeBufferPointer { cb in
            g.withUnsafeBufferPointer { gb in
                found.withUnsafeMutableBufferPointer { fb in
                    Parallel.forEachChunk(count: n, minimumChunk: max(1, 16384 / max(m, 1))) { rows in
                        for i in rows {
                            let base = i * m, p = pi[i]
                            var list = [(Double, Int)]()
                            for j in 0..<m {
                                let r = cb[base + j] + p - gb[j]
                                if r < -tolerance { insert(&list, (r, j), limit: perRow) }
                            }
                            fb[i] = list
                        }
                    }
                }
            }
        }
        var out = [Int]()
        for i in 0..<n { for (_, j) in found[i] { out.append(i * m + j) } }
        return out
    }
}
