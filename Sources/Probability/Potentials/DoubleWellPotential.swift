import Foundation
import NumericalCore

/// The tilted double well V(x) = (|x|² − 1)²/4 + c·x₁ on ℝᵈ, tilt c ≥ 0.
///
/// ∇V = (|x|² − 1)x + c e₁, ∇²V = (|x|² − 1)I + 2xxᵀ. Minima near |x| = 1 (the two points
/// ±e₁ in 1D, a ring in 2D); the tilt lowers the well at x₁ < 0. Quartic growth makes it
/// confining for every c. log Z has no closed form; for d = 1, 2 it is computed once by
/// quadrature (``logPartitionFunction``), so that energies are true KL divergences.
public struct DoubleWellPotential: Potential, Equatable {
    public let dimension: Int
    /// c ≥ 0, the linear tilt along the first axis.
    public let tilt: Double
    /// log ∫e^{−V} for d = 1, 2 (relative error ≲ 1e-10), nil otherwise.
    public let logPartitionFunction: Double?

    public init(dimension: Int = 1, tilt: Double = 0) throws {
        guard dimension >= 1 else {
            throw PotentialError.invalidParameter("the double well needs dimension ≥ 1; got \(dimension)")
        }
        guard tilt >= 0, tilt.isFinite else {
            throw PotentialError.invalidParameter("the double-well tilt c = \(tilt) must be finite and ≥ 0 (mirror x₁ for the other sign)")
        }
        self.dimension = dimension
        self.tilt = tilt
        self.logPartitionFunction = DoubleWellPotential.logPartition(dimension: dimension, tilt: tilt)
    }

    /// d = 1: adaptive quadrature (GSL QAGI) of e^{−V} over ℝ. d = 2: in polar coordinates,
    /// Z = ∫₀^∞ r e^{−(r² − 1)²/4} ∫₀^{2π} e^{−c r cos θ} dθ dr; the inner periodic integral
    /// (2π I₀(cr)) by the 128-point trapezoidal rule, exact to rounding for c·r ≲ 30.
    static func logPartition(dimension: Int, tilt c: Double) -> Double? {
        let quadrature = Quadrature(absoluteTolerance: 0, relativeTolerance: 1e-11)
        switch dimension {
        case 1:
            let z = try? quadrature.integrate(from: -.infinity, to: .infinity) { x in
                let q = x * x - 1
                return Foundation.exp(-0.25 * q * q - c * x)
            }
            return z.map { Foundation.log($0.value) }
        case 2:
            let z = try? quadrature.integrate(from: 0, to: .infinity) { r in
                let q = r * r - 1
                var ring = 0.0
                for k in 0..<128 { ring += Foundation.exp(-c * r * Foundation.cos(2 * Double.pi * Double(k) / 128)) }
                return r * Foundation.exp(-0.25 * q * q) * ring * 2 * Double.pi / 128
            }
            return z.map { Foundation.log($0.value) }
        default:
            return nil
        }
    }

    public func checkConfinement() throws {}

    public func value(at point: UnsafePointer<Double>) -> Double {
        var r2 = 0.0
        for i in 0..<dimension { r2 += point[i] * point[i] }
        let q = r2 - 1
        return 0.25 * q * q + tilt * point[0]
    }

    @discardableResult
    public func gradient(at point: UnsafePointer<Double>, into gradient: UnsafeMutablePointer<Double>) -> Double {
        var r2 = 0.0
        for i in 0..<dimension { r2 += point[i] * point[i] }
        let q = r2 - 1
        for i in 0..<dimension { gradient[i] = q * point[i] }
        gradient[0] += tilt
        return 0.25 * q * q + tilt * point[0]
    }

    public func hessian(at point: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>) {
        let d = dimension
        var r2 = 0.0
        for i in 0..<d { r2 += point[i] * point[i] }
        for i in 0..<d {
            for j in 0..<d { hessian[i * d + j] = 2 * point[i] * point[j] + (i == j ? r2 - 1 : 0) }
        }
    }

    public func evaluate(count: Int, points: UnsafePointer<Double>,
                         values: UnsafeMutablePointer<Double>?,
                         gradients: UnsafeMutablePointer<Double>?,
                         hessians: UnsafeMutablePointer<Double>?) {
        guard dimension == 1 else {
            let d = dimension
            for i in 0..<count {
                let p = points + i * d
                if let g = gradients { let v = gradient(at: p, into: g + i * d); values?[i] = v }
                else if let values { values[i] = value(at: p) }
                if let h = hessians { hessian(at: p, into: h + i * d * d) }
            }
            return
        }
        let c = tilt
        for i in 0..<count {
            let x = points[i]
            let q = x * x - 1
            values?[i] = 0.25 * q * q + c * x
            gradients?[i] = q * x + c
            hessians?[i] = 3 * x * x - 1
        }
    }

    public func value(_ x: Double) -> Double { let q = x * x - 1; return 0.25 * q * q + tilt * x }
    public func derivative(_ x: Double) -> Double { (x * x - 1) * x + tilt }
    public func secondDerivative(_ x: Double) -> Double { 3 * x * x - 1 }
}
