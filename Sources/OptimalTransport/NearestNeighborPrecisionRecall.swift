import NumericalCore

/// Improved precision and recall (Kynkäänniemi et al., NeurIPS 2019) between a real and a
/// generated cloud in a feature space: each point's ball has the radius of its k-th
/// nearest neighbour in its own cloud (itself excluded);
/// precision = fraction of generated points inside some real ball (fidelity),
/// recall = fraction of real points inside some generated ball (diversity).
/// Euclidean distances through one BLAS product per block of 512 rows: O(n·m·d) time,
/// O(512·max(n, m)) memory.
public enum NearestNeighborPrecisionRecall {
    public static func evaluate(real: Matrix, generated: Matrix, k: Int = 3) -> (precision: Double, recall: Double) {
        precondition(real.columns == generated.columns && real.rows > k && generated.rows > k, "precision/recall: clouds of one dimension, more than k points each")
        let realRadii = kthNeighborDistances(real, k: k), generatedRadii = kthNeighborDistances(generated, k: k)
        let precision = coveredFraction(points: generated, centres: real, radii: realRadii)
        let recall = coveredFraction(points: real, centres: generated, radii: generatedRadii)
        return (precision, recall)
    }

    /// Squared distances `[rows of x in block, y.rows]` for rows `block` of x.
    static func squaredDistances(_ x: Matrix, rows block: Range<Int>, to y: Matrix) -> [Double] {
        let d = x.columns, n = block.count, m = y.rows
        var out = [Double](repeating: 0, count: n * m)
        x.elements.withUnsafeBufferPointer { px in
            y.elements.withUnsafeBufferPointer { py in
                out.withUnsafeMutableBufferPointer { po in
                    BLAS.gemm(transposeB: true, m: n, n: m, k: d, alpha: -2, a: px.baseAddress! + block.lowerBound * d,
                              b: py.baseAddress!, c: po.baseAddress!)
                }
            }
        }
        let xNorms = block.map { i in (0..<d).reduce(0.0) { $0 + x[i, $1] * x[i, $1] } }
        let yNorms = (0..<m).map { j in (0..<d).reduce(0.0) { $0 + y[j, $1] * y[j, $1] } }
        for r in 0..<n { for j in 0..<m { out[r * m + j] = max(0, out[r * m + j] + xNorms[r] + yNorms[j]) } }
        return out
    }

    /// Squared distance of each point of x to its k-th nearest other point of x.
    static func kthNeighborDistances(_ x: Matrix, k: Int) -> [Double] {
        var radii = [Double](repeating: 0, count: x.rows)
        for start in stride(from: 0, to: x.rows, by: 512) {
            let block = start..<min(start + 512, x.rows)
            let distances = squaredDistances(x, rows: block, to: x)
            for (r, i) in block.enumerated() {
                var row = Array(distances[(r * x.rows)..<((r + 1) * x.rows)])
                row[i] = .infinity
                row.sort()
                radii[i] = row[k - 1]
            }
        }
        return radii
    }

    /// Fraction of `points` within the squared radius of some centre.
    static func coveredFraction(points: Matrix, centres: Matrix, radii: [Double]) -> Double {
        var covered = 0
        for start in stride(from: 0, to: points.rows, by: 512) {
            let block = start..<min(start + 512, points.rows)
            let distances = squaredDistances(points, rows: block, to: centres)
            for r in 0..<block.count where (0..<centres.rows).contains(where: { distances[r * centres.rows + $0] <= radii[$0] }) { covered += 1 }
        }
        return Double(covered) / Double(points.rows)
    }
}
