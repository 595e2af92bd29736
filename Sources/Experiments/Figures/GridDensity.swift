import Foundation
import NumericalCore

/// A density a run saved on a grid (`density/…/step-KKKK.npy` with the cell centres in
/// `density/axis-1.npy`, `axis-2.npy`; see `RunFolder.densityURL`), read back as a function:
/// linear (1D) or bilinear (2D) interpolation between cell centres, the edge value within half
/// a cell beyond the outer centres, zero further out.
///
/// Layout of the saved values: `[n₁]` in 1D; `[n₁, n₂]` in 2D with the row index along x₁.
public struct GridDensity {
    public let axes: [[Double]]
    public let values: [Double]

    /// Reads one step's grid, or nil when the run saved none for this method and step.
    public init?(folder: RunFolder, step: Int, method: String, reference: String) {
        let file = folder.densityURL(step: step, method: method, reference: reference)
        guard FileManager.default.fileExists(atPath: file.path), let array = try? NPYArray(contentsOf: file) else { return nil }
        var axes: [[Double]] = []
        for axis in 1...array.shape.count {
            let url = folder.url.appendingPathComponent("density/axis-\(axis).npy")
            guard let centres = try? NPYArray(contentsOf: url), centres.values.count == array.shape[axis - 1] else { return nil }
            axes.append(centres.values)
        }
        guard axes.allSatisfy({ $0.count >= 2 }) else { return nil }
        self.axes = axes
        values = array.values
    }

    /// ρ at a point (length 1 or 2, matching the grid).
    public func evaluate(_ point: [Double]) -> Double {
        var lower: [Int] = [], weight: [Double] = []
        for (k, centres) in axes.enumerated() {
            guard let (i, t) = Self.locate(point[k], in: centres) else { return 0 }
            lower.append(i)
            weight.append(t)
        }
        if axes.count == 1 {
            return values[lower[0]] * (1 - weight[0]) + values[lower[0] + 1] * weight[0]
        }
        let n2 = axes[1].count
        func v(_ i: Int, _ j: Int) -> Double { values[i * n2 + j] }
        let (i, j, s, t) = (lower[0], lower[1], weight[0], weight[1])
        return (1 - s) * (1 - t) * v(i, j) + s * (1 - t) * v(i + 1, j) + (1 - s) * t * v(i, j + 1) + s * t * v(i + 1, j + 1)
    }

    /// The cell pair (i, i + 1) around x and the weight of i + 1; the edge pair (weight 0 or 1)
    /// within half a cell outside the centres; nil further out.
    static func locate(_ x: Double, in centres: [Double]) -> (Int, Double)? {
        let n = centres.count
        let halfFirst = (centres[1] - centres[0]) / 2, halfLast = (centres[n - 1] - centres[n - 2]) / 2
        if x < centres[0] { return x >= centres[0] - halfFirst ? (0, 0) : nil }
        if x > centres[n - 1] { return x <= centres[n - 1] + halfLast ? (n - 2, 1) : nil }
        var low = 0, high = n - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if centres[middle] <= x { low = middle } else { high = middle }
        }
        let span = centres[high] - centres[low]
        return (low, span > 0 ? (x - centres[low]) / span : 0)
    }

    /// n independent draws `[n, d]` from the grid read as piecewise constant: a cell with
    /// probability ∝ its value (negative values count as 0), then a uniform point in the cell
    /// (cell edges halfway between centres, the outer cells as wide as their neighbours).
    public func sample(count n: Int, using rng: inout RandomGenerator) -> Matrix {
        var cumulative = [Double](repeating: 0, count: values.count)
        var total = 0.0
        for (k, v) in values.enumerated() { total += max(v, 0); cumulative[k] = total }
        let edges = axes.map { centres -> [Double] in
            let m = centres.count
            return (0...m).map { i in
                if i == 0 { return centres[0] - (centres[1] - centres[0]) / 2 }
                if i == m { return centres[m - 1] + (centres[m - 1] - centres[m - 2]) / 2 }
                return (centres[i - 1] + centres[i]) / 2
            }
        }
        var out = Matrix(rows: n, columns: axes.count)
        guard total > 0 else { return out }
        for r in 0..<n {
            let u = rng.uniform() * total
            var low = 0, high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] > u { high = middle } else { low = middle + 1 }
            }
            // Row-major `[n₁, n₂]` with the row index along x₁ (see the type's comment).
            let index = axes.count == 1 ? [low] : [low / axes[1].count, low % axes[1].count]
            for (k, i) in index.enumerated() {
                out[r, k] = edges[k][i] + rng.uniform() * (edges[k][i + 1] - edges[k][i])
            }
        }
        return out
    }
}
