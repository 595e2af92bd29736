import Foundation
import NumericalCore

/// The exact median of the P(P − 1)/2 pairwise Euclidean distances of a pooled sample
/// (P points: the rows of x, then those of y), without storing the pairs:
///
/// 1. one pass bins every squared distance into 2¹⁶ equal bins over [0, D²] (D the diagonal
///    of the pooled bounding box), per core, and finds the bin holding rank ⌊count/2⌋;
/// 2. a second pass collects the squared distances falling in that bin and selects the one
///    of the remaining rank exactly.
///
/// The result is √(that squared distance): the element of rank ⌊count/2⌋ of the sorted
/// distances, a function of the set of points only (any row order gives the same value).
/// Rows are folded (i with P − 1 − i) so that the triangular loop splits evenly over the
/// cores. Cost: two passes of P²/2 squared distances; memory 2¹⁶ counts per core plus one bin.
enum PairwiseDistanceMedian {
    static let binCount = 1 << 16

    static func median(_ x: Matrix, _ y: Matrix) -> Double {
        let d = x.columns
        let pooled = x.elements + y.elements
        let count = x.rows + y.rows
        let pairs = count * (count - 1) / 2
        guard pairs > 0 else { return 0 }
        var lower = [Double](repeating: .infinity, count: d), upper = [Double](repeating: -.infinity, count: d)
        for p in 0..<count { for k in 0..<d { lower[k] = min(lower[k], pooled[p * d + k]); upper[k] = max(upper[k], pooled[p * d + k]) } }
        let extent = zip(lower, upper).reduce(0.0) { $0 + ($1.1 - $1.0) * ($1.1 - $1.0) }
        guard extent > 0 else { return 0 }
        let binsPerUnit = Double(binCount) / extent
        let rank = pairs / 2
        return pooled.withUnsafeBufferPointer { pb in
            let p = pb.baseAddress!
            @inline(__always) func squared(_ i: Int, _ j: Int) -> Double {
                var s = 0.0
                for k in 0..<d { let t = p[i * d + k] - p[j * d + k]; s += t * t }
                return s
            }
            @inline(__always) func bin(_ s: Double) -> Int { min(binCount - 1, Int(s * binsPerUnit)) }
            func foldedRows(_ range: Range<Int>, _ body: (Int) -> Void) {
                for t in range {
                    body(t)
                    let u = count - 1 - t
                    if u != t { body(u) }
                }
            }
            let folded = (count + 1) / 2
            let histograms = Parallel.shards(count: folded) { _, range -> [Int] in
                var h = [Int](repeating: 0, count: binCount)
                foldedRows(range) { i in for j in (i + 1)..<max(i + 1, count) { h[bin(squared(i, j))] += 1 } }
                return h
            }
            var below = 0, target = 0
            for b in 0..<binCount {
                let c = histograms.reduce(0) { $0 + $1[b] }
                if below + c > rank { target = b; break }
                below += c
            }
            let members = Parallel.shards(count: folded) { _, range -> [Double] in
                var list = [Double]()
                foldedRows(range) { i in
                    for j in (i + 1)..<max(i + 1, count) {
                        let s = squared(i, j)
                        if bin(s) == target { list.append(s) }
                    }
                }
                return list
            }
            var values = members.flatMap { $0 }
            values.sort()
            return values[rank - below].squareRoot()
        }
    }
}
