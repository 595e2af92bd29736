/// A sparse bipartite graph of candidate edges for the assignment problem, in compressed
/// row form (CSR), holding the *offset* cost
///
///   C̃ᵢⱼ = Cᵢⱼ − aᵢ − bⱼ,   C a dense row-major `[n, n]` matrix, a, b offsets of length n.
///
/// The offsets change no optimal assignment (they add Σᵢ aᵢ + Σⱼ bⱼ to every one); for a
/// squared Euclidean cost they centre the clouds (see ``AssignmentSolver``), so that
/// “nearest” below means nearest after aligning the means.
///
/// The first graph joins each row i to its k columns of smallest C̃ᵢ· and each column j to
/// its k rows of smallest C̃·ⱼ (the union, about 1.2·k·n edges on random clouds): on
/// Euclidean data an optimal partner is almost always among them. Violating edges found by
/// certification are added later with ``adding(_:from:)``. Memory O(k·n); building reads
/// the dense matrix once (O(n²), a size-k max-heap per row and per column).
struct CandidateGraph {
    let n: Int
    /// Edges of row i are `rowStart[i] ..< rowStart[i + 1]`, length n + 1.
    private(set) var rowStart: [Int]
    /// Column of each edge.
    private(set) var column: [Int]
    /// C̃ of each edge.
    private(set) var cost: [Double]

    var edgeCount: Int { column.count }

    /// The k-nearest candidate graph of a dense `[n, n]` matrix with offsets (a, b);
    /// needs 1 ≤ k ≤ n.
    init(cost c: UnsafePointer<Double>, n: Int, rowOffset a: UnsafePointer<Double>, columnOffset b: UnsafePointer<Double>,
         neighbors k: Int) {
        precondition(k >= 1 && k <= n, "CandidateGraph: need 1 ≤ k ≤ n")
        self.n = n
        // Per-column max-heaps of (C̃ − bⱼ = Cᵢⱼ − aᵢ, row), `[n, k]`; the roots are the thresholds.
        var columnKey = [Double](repeating: .infinity, count: n * k)
        var columnRow = [Int](repeating: -1, count: n * k)
        var columnTop = [Double](repeating: .infinity, count: n)
        var rowColumns = [Int](repeating: 0, count: n * k)
        var rowKey = [Double](repeating: .infinity, count: k)
        var rowColumn = [Int](repeating: -1, count: k)
        columnKey.withUnsafeMutableBufferPointer { ck in
            columnRow.withUnsafeMutableBufferPointer { cr in
                columnTop.withUnsafeMutableBufferPointer { ct in
                    rowKey.withUnsafeMutableBufferPointer { rk in
                        rowColumn.withUnsafeMutableBufferPointer { rc in
                            for i in 0..<n {
                                let row = c + i * n, ai = a[i]
                                for t in 0..<k { rk[t] = .infinity; rc[t] = -1 }
                                var rowTop = Double.infinity
                                // The exact update of both heaps for entry (i, j).
                                @inline(__always) func visit(_ j: Int) {
                                    let cij = row[j]
                                    let byRow = cij - b[j]
                                    if byRow < rowTop || (byRow == rowTop && Self.coin(i, j)) {
                                        Self.replaceRoot(rk.baseAddress!, rc.baseAddress!, k, byRow, j)
                                        rowTop = rk[0]
                                    }
                                    let byColumn = cij - ai
                                    if byColumn < ct[j] || (byColumn == ct[j] && Self.coin(j, i)) {
                                        Self.replaceRoot(ck.baseAddress! + j * k, cr.baseAddress! + j * k, k, byColumn, i)
                                        ct[j] = ck[j * k]
                                    }
                                }
                                // Four entries at a time; most reach neither heap's threshold.
                                let r = UnsafeRawPointer(row), q = UnsafeRawPointer(b), tops = UnsafeRawPointer(ct.baseAddress!)
                                let shift = SIMD4<Double>(repeating: ai)
                                var j = 0
                                while j + 4 <= n {
                                    let o = j * 8
                                    let cv = r.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                                    let byRow = cv - q.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                                    let byColumn = cv - shift
                                    let top = tops.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                                    if any((byRow .<= SIMD4(repeating: rowTop)) .| (byColumn .<= top)) {
                                        for t in j..<(j + 4) { visit(t) }
                                    }
                                    j += 4
                                }
                                while j < n {
                                    visit(j)
                                    j += 1
                                }
                                for t in 0..<k { rowColumns[i * k + t] = rc[t] }
                            }
                        }
                    }
                }
            }
        }
        // Row lists: own k nearest columns, plus every column that chose the row.
        var lists = [[Int]](repeating: [], count: n)
        for i in 0..<n { lists[i] = Array(rowColumns[(i * k)..<(i * k + k)]) }
        for j in 0..<n { for t in 0..<k { lists[columnRow[j * k + t]].append(j) } }
        rowStart = [0]
        column = []
        cost = []
        var seen = [Int](repeating: -1, count: n)
        for i in 0..<n {
            for j in lists[i] where seen[j] != i {
                seen[j] = i
                column.append(j)
                cost.append(c[i * n + j] - a[i] - b[j])
            }
            rowStart.append(column.count)
        }
    }

    /// The graph with extra edges: each entry of `extra` lists columns not yet joined to its
    /// row, with C̃ read from the same dense matrix and offsets.
    func adding(_ extra: [(row: Int, columns: [Int])], from c: UnsafePointer<Double>,
                rowOffset a: UnsafePointer<Double>, columnOffset b: UnsafePointer<Double>) -> CandidateGraph {
        var added = [[Int]](repeating: [], count: n)
        for (i, columns) in extra { added[i] += columns }
        var g = self
        g.rowStart = [0]
        g.column = []
        g.cost = []
        g.column.reserveCapacity(edgeCount + extra.reduce(0) { $0 + $1.columns.count })
        g.cost.reserveCapacity(g.column.capacity)
        for i in 0..<n {
            for e in rowStart[i]..<rowStart[i + 1] { g.column.append(column[e]); g.cost.append(cost[e]) }
            for j in added[i] { g.column.append(j); g.cost.append(c[i * n + j] - a[i] - b[j]) }
            g.rowStart.append(g.column.count)
        }
        return g
    }

    /// A hashed coin flip for exact ties (duplicate points): replacing a tied root about half
    /// the time spreads the rows of one site over different tied columns and vice versa;
    /// otherwise they would all pick the same k and the graph would lack a perfect matching.
    @inline(__always)
    private static func coin(_ i: Int, _ j: Int) -> Bool {
        UInt32(truncatingIfNeeded: i &* 0x9E37_79B1 &+ j &* 0x85EB_CA6B) >> 31 == 1
    }

    /// Replaces the root of a max-heap of size k (keys, values) by (key, value) and sifts it down.
    @inline(__always)
    private static func replaceRoot(_ key: UnsafeMutablePointer<Double>, _ value: UnsafeMutablePointer<Int>,
                                    _ k: Int, _ newKey: Double, _ newValue: Int) {
        var p = 0
        while true {
            let l = 2 * p + 1
            if l >= k { break }
            let r = l + 1
            let child = r < k && key[r] > key[l] ? r : l
            if key[child] <= newKey { break }
            key[p] = key[child]
            value[p] = value[child]
            p = child
        }
        key[p] = newKey
        value[p] = newValue
    }
}
