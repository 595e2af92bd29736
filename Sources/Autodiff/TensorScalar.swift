import Foundation
import NumericalCore

/// The element types a ``Tensor`` can hold: `Float` (training) and `Double` (gradient checks).
///
/// The requirements are the scalar functions the kernels need, so that generic kernels
/// specialise to direct `libm` calls, and the one BLAS routine (`gemm`) behind every
/// matrix product and convolution.
public protocol TensorScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable where RawSignificand: FixedWidthInteger {
    static func exp(_ x: Self) -> Self
    static func expm1(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    /// eˣ by a branch-free formula that vectorises inside kernels (Float: Cephes'
    /// polynomial, ≈ 1 ulp; Double: libm).
    static func fastExp(_ x: Self) -> Self

    /// C[m, n] = alpha · op(A) · op(B) + beta · C, row-major (``BLAS/gemm``).
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Float: TensorScalar {
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func expm1(_ x: Float) -> Float { Foundation.expm1(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    @inlinable public static func sin(_ x: Float) -> Float { Foundation.sin(x) }
    @inlinable public static func cos(_ x: Float) -> Float { Foundation.cos(x) }
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }

    /// eˣ = 2ⁿ·e^r with n = round(x·log₂e), r = x − n·ln 2 (two-part ln 2, Cody–Waite),
    /// e^r by Cephes' degree-7 polynomial (|r| ≤ ½ln 2, relative error ≈ 1e-7).
    /// Inputs are clamped to [−87.3, 88.3]; NaN stays NaN. Integer steps use wrapping
    /// bit operations (no trapping conversions), so the loop vectorises.
    @inlinable @inline(__always) public static func fastExp(_ x: Float) -> Float {
        let clamped = x < -87.3 ? -87.3 : (x > 88.3 ? 88.3 : x)
        // Adding 1.5·2²³ rounds to an integer held in the low mantissa bits.
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_40e-4
        var p: Float = 1.987_569_150_0e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let er = p * (r * r) + r + 1
        let exponent = (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23
        return er * Float(bitPattern: exponent)
    }

    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                  alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

extension Double: TensorScalar {
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func expm1(_ x: Double) -> Double { Foundation.expm1(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inlinable public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
    @inlinable public static func fastExp(_ x: Double) -> Double { Foundation.exp(x) }

    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Double, a: UnsafePointer<Double>, lda: Int,
                            b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                  alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
