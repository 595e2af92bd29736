/// The exact assignment of a dense `[n, n]` cost matrix C, solved on a sparse candidate graph
/// and certified on the full matrix:
///
/// 1. solve the assignment on the k-nearest ``CandidateGraph`` of C̃ᵢⱼ = Cᵢⱼ − aᵢ − bⱼ
///    (``SparseJonkerVolgenant``), which leaves column prices v and an assignment σ with
///    C̃ᵢⱼ − vⱼ ≥ uᵢ on every graph edge, equality on σ;
/// 2. certify on all n² entries: with column potentials gⱼ = vⱼ + bⱼ and row potentials
///    fᵢ = Cᵢσ₍ᵢ₎ − gσ₍ᵢ₎, check Cᵢⱼ − gⱼ ≥ fᵢ − τ. If that holds, (f, g) is dual feasible
///    and complementary slack with σ, so σ is optimal for the full problem (LP duality);
/// 3. otherwise add each violating edge to the graph, free its row and find new shortest
///    augmenting paths there, warm-started from the current prices and assignment; a row
///    the graph could not match (kNN graphs often lack a perfect matching at the rim of a
///    cloud) gets all n of its columns, so it is matched in the next round. Repeat. Rows
///    still violating after ``maximumSparseRounds`` are finished by the dense path phase of
///    ``JonkerVolgenant`` on C with prices g, which needs only the invariant kept here.
///
/// τ = 10⁻¹² (1 + maxⱼ|gⱼ| + maxᵢ|fᵢ|) absorbs rounding in Cᵢⱼ − gⱼ − fᵢ, so the result is
/// optimal to n·τ in total cost. On Euclidean clouds with k ≈ 16 the first graph usually
/// already certifies; the cost is one pass over C to build the graph and one per
/// certification round, plus the sparse paths, instead of O(n) work per scanned row.
/// Same idea as the candidate-list / “pricing” strategies of network simplex codes and
/// of sparse LAP solvers (Jonker & Volgenant 1987, §4; Bertsekas, *Network Optimization*, 1998).
enum CertifiedAssignment {
    /// Rounds of sparse repair before the rest is handed to the dense path phase.
    static let maximumSparseRounds = 8

    struct Result {
        /// σ(i), length n.
        let assignment: [Int]
        /// f, length n, with fᵢ + gⱼ ≤ Cᵢⱼ + τ and equality on σ.
        let rowPotential: [Double]
        /// g, length n.
        let columnPotential: [Double]
        /// Row-reduction rounds plus augmenting paths (sparse and dense).
        let iterations: Int
        /// Passes over the full matrix (1 when the first graph certified).
        let certificationRounds: Int
        /// Rows the graph could not match, then given all n columns.
        let completedRows: Int
        /// Rows finished by the dense path phase.
        let denseRows: Int
    }

