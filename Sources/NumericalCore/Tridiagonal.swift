/// Tridiagonal linear systems by the Thomas algorithm (Gaussian elimination without
/// pivoting), O(n) time, no allocation beyond a caller-provided scratch buffer.
///
/// Stable without pivoting for symmetric positive definite and for diagonally dominant
/// (M-matrix) systems, the two cases the exact flow solvers produce. For an M-matrix and a
/// non-negative right-hand side every intermediate quantity is non-negative, so the
/// computed solution is non-negative in floating point too.
public enum Tridiagonal {
    /// Solves A x = r for the symmetric tridiagonal A with `diagonal` dᵢ (length n) and
    /// `offDiagonal` eᵢ = A[i, i+1] = A[i+1, i] (length n − 1 used).
    ///
    /// - Parameters:
    ///   - rhs: r, length n; overwritten with the solution x.
    ///   - scratch: length n workspace.
    /// - Returns: `false` when a pivot is ≤ 0 (A is not positive definite); `rhs` is then garbage.
    @discardableResult
    public static func solveSymmetric(count n: Int,
                                      diagonal: UnsafePointer<Double>,
                                      offDiagonal: UnsafePointer<Double>,
                                      rhs: UnsafeMutablePointer<Double>,
                                      scratch: UnsafeMutablePointer<Double>) -> Bool {
        solve(count: n, lower: offDiagonal - 1, diagonal: diagonal, upper: offDiagonal, rhs: rhs, scratch: scratch,
              requirePositivePivots: true)
    }

    /// Solves A x = r for a general tridiagonal A: `lower[i]` = A[i, i−1] (i = 1…n−1),
    /// `diagonal[i]` = A[i, i], `upper[i]` = A[i, i+1] (i = 0…n−2). Pointers are indexed
    /// by row, so `lower[0]` and `upper[n−1]` are never read.
    ///
    /// - Returns: `false` when a pivot vanishes (or is ≤ 0 with `requirePositivePivots`).
    @discardableResult
    public static func solve(count n: Int,
                             lower: UnsafePointer<Double>,
                             diagonal: UnsafePointer<Double>,
                             upper: UnsafePointer<Double>,
                             rhs: UnsafeMutablePointer<Double>,
                             scratch: UnsafeMutablePointer<Double>,
                             requirePositivePivots: Bool = false) -> Bool {
        guard n > 0 else { return true }
        var pivot = diagonal[0]
        if requirePositivePivots ? !(pivot > 0) : pivot == 0 || !pivot.isFinite { return false }
        rhs[0] /= pivot
        for i in 1..<n {
            scratch[i] = upper[i - 1] / pivot
            pivot = diagonal[i] - lower[i] * scratch[i]
            if requirePositivePivots ? !(pivot > 0) : pivot == 0 || !pivot.isFinite { return false }
            rhs[i] = (rhs[i] - lower[i] * rhs[i - 1]) / pivot
        }
        var i = n - 2
        while i >= 0 {
            rhs[i] -= scratch[i + 1] * rhs[i + 1]
            i -= 1
        }
        return true
    }
}
