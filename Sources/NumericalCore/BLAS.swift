import COpenBLAS

/// The one file of NumericalCore that talks to CBLAS (OpenBLAS).
///
/// All matrices are row-major and contiguous unless a leading dimension says otherwise;
/// C `Int32` strides stop here. Higher layers (Autodiff included) call these wrappers
/// instead of importing `COpenBLAS`.
public enum BLAS {
    /// `CblasNoTrans`, for the GSL wrappers that pass CBLAS flags (GSL.swift).
    static let noTranspose: CBLAS_TRANSPOSE = CblasNoTrans

    /// Number of threads OpenBLAS uses for level-3 calls.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// OpenBLAS build description (core type, threading model), for benchmark reports.
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c)
    }

    /// C[m, n] = alpha · op(A) · op(B) + beta · C, row-major, Double.
    ///
    /// `A` is `[m, k]` (or `[k, m]` when `transposeA`), `B` is `[k, n]` (or `[n, k]`).
    /// Leading dimensions default to the packed row lengths.
    @inlinable
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Double = 1, a: UnsafePointer<Double>, lda: Int? = nil,
        b: UnsafePointer<Double>, ldb: Int? = nil,
        beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int? = nil
    ) {
        dgemmRaw(transposeA, transposeB, m, n, k, alpha, a, lda ?? (transposeA ? m : k),
                 b, ldb ?? (transposeB ? k : n), beta, c, ldc ?? n)
    }

    /// C[m, n] = alpha · op(A) · op(B) + beta · C, row-major, Float (sgemm).
    @inlinable
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
        b: UnsafePointer<Float>, ldb: Int? = nil,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
    ) {
        sgemmRaw(transposeA, transposeB, m, n, k, alpha, a, lda ?? (transposeA ? m : k),
                 b, ldb ?? (transposeB ? k : n), beta, c, ldc ?? n)
    }

    @usableFromInline
    static func dgemmRaw(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                         _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                         _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @usableFromInline
    static func sgemmRaw(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                         _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                         _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y[m] = alpha · op(A) · x + beta · y, A row-major `[m, n]`, Double.
    public static func gemv(transpose: Bool = false, m: Int, n: Int, alpha: Double = 1,
                            a: UnsafePointer<Double>, x: UnsafePointer<Double>,
                            beta: Double = 0, y: UnsafeMutablePointer<Double>) {
        guard m > 0, n > 0 else { return }
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n),
                    alpha, a, Int32(n), x, 1, beta, y, 1)
    }

    /// Σᵢ xᵢ yᵢ over `count` contiguous Doubles.
    public static func dot(count: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(Int32(count), x, 1, y, 1)
    }

    /// y ← alpha · x + y over `count` contiguous Doubles.
    public static func axpy(count: Int, alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
    }

    /// Σᵢ xᵢ yᵢ over `count` contiguous Floats.
    public static func dot(count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(count), x, 1, y, 1)
    }

    /// y ← alpha · x + y over `count` contiguous Floats.
    public static func axpy(count: Int, alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }
}