    /// Solves `[n, n]` row-major C with offsets a, b (length n; zeros when C needs none),
    /// starting from the graph of `neighbors` nearest columns per row and rows per column.
    /// `sparseRounds` (default ``maximumSparseRounds``) bounds the rounds of sparse repair.
    static func solve(cost c: UnsafePointer<Double>, n: Int, rowOffset a: [Double], columnOffset b: [Double],
                      neighbors k: Int, sparseRounds: Int = maximumSparseRounds) -> Result {
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                solve(c, n, ab.baseAddress!, bb.baseAddress!, k, sparseRounds)
            }
        }
    }

    private static func solve(_ c: UnsafePointer<Double>, _ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                              _ k: Int, _ sparseRounds: Int) -> Result {
        let graph = CandidateGraph(cost: c, n: n, rowOffset: a, columnOffset: b, neighbors: k)
        let lap = SparseJonkerVolgenant(graph: graph)
        var g = [Double](repeating: 0, count: n)
        var rounds = 0, completedRows = 0, denseRows = 0, denseIterations = 0
        while true {
            rounds += 1
            for j in 0..<n { g[j] = lap.v[j] + b[j] }
            var repairs = violatingEdges(c, n, lap.x, g)
            if repairs.isEmpty && lap.unmatched.isEmpty { break }
            if rounds <= sparseRounds {
                // A row the graph could not match gets all its columns, so it always can now.
                repairs += lap.unmatched.map { i in (i, missingColumns(of: i, in: lap.graph)) }
                completedRows += lap.unmatched.count
                lap.repair(rows: repairs.map(\.row), on: lap.graph.adding(repairs, from: c, rowOffset: a, columnOffset: b))
                continue
            }
            // Dense finish: free the violating rows too, so every assigned row is feasible on C.
            var rows = lap.unmatched
            for (i, _) in repairs {
                lap.y[lap.x[i]] = -1
                lap.x[i] = -1
                rows.append(i)
            }
            g.withUnsafeMutableBufferPointer { gb in
                let dense = JonkerVolgenant(n: n, cost: c, x: lap.x, y: lap.y, v: gb.baseAddress!)
                rows.withUnsafeMutableBufferPointer { denseIterations = dense.augment($0.count, $0.baseAddress!) }
            }
            denseRows = rows.count
            break
        }
        let x = Array(UnsafeBufferPointer(start: lap.x, count: n))
        let f = (0..<n).map { c[$0 * n + x[$0]] - g[x[$0]] }
        return Result(assignment: x, rowPotential: f, columnPotential: g, iterations: lap.iterations + denseIterations,
                      certificationRounds: rounds, completedRows: completedRows, denseRows: denseRows)
    }

    /// The columns not yet joined to row i.
    private static func missingColumns(of i: Int, in graph: CandidateGraph) -> [Int] {
        var joined = [Bool](repeating: false, count: graph.n)
        for e in graph.rowStart[i]..<graph.rowStart[i + 1] { joined[graph.column[e]] = true }
        return (0..<graph.n).filter { !joined[$0] }
    }

    /// For each assigned row i with minⱼ (Cᵢⱼ − gⱼ) < fᵢ − τ, the columns j where that holds
    /// (one vectorised pass over C; a second pass only over violating rows).
    private static func violatingEdges(_ c: UnsafePointer<Double>, _ n: Int, _ x: UnsafePointer<Int>,
                                       _ g: [Double]) -> [(row: Int, columns: [Int])] {
        g.withUnsafeBufferPointer { gb in
            let p = gb.baseAddress!
            var f = [Double](repeating: 0, count: n)
            var largest = 0.0
            for i in 0..<n where x[i] >= 0 {
                f[i] = c[i * n + x[i]] - p[x[i]]
                largest = max(largest, abs(f[i]))
            }
            let tolerance = 1e-12 * (1 + largest + gb.reduce(0) { max($0, abs($1)) })
            var found = [(row: Int, columns: [Int])]()
            for i in 0..<n where x[i] >= 0 {
                let row = c + i * n, bound = f[i] - tolerance
                guard rowMinimum(row, p, n) < bound else { continue }
                found.append((i, (0..<n).filter { row[$0] - p[$0] < bound }))
            }
            return found
        }
    }

    /// minⱼ (rowⱼ − pⱼ) over n entries, four lanes at a time.
    @inline(__always)
    private static func rowMinimum(_ row: UnsafePointer<Double>, _ p: UnsafePointer<Double>, _ n: Int) -> Double {
        let r = UnsafeRawPointer(row), q = UnsafeRawPointer(p)
        var m0 = SIMD4<Double>(repeating: .infinity), m1 = m0
        var j = 0
        while j + 8 <= n {
            let o = j * 8
            m0 = pointwiseMin(m0, r.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                - q.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self))
            m1 = pointwiseMin(m1, r.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self)
                - q.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self))
            j += 8
        }
        var m = pointwiseMin(m0, m1).min()
        while j < n {
            m = min(m, row[j] - p[j])
            j += 1
        }
        return m
    }
}
