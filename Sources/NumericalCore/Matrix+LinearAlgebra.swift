import Foundation

/// Errors of dense linear algebra, with the sentence a user sees.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    case notSquare(rows: Int, columns: Int)
    case notSymmetric(asymmetry: Double)
    case notPositiveDefinite(smallestEigenvalue: Double)
    case singular
    case decompositionFailed(String)

    public var description: String {
        switch self {
        case let .notSquare(r, c): return "the matrix is \(r)×\(c), but a square matrix is required"
        case let .notSymmetric(a): return "the matrix is not symmetric (relative asymmetry \(a))"
        case let .notPositiveDefinite(e): return "the matrix is not positive definite (smallest eigenvalue \(e))"
        case .singular: return "the matrix is singular"
        case let .decompositionFailed(s): return s
        }
    }
}

/// Eigen-decomposition A = Q diag(λ) Qᵀ of a symmetric matrix, λ ascending.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues, ascending.
    public let values: [Double]
    /// Orthonormal eigenvectors as columns, `[n, n]`.
    public let vectors: Matrix

    /// Q diag(f(λ)) Qᵀ: the matrix function f(A) (f(A) is symmetric; exact for any f).
    public func apply(_ f: (Double) -> Double) -> Matrix {
        let n = values.count
        var scaled = vectors
        for i in 0..<n { for j in 0..<n { scaled[i, j] *= f(values[j]) } }
        return (scaled * vectors.transposed).symmetrized
    }
}

extension Matrix {
    /// Tolerance (relative) under which a matrix counts as symmetric.
    public static let symmetryTolerance = 1e-10

    /// Symmetric eigen-decomposition through GSL (`gsl_eigen_symmv`), O(n³).
    public func symmetricEigen() throws -> SymmetricEigen {
        guard isSquare else { throw LinearAlgebraError.notSquare(rows: rows, columns: columns) }
        guard asymmetry <= Matrix.symmetryTolerance else { throw LinearAlgebraError.notSymmetric(asymmetry: asymmetry) }
        do {
            let (values, vectors) = try GSL.symmetricEigen(symmetrized.elements, n: rows)
            return SymmetricEigen(values: values, vectors: Matrix(rows: rows, columns: rows, elements: vectors))
        } catch {
            throw LinearAlgebraError.decompositionFailed("\(error)")
        }
    }

    /// Lower-triangular L with A = L Lᵀ; throws ``LinearAlgebraError/notPositiveDefinite(smallestEigenvalue:)``.
    public func cholesky() throws -> Matrix {
        guard isSquare else { throw LinearAlgebraError.notSquare(rows: rows, columns: columns) }
        guard asymmetry <= Matrix.symmetryTolerance else { throw LinearAlgebraError.notSymmetric(asymmetry: asymmetry) }
        do {
            return Matrix(rows: rows, columns: rows, elements: try GSL.cholesky(symmetrized.elements, n: rows))
        } catch {
            let smallest = (try? symmetricEigen().values.first) ?? .nan
            throw LinearAlgebraError.notPositiveDefinite(smallestEigenvalue: smallest)
        }
    }

    /// Checks symmetric positive definiteness; returns the smallest eigenvalue.
    @discardableResult
    public func validateSymmetricPositiveDefinite() throws -> Double {
        let eigen = try symmetricEigen()
        let smallest = eigen.values.first ?? 0
        guard smallest > 0 else { throw LinearAlgebraError.notPositiveDefinite(smallestEigenvalue: smallest) }
        return smallest
    }

    /// A⁻¹ for a general square matrix (LU through GSL).
    public func inverse() throws -> Matrix {
        try solve(Matrix.identity(rows))
    }

    /// X with A X = B (LU through GSL); B is `[n, m]`.
    public func solve(_ rhs: Matrix) throws -> Matrix {
        guard isSquare else { throw LinearAlgebraError.notSquare(rows: rows, columns: columns) }
        precondition(rhs.rows == rows, "solve: right-hand side has \(rhs.rows) rows, expected \(rows)")
        do {
            return Matrix(rows: rows, columns: rhs.columns,
                          elements: try GSL.luSolve(elements, n: rows, rhs: rhs.elements, columns: rhs.columns))
        } catch {
            throw LinearAlgebraError.singular
        }
    }

    /// log det A for a symmetric positive definite A (via Cholesky: 2 Σ log Lᵢᵢ).
    public func logDeterminantSPD() throws -> Double {
        let l = try cholesky()
        return 2 * l.diagonalElements.reduce(0) { $0 + log($1) }
    }

    /// f(A) for symmetric A via its eigen-decomposition, e.g. `{ exp(-t * $0) }` for e^{−tA}.
    public func symmetricFunction(_ f: (Double) -> Double) throws -> Matrix {
        try symmetricEigen().apply(f)
    }

    /// The symmetric square root A^{1/2} of a positive semi-definite A (tiny negative
    /// eigenvalues from round-off are clamped to 0).
    public func symmetricSquareRoot() throws -> Matrix {
        try symmetricFunction { max($0, 0).squareRoot() }
    }

    /// ‖AB − BA‖_F / (‖A‖_F ‖B‖_F): 0 when A and B commute.
    public func commutator(with other: Matrix) -> Double {
        let c = self * other - other * self
        return c.frobeniusNorm / max(frobeniusNorm * other.frobeniusNorm, .leastNormalMagnitude)
    }
}
