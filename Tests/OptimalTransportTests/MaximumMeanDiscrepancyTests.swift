import Foundation
import NumericalCore
@testable import OptimalTransport
import XCTest
import _TestSupport

/// The MMD's median-heuristic bandwidth (all pooled pairs) and its row-order invariance.
final class MaximumMeanDiscrepancyTests: XCTestCase {
    /// A noisy ring of radius 2 (`[n, 2]`).
    static func ring(_ n: Int, _ g: inout RandomGenerator) -> Matrix {
        var e = [Double]()
        for _ in 0..<n {
            let t = 2 * Double.pi * g.uniform()
            e += [2 * cos(t) + 0.1 * g.normal(), 2 * sin(t) + 0.1 * g.normal()]
        }
        return Matrix(rows: n, columns: 2, elements: e)
    }

    static func gaussian(_ n: Int, _ g: inout RandomGenerator) -> Matrix {
        Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in g.normal() })
    }

    static func permuted(_ x: Matrix, _ g: inout RandomGenerator) -> Matrix {
        var order = Array(0..<x.rows)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(g.uniform() * Double(i + 1)) % (i + 1)) }
        return Matrix(order.map { x.row($0) })
    }

    /// The histogram-and-select median equals the brute-force one (all pairs sorted, rank
    /// ⌊count/2⌋) exactly, on odd and even pair counts, 1D to 3D, with duplicate points.
    func testMedianMatchesSortedPairs() {
        var g = RandomGenerator(seed: 81)
        for (n, m, d) in [(7, 5, 1), (40, 31, 2), (100, 101, 3), (2, 1, 2)] {
            var x = Matrix(rows: n, columns: d, elements: (0..<(n * d)).map { _ in g.normal() })
            let y = Matrix(rows: m, columns: d, elements: (0..<(m * d)).map { _ in g.normal() + 0.5 })
            if n > 3 { for k in 0..<d { x[1, k] = x[0, k] } }   // a duplicate point: a zero distance
            let pooled = (0..<n).map(x.row) + (0..<m).map(y.row)
            var all = [Double]()
            for i in 0..<pooled.count { for j in (i + 1)..<pooled.count { all.append(Vector.norm(Vector.subtract(pooled[i], pooled[j]))) } }
            all.sort()
            // Same squared distances, one square root: equal to round-off of the norm.
            assertClose(PairwiseDistanceMedian.median(x, y), all[all.count / 2], rtol: 1e-15, "\(n)+\(m) in \(d)D")
        }
    }

    /// The case: a 3000-point ring against a 3000-point Gaussian. Shuffling the rows
    /// of either cloud leaves the MMD unchanged to round-off (sums in another order:
    /// 1e-12 relative), where the old first-1000-rows bandwidth moved it by about 1 %.
    func testRowPermutationLeavesTheValueUnchanged() throws {
        var g = RandomGenerator(seed: 82)
        let ring = Self.ring(3000, &g), gauss = Self.gaussian(3000, &g)
        let reference = try CloudDistance.mmd.evaluate(ring, gauss)
        let sigma = MaximumMeanDiscrepancy().resolvedBandwidth(ring, gauss)
        for trial in 0..<3 {
            let r = Self.permuted(ring, &g), q = trial == 2 ? Self.permuted(gauss, &g) : gauss
            XCTAssertEqual(MaximumMeanDiscrepancy().resolvedBandwidth(r, q), sigma, "the median is a function of the set of pairs")
            assertClose(try CloudDistance.mmd.evaluate(r, q), reference, rtol: 1e-12, "permutation \(trial)")
        }
        // Against a fixed-bandwidth direct double sum (no symmetry, no fast exponential).
        let sub = Matrix((0..<300).map(ring.row)), subG = Matrix((0..<200).map(gauss.row))
        let s = MaximumMeanDiscrepancy(bandwidth: 0.7)
        var kxx = 0.0, kyy = 0.0, kxy = 0.0
        for i in 0..<300 { for j in 0..<300 { kxx += exp(-Vector.squaredNorm(Vector.subtract(sub.row(i), sub.row(j))) / (2 * 0.49)) } }
        for i in 0..<200 { for j in 0..<200 { kyy += exp(-Vector.squaredNorm(Vector.subtract(subG.row(i), subG.row(j))) / (2 * 0.49)) } }
        for i in 0..<300 { for j in 0..<200 { kxy += exp(-Vector.squaredNorm(Vector.subtract(sub.row(i), subG.row(j))) / (2 * 0.49)) } }
        let biased = kxx / 90_000 + kyy / 40_000 - 2 * kxy / 60_000
        assertClose(try s.squaredDistance(sub, subG, unbiased: false), biased, rtol: 1e-12)
        let unbiased = (kxx - 300) / (300 * 299) + (kyy - 200) / (200 * 199) - 2 * kxy / 60_000
        assertClose(try s.squaredDistance(sub, subG), unbiased, rtol: 1e-11)
        print("mmd ring-vs-gaussian 3000: \(reference), σ = \(sigma)")
    }
}
