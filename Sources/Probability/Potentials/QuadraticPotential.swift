import Foundation
import NumericalCore

/// The Ornstein–Uhlenbeck potential V(x) = ½(x − b)ᵀA(x − b), A symmetric.
///
/// ∇V = A(x − b), ∇²V = A. For A positive definite, e^{−V} ∝ N(b, A⁻¹) with
/// log Z = (d/2) log 2π − ½ log det A; otherwise the potential is not confining and
/// ``checkConfinement()`` says so. Cost per point O(d²), no allocation.
public struct QuadraticPotential: Potential, Equatable {
    /// The centre b, length d.
    public let center: [Double]
    /// A, `[d, d]` (symmetrised at construction).
    public let precision: Matrix
    /// The smallest eigenvalue of A (confining iff > 0).
    public let smallestEigenvalue: Double
    let logDeterminant: Double

    /// - Parameters:
    ///   - center: b, length d ≥ 1.
    ///   - precision: A, symmetric `[d, d]`; it need not be definite (see ``checkConfinement()``).
    public init(center: [Double], precision: Matrix) throws {
        let d = center.count
        guard d >= 1, precision.rows == d, precision.columns == d else {
            throw PotentialError.invalidParameter(
                "a quadratic potential needs a centre of length d ≥ 1 and a d×d matrix; got length \(d) and \(precision.rows)×\(precision.columns)")
        }
        guard center.allSatisfy(\.isFinite), precision.elements.allSatisfy(\.isFinite) else {
            throw PotentialError.invalidParameter("the quadratic potential's centre or matrix contains NaN or infinity")
        }
        guard precision.asymmetry <= Matrix.symmetryTolerance * max(1, precision.maxAbs) else {
            throw PotentialError.invalidParameter("the quadratic potential's matrix A is not symmetric; give a symmetric A")
        }
        let a = precision.symmetrized
        let eigen = try a.symmetricEigen()
        self.center = center
        self.precision = a
        self.smallestEigenvalue = eigen.values.first ?? 0
        self.logDeterminant = eigen.values.reduce(0) { $0 + Foundation.log(max($1, .leastNormalMagnitude)) }
    }

    /// The potential of a Gaussian target N(b, Σ): A = Σ⁻¹.
    public init(target: Gaussian) {
        // A Gaussian's precision is symmetric positive definite, so this cannot throw.
        try! self.init(center: target.mean, precision: target.precision)
    }

    /// The 1D potential V(x) = a(x − b)²/2.
    public init(center: Double, curvature: Double) throws {
        try self.init(center: [center], precision: Matrix([[curvature]]))
    }

    public var dimension: Int { center.count }

    /// The Gibbs target N(b, A⁻¹) (exact sampler); `nil` when A is not positive definite.
    public var gaussian: Gaussian? {
        guard smallestEigenvalue > 0 else { return nil }
        return try? Gaussian(mean: center, covariance: precision.inverse().symmetrized)
    }

    public var logPartitionFunction: Double? {
        guard smallestEigenvalue > 0 else { return nil }
        return 0.5 * Double(dimension) * Foundation.log(2 * Double.pi) - 0.5 * logDeterminant
    }

    public func checkConfinement() throws {
        guard smallestEigenvalue > 0 else {
            throw PotentialError.notConfining(
                "the quadratic potential ½(x−b)ᵀA(x−b) has a matrix A with smallest eigenvalue \(smallestEigenvalue) ≤ 0, so e^{-V} is not normalisable; use a positive definite A")
        }
    }

    public func value(at point: UnsafePointer<Double>) -> Double {
        let d = center.count
        if d == 1 { let r = point[0] - center[0]; return 0.5 * precision.elements[0] * r * r }
        var s = 0.0
        precision.elements.withUnsafeBufferPointer { a in
            for i in 0..<d {
                let ri = point[i] - center[i]
                var row = 0.0
                for j in 0..<d { row += a[i * d + j] * (point[j] - center[j]) }
                s += ri * row
            }
        }
        return 0.5 * s
    }

    @discardableResult
    public func gradient(at point: UnsafePointer<Double>, into gradient: UnsafeMutablePointer<Double>) -> Double {
        let d = center.count
        var s = 0.0
        precision.elements.withUnsafeBufferPointer { a in
            for i in 0..<d {
                var row = 0.0
                for j in 0..<d { row += a[i * d + j] * (point[j] - center[j]) }
                gradient[i] = row
                s += (point[i] - center[i]) * row
            }
        }
        return 0.5 * s
    }

    public func hessian(at point: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>) {
        for k in 0..<(center.count * center.count) { hessian[k] = precision.elements[k] }
    }

    public func evaluate(count: Int, points: UnsafePointer<Double>,
                         values: UnsafeMutablePointer<Double>?,
                         gradients: UnsafeMutablePointer<Double>?,
                         hessians: UnsafeMutablePointer<Double>?) {
        guard center.count == 1 else {
            for i in 0..<count {
                let p = points + i * dimension
                if let g = gradients { let v = gradient(at: p, into: g + i * dimension); values?[i] = v }
                else if let values { values[i] = value(at: p) }
                if let h = hessians { hessian(at: p, into: h + i * dimension * dimension) }
            }
            return
        }
        let a = precision.elements[0], b = center[0]
        for i in 0..<count {
            let r = points[i] - b
            values?[i] = 0.5 * a * r * r
            gradients?[i] = a * r
            hessians?[i] = a
        }
    }

    public func value(_ x: Double) -> Double { let r = x - center[0]; return 0.5 * precision.elements[0] * r * r }
    public func derivative(_ x: Double) -> Double { precision.elements[0] * (x - center[0]) }
    public func secondDerivative(_ x: Double) -> Double { precision.elements[0] }
}
