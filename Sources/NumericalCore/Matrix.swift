import Foundation

/// A dense row-major matrix of Doubles, `[rows, columns]`.
///
/// Used both for small linear algebra (covariances, d ≤ a few dozen) and for point
/// clouds: a cloud of n points in ℝᵈ is a `Matrix` with `rows = n`, `columns = d`.
/// Products go through BLAS (``BLAS/gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``),
/// decompositions through GSL.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// Row-major storage: element (i, j) is `elements[i * columns + j]`.
    public var elements: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Double](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns,
                     "Matrix expects \(rows)×\(columns) = \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from nested rows; all rows must have the same length.
    public init(_ nested: [[Double]]) {
        let r = nested.count
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "Matrix rows must all have \(c) entries")
        self.init(rows: r, columns: c, elements: nested.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> Matrix { diagonal([Double](repeating: 1, count: n)) }

    public static func diagonal(_ values: [Double]) -> Matrix {
        var m = Matrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { m[i, i] = v }
        return m
    }

    /// A column vector `[n, 1]`.
    public static func column(_ values: [Double]) -> Matrix { Matrix(rows: values.count, columns: 1, elements: values) }

    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    public var isSquare: Bool { rows == columns }
    public var shape: [Int] { [rows, columns] }

    /// Row i as an array (length `columns`).
    public func row(_ i: Int) -> [Double] { Array(elements[(i * columns)..<((i + 1) * columns)]) }

    /// Column j as an array (length `rows`).
    public func column(_ j: Int) -> [Double] { (0..<rows).map { elements[$0 * columns + j] } }

    /// The rows as nested arrays (for printing and configs).
    public var nestedRows: [[Double]] { (0..<rows).map(row) }

    public var diagonalElements: [Double] { (0..<min(rows, columns)).map { self[$0, $0] } }

    public var trace: Double { diagonalElements.reduce(0, +) }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] } }
        return t
    }

    /// Frobenius norm √Σ aᵢⱼ².
    public var frobeniusNorm: Double { elements.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// Largest |aᵢⱼ|.
    public var maxAbs: Double { elements.reduce(0) { max($0, abs($1)) } }

    public var description: String {
        nestedRows.map { "[" + $0.map { String(format: "% .6g", $0) }.joined(separator: ", ") + "]" }
            .joined(separator: "\n")
    }
}

extension Matrix {
    /// The first `count` rows, `[count, columns]` (e.g. a sub-cloud of a point cloud).
    public func firstRows(_ count: Int) -> Matrix {
        precondition(count >= 0 && count <= rows, "firstRows: \(count) rows requested of \(rows)")
        return Matrix(rows: count, columns: columns, elements: Array(elements[0..<(count * columns)]))
    }
}
