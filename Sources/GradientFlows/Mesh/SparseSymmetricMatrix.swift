import Foundation

/// A symmetric `[2n, 2n]` matrix stored in 2×2 node blocks, compressed by rows (block CSR).
///
/// Row block i holds the blocks (i, j) for j in the sorted neighbourhood of node i (itself
/// included); block k is stored as 4 numbers (xx, xy, yx, yy) at `values[4k..<4k+4]`.
/// Both (i, j) and (j, i) are stored, so a product is one pass over the rows. This is the
/// Hessian pattern of an energy that couples the nodes of each triangle of a mesh:
/// about 7 blocks per row for a structured triangulation, so a product costs ≈ 56n flops.
struct SparseSymmetricMatrix {
    /// Number of nodes n (the matrix is 2n × 2n).
    let nodeCount: Int
    /// Row block i covers block indices `rowStart[i]..<rowStart[i + 1]`, length n + 1.
    let rowStart: [Int]
    /// The node column of each block.
    let blockColumns: [Int]
    /// 4 numbers per block (xx, xy, yx, yy).
    var values: [Double]

    /// An all-zero matrix with the block pattern of `neighbourhoods` (sorted per node).
    init(neighbourhoods: [[Int]]) {
        nodeCount = neighbourhoods.count
        var start = [0]
        start.reserveCapacity(nodeCount + 1)
        for list in neighbourhoods { start.append(start[start.count - 1] + list.count) }
        rowStart = start
        blockColumns = neighbourhoods.flatMap { $0 }
        values = [Double](repeating: 0, count: 4 * blockColumns.count)
    }

    /// The block index of (i, j); precondition: j is in the pattern of row i.
    func blockIndex(row i: Int, column j: Int) -> Int {
        var lo = rowStart[i], hi = rowStart[i + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if blockColumns[mid] < j { lo = mid + 1 } else { hi = mid }
        }
        precondition(lo < rowStart[i + 1] && blockColumns[lo] == j, "block (\(i), \(j)) is not in the sparsity pattern")
        return lo
    }

    /// The index of the diagonal block of every node.
    func diagonalBlockIndices() -> [Int] { (0..<nodeCount).map { blockIndex(row: $0, column: $0) } }

    mutating func setZero() {
        values.withUnsafeMutableBufferPointer { v in for k in v.indices { v[k] = 0 } }
    }

    /// y = M x for vectors of length 2n.
    func multiply(_ x: [Double], into y: inout [Double]) {
        precondition(x.count == 2 * nodeCount && y.count == 2 * nodeCount, "SparseSymmetricMatrix.multiply: length mismatch")
        rowStart.withUnsafeBufferPointer { start in
            blockColumns.withUnsafeBufferPointer { cols in
                values.withUnsafeBufferPointer { v in
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            for i in 0..<nodeCount {
                                var sx = 0.0, sy = 0.0
                                for k in start[i]..<start[i + 1] {
                                    let j = cols[k]
                                    let xj = xp[2 * j], yj = xp[2 * j + 1]
                                    sx += v[4 * k] * xj + v[4 * k + 1] * yj
                                    sy += v[4 * k + 2] * xj + v[4 * k + 3] * yj
                                }
                                yp[2 * i] = sx
                                yp[2 * i + 1] = sy
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The block-Jacobi preconditioner P = blockdiag(M)⁻¹ of a ``SparseSymmetricMatrix``,
/// with each 2×2 block replaced by `fallback·I` when it is not positive definite.
struct BlockJacobiPreconditioner {
    /// Inverse blocks (xx, xy, yx, yy), 4 per node.
    private(set) var inverses: [Double]

    init(_ matrix: SparseSymmetricMatrix, diagonal: [Int], fallback: [Double]) {
        var inv = [Double](repeating: 0, count: 4 * matrix.nodeCount)
        for i in 0..<matrix.nodeCount {
            let k = diagonal[i]
            let a = matrix.values[4 * k], b = 0.5 * (matrix.values[4 * k + 1] + matrix.values[4 * k + 2]), d = matrix.values[4 * k + 3]
            let det = a * d - b * b
            if a > 0, det > 0, det.isFinite {
                inv[4 * i] = d / det
                inv[4 * i + 1] = -b / det
                inv[4 * i + 2] = -b / det
                inv[4 * i + 3] = a / det
            } else {
                inv[4 * i] = 1 / fallback[i]
                inv[4 * i + 3] = 1 / fallback[i]
            }
        }
        inverses = inv
    }

    /// z = P r.
    func apply(_ r: [Double], into z: inout [Double]) {
        let n = inverses.count / 4
        for i in 0..<n {
            let rx = r[2 * i], ry = r[2 * i + 1]
            z[2 * i] = inverses[4 * i] * rx + inverses[4 * i + 1] * ry
            z[2 * i + 1] = inverses[4 * i + 2] * rx + inverses[4 * i + 3] * ry
        }
    }
}
