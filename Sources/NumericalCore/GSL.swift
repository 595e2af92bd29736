@preconcurrency import CGSL

/// The one file of NumericalCore that talks to GSL. Public types (``Matrix``,
/// ``ODEIntegrator``, ``Quadrature``, ``SpecialFunctions``) call through here.
///
/// GSL's default error handler aborts the process; it is switched off on first use and
/// every status code is turned into a Swift error.
enum GSL {
    /// Switches GSL's abort-on-error handler off (idempotent, thread-safe by `static let`).
    static let errorHandlerOff: Void = { _ = gsl_set_error_handler_off() }()

    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let context: String
        var description: String { "\(context) failed: \(String(cString: gsl_strerror(status)))" }
    }

    static func check(_ status: Int32, _ context: @autoclosure () -> String) throws {
        if status != Int32(GSL_SUCCESS) { throw Failure(status: status, context: context()) }
    }

    /// Runs `body` with a GSL matrix view of a row-major `[rows, cols]` buffer (copy-in, copy-out).
    static func withMatrix<R>(_ values: inout [Double], rows: Int, cols: Int,
                              _ body: (UnsafeMutablePointer<gsl_matrix>) throws -> R) rethrows -> R {
        try values.withUnsafeMutableBufferPointer { buffer in
            var view = gsl_matrix_view_array(buffer.baseAddress, rows, cols)
            return try body(&view.matrix)
        }
    }

    // MARK: Dense linear algebra

    /// Symmetric eigen-decomposition of a row-major `[n, n]` matrix: ascending eigenvalues
    /// and the eigenvectors as the columns of a row-major `[n, n]` matrix.
    static func symmetricEigen(_ a: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        _ = errorHandlerOff
        var work = a
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * n)
        let ws = gsl_eigen_symmv_alloc(n)!
        defer { gsl_eigen_symmv_free(ws) }
        try values.withUnsafeMutableBufferPointer { vb in
            var vview = gsl_vector_view_array(vb.baseAddress, n)
            try withMatrix(&work, rows: n, cols: n) { m in
                try withMatrix(&vectors, rows: n, cols: n) { ev in
                    try check(gsl_eigen_symmv(m, &vview.vector, ev, ws), "symmetric eigen-decomposition")
                    try check(gsl_eigen_symmv_sort(&vview.vector, ev, GSL_EIGEN_SORT_VAL_ASC), "eigenvalue sort")
                }
            }
        }
        return (values, vectors)
    }

    /// Lower Cholesky factor L (row-major, upper triangle zeroed) with A = L Lᵀ.
    static func cholesky(_ a: [Double], n: Int) throws -> [Double] {
        _ = errorHandlerOff
        var work = a
        try withMatrix(&work, rows: n, cols: n) { m in
            try check(gsl_linalg_cholesky_decomp1(m), "Cholesky factorisation")
        }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { work[i * n + j] = 0 } }
        return work
    }

    /// LU solve of A X = B for a general `[n, n]` A and `[n, m]` B (row-major).
    static func luSolve(_ a: [Double], n: Int, rhs: [Double], columns m: Int) throws -> [Double] {
        _ = errorHandlerOff
        var lu = a
        var out = [Double](repeating: 0, count: n * m)
        let perm = gsl_permutation_alloc(n)!
        defer { gsl_permutation_free(perm) }
        var signum: Int32 = 0
        try withMatrix(&lu, rows: n, cols: n) { luMatrix in
            try check(gsl_linalg_LU_decomp(luMatrix, perm, &signum), "LU factorisation")
            if gsl_linalg_LU_det(luMatrix, signum) == 0 {
                throw Failure(status: Int32(GSL_ESING), context: "LU solve (singular matrix)")
            }
            var column = [Double](repeating: 0, count: n)
            var solution = [Double](repeating: 0, count: n)
            for j in 0..<m {
                for i in 0..<n { column[i] = rhs[i * m + j] }
                try column.withUnsafeMutableBufferPointer { cb in
                    try solution.withUnsafeMutableBufferPointer { sb in
                        var bv = gsl_vector_view_array(cb.baseAddress, n)
                        var xv = gsl_vector_view_array(sb.baseAddress, n)
                        try check(gsl_linalg_LU_solve(luMatrix, perm, &bv.vector, &xv.vector), "LU solve")
                    }
                }
                for i in 0..<n { out[i * m + j] = solution[i] }
            }
        }
        return out
    }

    // MARK: ODEs

    final class ODEContext {
        let rhs: (Double, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
        init(_ rhs: @escaping (Double, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) { self.rhs = rhs }
    }

    /// Integrates y' = f(t, y) from t0 to t1 with GSL's adaptive Runge–Kutta–Prince–Dormand (8, 9).
    static func integrateODE(dimension: Int, from t0: Double, to t1: Double, initial: [Double],
                             relativeTolerance: Double, absoluteTolerance: Double,
                             rhs: @escaping (Double, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) throws -> [Double] {
        _ = errorHandlerOff
        let context = ODEContext(rhs)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        var system = gsl_odeiv2_system(
            function: { t, y, dydt, params in
                let ctx = Unmanaged<ODEContext>.fromOpaque(params!).takeUnretainedValue()
                ctx.rhs(t, y!, dydt!)
                return Int32(GSL_SUCCESS)
            },
            jacobian: nil, dimension: dimension, params: unmanaged.toOpaque())
        let hstart = (t1 - t0) == 0 ? 1e-6 : 1e-6 * (t1 - t0)
        let driver = gsl_odeiv2_driver_alloc_y_new(&system, gsl_odeiv2_step_rk8pd, hstart,
                                                   absoluteTolerance, relativeTolerance)!
        defer { gsl_odeiv2_driver_free(driver) }
        var t = t0
        var y = initial
        try check(gsl_odeiv2_driver_apply(driver, &t, t1, &y), "ODE integration")
        return y
    }

    // MARK: Quadrature

    final class FunctionContext {
        let f: (Double) -> Double
        init(_ f: @escaping (Double) -> Double) { self.f = f }
    }

    /// ∫_a^b f with GSL's adaptive QAGS (finite interval) or QAGI/QAGIU/QAGIL (infinite ends).
    static func integrate(_ f: @escaping (Double) -> Double, from a: Double, to b: Double,
                          absoluteTolerance: Double, relativeTolerance: Double) throws -> (value: Double, error: Double) {
        _ = errorHandlerOff
        let context = FunctionContext(f)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        var function = gsl_function(
            function: { x, params in Unmanaged<FunctionContext>.fromOpaque(params!).takeUnretainedValue().f(x) },
            params: unmanaged.toOpaque())
        let limit = 1000
        let ws = gsl_integration_workspace_alloc(limit)!
        defer { gsl_integration_workspace_free(ws) }
        var result = 0.0, error = 0.0
        let status: Int32
        switch (a.isInfinite, b.isInfinite) {
        case (false, false):
            status = gsl_integration_qags(&function, a, b, absoluteTolerance, relativeTolerance, limit, ws, &result, &error)
        case (true, true):
            status = gsl_integration_qagi(&function, absoluteTolerance, relativeTolerance, limit, ws, &result, &error)
        case (false, true):
            status = gsl_integration_qagiu(&function, a, absoluteTolerance, relativeTolerance, limit, ws, &result, &error)
        case (true, false):
            status = gsl_integration_qagil(&function, b, absoluteTolerance, relativeTolerance, limit, ws, &result, &error)
        }
        try check(status, "adaptive quadrature on [\(a), \(b)]")
        return (result, error)
    }

    // MARK: Special functions

    static func normalCDF(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }
    static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }
    static func logGamma(_ x: Double) -> Double { gsl_sf_lngamma(x) }
}

extension GSL {
    /// Product through GSL's own BLAS interface (`gsl_blas_dgemm`), C = A·B for row-major
    /// `[n, n]` matrices; used to show that GSL's BLAS calls land in OpenBLAS.
    static func blasProduct(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
        var a = a, b = b
        var c = [Double](repeating: 0, count: n * n)
        withMatrix(&a, rows: n, cols: n) { ma in
            withMatrix(&b, rows: n, cols: n) { mb in
                withMatrix(&c, rows: n, cols: n) { mc in
                    _ = gsl_blas_dgemm(BLAS.noTranspose, BLAS.noTranspose, 1, ma, mb, 0, mc)
                }
            }
        }
        return c
    }
}
