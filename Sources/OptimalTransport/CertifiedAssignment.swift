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
///    augmenting paths there, warm-started from the current prices and assignment; repeat.
///    Rows still violating after ``maximumSparseRounds`` are finished by the dense path
///    phase of ``JonkerVolgenant`` on C with prices g (which needs only the invariant kept
///    here, now on every edge of C), with no further certification needed.
///
/// A k-nearest graph can lack a perfect matching (at the rim of a cloud, or with duplicate
/// points); step 1 is then redone with 2k candidates (a repaired row always finds a path,
/// since its old column is free, so only step 1 can leave rows unmatched).
///
/// τ = 10⁻¹² (1 + maxⱼ|gⱼ| + maxᵢ|fᵢ|) (from the first round) absorbs rounding in
/// Cᵢⱼ − gⱼ − fᵢ, so the result is optimal to n·τ in total cost. Repairs only lower prices,
/// so a later round rechecks only the rows whose column changed or whose fᵢ rose. On
/// Euclidean clouds with k = 16, 1–5 rounds suffice; the cost is one pass over C to build
/// the graph, one to certify, and the rechecked rows, plus the sparse paths, instead of
/// O(n) work per scanned row in the dense solver.
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
        /// Candidates per row and column of the first graph that had a perfect matching.
        let neighbors: Int
        /// Rows finished by the dense path phase.
        let denseRows: Int
    }

    /// Solves `[n, n]` row-major C with offsets a, b (length n; zeros when C needs none),
    /// starting from the graph of `neighbors` nearest columns per row and rows per column.
    /// `sparseRounds` (default ``maximumSparseRounds``) bounds the rounds of sparse repair.
    /// Nil when a graph leaves more than n/32 rows unmatched (many duplicate points, tight
    /// clusters), or still some with n/8 candidates: the dense solver is then the cheaper route.
    static func solve(cost c: UnsafePointer<Double>, n: Int, rowOffset a: [Double], columnOffset b: [Double],
                      neighbors k: Int, sparseRounds: Int = maximumSparseRounds) -> Result? {
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                solve(c, n, ab.baseAddress!, bb.baseAddress!, k, sparseRounds)
            }
        }
    }

    private static func solve(_ c: UnsafePointer<Double>, _ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                              _ k: Int, _ sparseRounds: Int) -> Result? {
        // A graph without a perfect matching leaves rows unmatched, and the searches before
        // them took long detours that skew the prices: solve again on a graph twice as dense.
        var neighbors = k
        func sparseSolve() -> SparseJonkerVolgenant {
            SparseJonkerVolgenant(graph: CandidateGraph(cost: c, n: n, rowOffset: a, columnOffset: b, neighbors: neighbors),
                                  unmatchedLimit: n / 32)
        }
        var lap = sparseSolve()
        while !lap.unmatched.isEmpty {
            if lap.unmatched.count > n / 32 || 8 * neighbors > n { return nil }
            neighbors *= 2
            lap = sparseSolve()
        }
        var g = [Double](repeating: 0, count: n)
        // The column and potential fᵢ each row was last certified with (prices only fall, so
        // a row whose column and fᵢ did not change needs no new check).
        var checkedColumn = [Int](repeating: -1, count: n), checkedPotential = g
        var tolerance = 0.0
        var rounds = 0, denseRows = 0, denseIterations = 0
        while true {
            rounds += 1
            for j in 0..<n { g[j] = lap.v[j] + b[j] }
            var rows = [Int]()
            for i in 0..<n where lap.x[i] >= 0 {
                let f = c[i * n + lap.x[i]] - g[lap.x[i]]
                if lap.x[i] != checkedColumn[i] || f > checkedPotential[i] {
                    rows.append(i)
                    checkedColumn[i] = lap.x[i]
                    checkedPotential[i] = f
                }
            }
            if rounds == 1 {
                let largest = checkedPotential.reduce(0) { max($0, abs($1)) } + g.reduce(0) { max($0, abs($1)) }
                tolerance = 1e-12 * (1 + largest)
            }
            let repairs = violatingEdges(c, n, rows, checkedPotential, g, tolerance)
            if repairs.isEmpty { break }
            if rounds <= sparseRounds {
                lap.repair(rows: repairs.map(\.row), on: lap.graph.adding(repairs, from: c, rowOffset: a, columnOffset: b))
                continue
            }
            // Dense finish: free the violating rows, so that every assigned row is feasible on
            // all of C, as the dense path phase needs.
            var finish = repairs.map(\.row)
            for i in finish {
                lap.y[lap.x[i]] = -1
                lap.x[i] = -1
            }
            g.withUnsafeMutableBufferPointer { gb in
                let dense = JonkerVolgenant(n: n, cost: c, x: lap.x, y: lap.y, v: gb.baseAddress!)
                finish.withUnsafeMutableBufferPointer { denseIterations = dense.augment($0.count, $0.baseAddress!) }
            }
            denseRows = finish.count
            break
        }
        let x = Array(UnsafeBufferPointer(start: lap.x, count: n))
        let f = (0..<n).map { c[$0 * n + x[$0]] - g[x[$0]] }
        return Result(assignment: x, rowPotential: f, columnPotential: g, iterations: lap.iterations + denseIterations,
                      certificationRounds: rounds, neighbors: neighbors, denseRows: denseRows)
    }

    /// For each row i in `rows` with minⱼ (Cᵢⱼ − gⱼ) < fᵢ − τ, the columns j where that holds
    /// (one vectorised pass over the row; a second pass only over violating rows).
    private static func violatingEdges(_ c: UnsafePointer<Double>, _ n: Int, _ rows: [Int], _ f: [Double],
                                       _ g: [Double], _ tolerance: Double) -> [(row: Int, columns: [Int])] {
        g.withUnsafeBufferPointer { gb in
            let p = gb.baseAddress!
            var found = [(row: Int, columns: [Int])]()
            for i in rows {
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
