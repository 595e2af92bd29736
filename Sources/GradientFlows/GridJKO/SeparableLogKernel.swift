import Foundation
import NumericalCore

/// The Gibbs kernel K_ij = exp(−|xᵢ − x_j|²/ε) of a cell-centred grid, applied in the log
/// domain one axis at a time (it factorises, K = K₀ ⊗ K₁):
///
///   (log K ⊙ eᵘ)_j = LSE_i (u_i − |xᵢ − x_j|²/ε),
///
/// for log-values u on `[n]` (1D) or `[n₀, n₁]` row-major (2D), never an n^d × n^d matrix.
///
/// **Scaling domain by BLAS, per line.** Each axis pass absorbs the maximum m of every line
/// (a row for the contiguous axis, a column for the strided one) into a log-scale, so the
/// line becomes real scalings E = e^{u − m} ∈ [0, 1], multiplies them by the axis' real
/// kernel matrix K_a (one dgemm per pass: out = m + log(E · K_a)), and takes the log again:
/// n^d exponentials, n^d logarithms and O(n^{d+1}) multiply-adds per pass. The factors are
/// banded: entries with (kΔx)²/ε > 745 underflow to exactly 0 in Double, so a pass only
/// multiplies the blocks within that bandwidth.
///
/// **Exact fallback, per entry.** The product is a sum of non-negative terms, so it is exact
/// to rounding unless it is tiny: terms below the smallest normal double (≈ 2·10⁻³⁰⁸) lose
/// their digits, n of them at most n·2·10⁻³⁰⁸ in all. Every entry whose product is below
/// 10⁻²⁸⁰ (the result more than ≈ 645 below its line's maximum, where the line's values
/// span more than that) is recomputed by the exact shifted log-sum-exp of its own line
/// (terms more than 40 below the entry's maximum skipped: at most n·4·10⁻¹⁸ relative). So
/// every output is exact to ≈ 10⁻¹⁵ relative for any range of u; the fraction recomputed
/// is returned (a few per mille in a warm-started JKO step on a 120² grid).
struct SeparableLogKernel: Sendable {
    /// Cells per axis (1 or 2 entries).
    let counts: [Int]
    /// D[k] = (k Δx)²/ε for k = 0..<max(counts).
    let costTable: [Double]
    /// D[|k|] at index k + n − 1 for k in −(n − 1)...(n − 1), n = max(counts): the cost of
    /// the offset i − j, so exact sums run over i with a linear index.
    let offsetCost: [Double]
    /// Per axis the n × n row-major matrix exp(−D[|i − j|]) (symmetric).
    let factors: [[Double]]
    /// The largest k with exp(−D[k]) > 0: the factors' half bandwidth.
    let bandwidth: Int

    static let pruneLevel = 40.0
    /// Products below this are recomputed by the exact log-sum-exp.
    static let smallestReliableProduct = 1e-280

    init(counts: [Int], spacing: Double, epsilon: Double) {
        self.counts = counts
        let n = counts.max()!
        let table = (0..<n).map { Double($0) * Double($0) * spacing * spacing / epsilon }
        costTable = table
        offsetCost = (0..<(2 * n - 1)).map { table[abs($0 - (n - 1))] }
        factors = counts.map { m in
            var k = [Double](repeating: 0, count: m * m)
            for i in 0..<m { for j in 0..<m { k[i * m + j] = Foundation.exp(-table[abs(i - j)]) } }
            return k
        }
        bandwidth = table.lastIndex { Foundation.exp(-$0) > 0 } ?? 0
    }

    /// Scratch arrays of one application (`[cells]` each), reused across calls.
    struct Workspace {
        var scaled: [Double]
        var product: [Double]
        var pass: [Double]
        var scales: [Double]
        init(cells: Int, lines: Int) {
            scaled = [Double](repeating: 0, count: cells)
            product = scaled
            pass = scaled
            scales = [Double](repeating: 0, count: lines)
        }
    }

    func makeWorkspace() -> Workspace { Workspace(cells: counts.reduce(1, *), lines: counts.max()!) }

    /// out = log(K ⊙ exp(u)), same shape as u; returns how many entries the exact
    /// log-sum-exp recomputed (over both passes).
    @discardableResult
    func apply(_ u: [Double], into out: inout [Double], workspace w: inout Workspace) -> Int {
        if counts.count == 1 {
            return passAlongLast(u, into: &out, rows: 1, length: counts[0], factor: factors[0], workspace: &w)
        }
        var pass = [Double]()
        swap(&pass, &w.pass)
        defer { swap(&pass, &w.pass) }
        let first = passAlongLast(u, into: &pass, rows: counts[0], length: counts[1], factor: factors[1], workspace: &w)
        let second = passAlongFirst(pass, into: &out, rows: counts[0], length: counts[1], factor: factors[0], workspace: &w)
        return first + second
    }

    /// out = log(K ⊙ exp(u)) by the exact shifted log-sum-exp alone (no BLAS; the
    /// reference the fast passes are tested against).
    func applyExactly(_ u: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: u.count)
        if counts.count == 1 {
            u.withUnsafeBufferPointer { up in
                for j in 0..<counts[0] { out[j] = exactEntry(up.baseAddress!, count: counts[0], at: j, lineMaximum: .infinity) }
            }
            return out
        }
        let n0 = counts[0], n1 = counts[1]
        var pass = out
        u.withUnsafeBufferPointer { up in
            for r in 0..<n0 {
                for j in 0..<n1 { pass[r * n1 + j] = exactEntry(up.baseAddress! + r * n1, count: n1, at: j, lineMaximum: .infinity) }
            }
        }
        var column = [Double](repeating: 0, count: n0)
        for c in 0..<n1 {
            for i in 0..<n0 { column[i] = pass[i * n1 + c] }
            column.withUnsafeBufferPointer { cp in
                for j in 0..<n0 { out[j * n1 + c] = exactEntry(cp.baseAddress!, count: n0, at: j, lineMaximum: .infinity) }
            }
        }
        return out
    }

    /// LSE_i (line[i] − D[|i − j|]) over the contiguous line i < count, shifted by its
    /// maximum, terms more than `pruneLevel` below it skipped; `lineMaximum` ≥ every
    /// line[i] bounds the offsets that can pass the pruning (D[|i − j|] ≤ lineMaximum −
    /// line[j] + pruneLevel, as the maximum is ≥ line[j]), so only those are visited: the
    /// same terms, the same sum, in O(that window).
    func exactEntry(_ line: UnsafePointer<Double>, count: Int, at j: Int, lineMaximum: Double) -> Double {
        let prune = SeparableLogKernel.pruneLevel
        var lo = 0, hi = count
        let reach = lineMaximum - line[j] + prune
        if reach.isFinite, costTable.count > 1, costTable[1] > 0 {
            let k = Int((reach / costTable[1]).squareRoot()) + 1
            lo = max(0, j - k)
            hi = min(count, j + k + 1)
        }
        return offsetCost.withUnsafeBufferPointer { tp in
            // d[i] = D[|i − j|].
            let d = tp.baseAddress! + (costTable.count - 1 - j)
            var m = -Double.infinity
            for i in lo..<hi {
                let v = line[i] - d[i]
                m = v > m ? v : m
            }
            guard m > -Double.infinity else { return m }
            let floor = m - prune
            var s = 0.0
            for i in lo..<hi {
                let v = line[i] - d[i]
                if v > floor { s += Foundation.exp(v - m) }
            }
            return m + Foundation.log(s)
        }
    }
}
