import NumericalCore

/// A ground cost c(x, y) between points of ℝᵈ, and its `[n, m]` matrix between two clouds.
///
/// The default is the squared Euclidean cost c(x, y) = |x − y|², for which the optimal
/// transport cost is W₂². ``scaledSquaredEuclidean(_:)`` gives s·|x − y|², e.g.
/// s = 1/(2h) for the JKO step cost |x − y|²/(2h). Any other cost is a closure.
///
/// Squared Euclidean matrices are computed by a tight loop for d ≤ 8 (exact to rounding)
/// and through BLAS as |x|² + |y|² − 2·x·yᵀ for larger d (clamped at 0); rows run on all
/// cores.
public struct TransportCost: Sendable {
    enum Kind: Sendable {
        case squaredEuclidean(scale: Double)
        case custom(@Sendable ([Double], [Double]) -> Double)
    }

    let kind: Kind
    /// A short human-readable name (“squared Euclidean”, “|x−y|²/(2h)”, …).
    public let name: String

    /// c(x, y) = |x − y|².
    public static let squaredEuclidean = TransportCost(kind: .squaredEuclidean(scale: 1), name: "squared Euclidean")

    /// c(x, y) = scale·|x − y|² (scale > 0; e.g. 1/(2h) for a JKO step of size h).
    public static func scaledSquaredEuclidean(_ scale: Double) -> TransportCost {
        TransportCost(kind: .squaredEuclidean(scale: scale), name: "\(scale)·|x−y|²")
    }

    /// Any cost given as a closure of two points of equal length.
    public static func custom(name: String, _ cost: @escaping @Sendable ([Double], [Double]) -> Double) -> TransportCost {
        TransportCost(kind: .custom(cost), name: name)
    }

    /// c(x, y) for two points of equal length.
    public func callAsFunction(_ x: [Double], _ y: [Double]) -> Double {
        switch kind {
        case let .squaredEuclidean(scale):
            var s = 0.0
            for k in x.indices { let t = x[k] - y[k]; s += t * t }
            return scale * s
        case let .custom(f):
            return f(x, y)
        }
    }

    /// The cost matrix C[i, j] = c(xᵢ, yⱼ), `[n, m]`, for clouds `[n, d]` and `[m, d]`.
    public func matrix(_ source: Matrix, _ target: Matrix) -> Matrix {
        precondition(source.columns == target.columns, "cost matrix: dimensions \(source.columns) and \(target.columns) differ")
        let n = source.rows, m = target.rows, d = source.columns
        var out = Matrix(rows: n, columns: m)
        switch kind {
        case let .squaredEuclidean(scale) where d > 8:
            Self.blasSquaredDistances(source, target, into: &out, scale: scale)
        case let .squaredEuclidean(scale):
            source.elements.withUnsafeBufferPointer { xs in
                target.elements.withUnsafeBufferPointer { ys in
                    out.elements.withUnsafeMutableBufferPointer { c in
                        let x = xs.baseAddress!, y = ys.baseAddress!, cp = c.baseAddress!
                        Parallel.forEachChunk(count: n, minimumChunk: max(1, 65_536 / max(m, 1))) { rows in
                            for i in rows {
                                let xi = x + i * d, row = cp + i * m
                                for j in 0..<m {
                                    let yj = y + j * d
                                    var s = 0.0
                                    for k in 0..<d { let t = xi[k] - yj[k]; s += t * t }
                                    row[j] = scale * s
                                }
                            }
                        }
                    }
                }
            }
        case let .custom(f):
            let ys = (0..<m).map(target.row)
            for i in 0..<n {
                let xi = source.row(i)
                for j in 0..<m { out[i, j] = f(xi, ys[j]) }
            }
        }
        return out
    }

    /// scale·(|x|² + |y|² − 2 x·yᵀ), clamped at 0, with the cross term from one dgemm.
    static func blasSquaredDistances(_ x: Matrix, _ y: Matrix, into out: inout Matrix, scale: Double) {
        let n = x.rows, m = y.rows, d = x.columns
        let xx = (0..<n).map { i in (0..<d).reduce(0.0) { $0 + x[i, $1] * x[i, $1] } }
        let yy = (0..<m).map { j in (0..<d).reduce(0.0) { $0 + y[j, $1] * y[j, $1] } }
        x.elements.withUnsafeBufferPointer { a in
            y.elements.withUnsafeBufferPointer { b in
                out.elements.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(transposeB: true, m: n, n: m, k: d, alpha: -2, a: a.baseAddress!, b: b.baseAddress!,
                              c: c.baseAddress!)
                }
            }
        }
        for i in 0..<n {
            for j in 0..<m { out.elements[i * m + j] = scale * max(0, out.elements[i * m + j] + xx[i] + yy[j]) }
        }
    }
}
