/// Adaptive ODE integration y' = f(t, y) through GSL's `odeiv2` driver
/// (embedded Runge–Kutta–Prince–Dormand 8(9), error per step below
/// `absoluteTolerance + relativeTolerance·|y|`). An independent reference for closed forms.
public struct ODEIntegrator: Sendable {
    public var relativeTolerance: Double
    public var absoluteTolerance: Double

    public init(relativeTolerance: Double = 1e-12, absoluteTolerance: Double = 1e-14) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
    }

    /// y(t1) from y(t0) = `initial`; `derivative(t, y, dydt)` writes f(t, y) into `dydt`.
    public func integrate(from t0: Double, to t1: Double, initial: [Double],
                          derivative: @escaping (Double, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) throws -> [Double] {
        try GSL.integrateODE(dimension: initial.count, from: t0, to: t1, initial: initial,
                             relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance,
                             rhs: derivative)
    }
}

/// Adaptive quadrature ∫_a^b f(x) dx through GSL's QUADPACK routines (QAGS on finite
/// intervals, QAGI/QAGIU/QAGIL when an end is infinite).
public struct Quadrature: Sendable {
    public var absoluteTolerance: Double
    public var relativeTolerance: Double

    public init(absoluteTolerance: Double = 1e-12, relativeTolerance: Double = 1e-10) {
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
    }

    /// The integral and GSL's error estimate.
    public func integrate(from a: Double, to b: Double, _ f: @escaping (Double) -> Double) throws -> (value: Double, error: Double) {
        try GSL.integrate(f, from: a, to: b, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)
    }
}

/// Special functions from GSL.
public enum SpecialFunctions {
    /// Φ(x), the standard normal CDF.
    public static func normalCDF(_ x: Double) -> Double { GSL.normalCDF(x) }
    /// Φ⁻¹(p), the standard normal quantile.
    public static func normalQuantile(_ p: Double) -> Double { GSL.normalQuantile(p) }
    /// log Γ(x).
    public static func logGamma(_ x: Double) -> Double { GSL.logGamma(x) }
}
