extension Matrix {
    /// Matrix product through BLAS dgemm: `[m, k] · [k, n] → [m, n]`.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columns == rhs.rows, "Matrix product shape mismatch: \(lhs.shape) · \(rhs.shape)")
        var out = Matrix(rows: lhs.rows, columns: rhs.columns)
        guard lhs.columns > 0 else { return out }
        lhs.elements.withUnsafeBufferPointer { a in
            rhs.elements.withUnsafeBufferPointer { b in
                out.elements.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(m: lhs.rows, n: rhs.columns, k: lhs.columns,
                              a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                }
            }
        }
        return out
    }

    /// Matrix–vector product `[m, n] · [n] → [m]`.
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        precondition(lhs.columns == rhs.count, "Matrix–vector shape mismatch: \(lhs.shape) · [\(rhs.count)]")
        var out = [Double](repeating: 0, count: lhs.rows)
        guard lhs.columns > 0 else { return out }
        lhs.elements.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { y in
                    BLAS.gemv(m: lhs.rows, n: lhs.columns, a: a.baseAddress!, x: x.baseAddress!, y: y.baseAddress!)
                }
            }
        }
        return out
    }

    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.shape == rhs.shape, "Matrix sum shape mismatch: \(lhs.shape) + \(rhs.shape)")
        var out = lhs
        for i in out.elements.indices { out.elements[i] += rhs.elements[i] }
        return out
    }

    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.shape == rhs.shape, "Matrix difference shape mismatch: \(lhs.shape) - \(rhs.shape)")
        var out = lhs
        for i in out.elements.indices { out.elements[i] -= rhs.elements[i] }
        return out
    }

    public static func * (scalar: Double, matrix: Matrix) -> Matrix {
        var out = matrix
        for i in out.elements.indices { out.elements[i] *= scalar }
        return out
    }

    public static func / (matrix: Matrix, scalar: Double) -> Matrix { (1 / scalar) * matrix }

    public static prefix func - (matrix: Matrix) -> Matrix { -1 * matrix }

    /// (A + Aᵀ)/2: removes round-off asymmetry from products of symmetric matrices.
    public var symmetrized: Matrix { 0.5 * (self + transposed) }

    /// Largest |aᵢⱼ − aⱼᵢ| relative to the largest entry (0 for a symmetric matrix).
    public var asymmetry: Double {
        precondition(isSquare)
        var worst = 0.0
        for i in 0..<rows { for j in 0..<i { worst = max(worst, abs(self[i, j] - self[j, i])) } }
        return worst / max(maxAbs, .leastNormalMagnitude)
    }
}
