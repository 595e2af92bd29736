import Foundation
import NumericalCore

/// A potential V: ℝᵈ → ℝ that defines the Gibbs target ν ∝ e^{−V}, with V, ∇V and the
/// Hessian ∇²V in closed form.
///
/// Built for hot loops (particle JKO schemes call it 10⁴–10⁶ times per Newton iteration):
/// every requirement reads and writes through pointers and allocates nothing.
/// - Point-wise: `value(at:)`, `gradient(at:into:)`, `hessian(at:into:)` for one point of
///   length d; the Hessian is written row-major `[d, d]`.
/// - Batch: ``evaluate(count:points:values:gradients:hessians:)`` for `count` points
///   `[count, d]` row-major; outputs `values [count]`, `gradients [count, d]`,
///   `hessians [count, d, d]`, each optional. One call per sweep means one dynamic
///   dispatch per sweep even through `any Potential`.
/// - Scalar 1D: `value(_:)`, `derivative(_:)`, `secondDerivative(_:)` (d = 1 only).
///
/// Whether e^{−V} is integrable is not checked at construction (a potential is just a
/// function); solvers call ``checkConfinement()`` and refuse a non-confining potential.
public protocol Potential: Sendable {
    /// The dimension d of the space.
    var dimension: Int { get }

    /// V(x) for one point of length d.
    func value(at point: UnsafePointer<Double>) -> Double

    /// Writes ∇V(x) (length d) to `gradient` and returns V(x).
    @discardableResult
    func gradient(at point: UnsafePointer<Double>, into gradient: UnsafeMutablePointer<Double>) -> Double

    /// Writes ∇²V(x), row-major `[d, d]`, to `hessian`.
    func hessian(at point: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>)

    /// Batch evaluation over `count` points `[count, d]`; a `nil` output is skipped.
    func evaluate(count: Int, points: UnsafePointer<Double>,
                  values: UnsafeMutablePointer<Double>?,
                  gradients: UnsafeMutablePointer<Double>?,
                  hessians: UnsafeMutablePointer<Double>?)

    /// V(x), V′(x), V″(x) for d = 1.
    func value(_ x: Double) -> Double
    func derivative(_ x: Double) -> Double
    func secondDerivative(_ x: Double) -> Double

    /// log Z with Z = ∫ e^{−V}, when known in closed form (so that ∫ρ log ρ + ∫ρV + log Z
    /// is KL(ρ‖ν) exactly); `nil` otherwise.
    var logPartitionFunction: Double? { get }

    /// Throws ``PotentialError/notConfining(_:)`` when e^{−V} is not integrable, with a
    /// sentence that says why and what to change.
    func checkConfinement() throws
}

extension Potential {
    public func evaluate(count: Int, points: UnsafePointer<Double>,
                         values: UnsafeMutablePointer<Double>?,
                         gradients: UnsafeMutablePointer<Double>?,
                         hessians: UnsafeMutablePointer<Double>?) {
        let d = dimension
        for i in 0..<count {
            let p = points + i * d
            if let g = gradients {
                let v = gradient(at: p, into: g + i * d)
                values?[i] = v
            } else if let values {
                values[i] = value(at: p)
            }
            if let h = hessians { hessian(at: p, into: h + i * d * d) }
        }
    }

    public func value(_ x: Double) -> Double {
        precondition(dimension == 1, "value(_:) is the 1D entry point; this potential has dimension \(dimension)")
        return withUnsafePointer(to: x) { value(at: $0) }
    }

    public func derivative(_ x: Double) -> Double {
        precondition(dimension == 1, "derivative(_:) is the 1D entry point; this potential has dimension \(dimension)")
        var g = 0.0
        withUnsafePointer(to: x) { p in _ = gradient(at: p, into: &g) }
        return g
    }

    public func secondDerivative(_ x: Double) -> Double {
        precondition(dimension == 1, "secondDerivative(_:) is the 1D entry point; this potential has dimension \(dimension)")
        var h = 0.0
        withUnsafePointer(to: x) { p in hessian(at: p, into: &h) }
        return h
    }

    public var logPartitionFunction: Double? { nil }

    /// Default check (a numerical test, for potentials without a closed-form answer):
    /// V(x) − V(0) must exceed d·log|x| + 1 at |x| = 10², 10³, 10⁴ along ±eᵢ and the 2ᵈ
    /// diagonals (d ≤ 4). Growth like d·log|x| or slower makes e^{−V} non-integrable; the
    /// margin 1 accepts e.g. the Cauchy-like V = log(1 + |x|²) in 1D.
    public func checkConfinement() throws {
        let d = dimension
        let origin = [Double](repeating: 0, count: d)
        let v0 = value(origin)
        var directions = [[Double]]()
        for i in 0..<d {
            for s in [-1.0, 1.0] { var e = origin; e[i] = s; directions.append(e) }
        }
        if d <= 4 {
            for mask in 0..<(1 << d) {
                directions.append((0..<d).map { (mask >> $0) & 1 == 1 ? 1 / Double(d).squareRoot() : -1 / Double(d).squareRoot() })
            }
        }
        for r in [1e2, 1e3, 1e4] {
            for u in directions {
                let x = u.map { $0 * r }
                let growth = value(x) - v0
                let needed = Double(d) * Foundation.log(r) + 1
                guard growth.isFinite, growth > needed else {
                    throw PotentialError.notConfining(
                        "V grows by only \(growth) from the origin to the point \(x), not more than d·log|x| + 1 = \(needed); e^{-V} is not normalisable, so use a potential that grows at infinity (e.g. add a quadratic confinement)")
                }
            }
        }
    }

    // MARK: Array conveniences (allocate; not for hot loops)

    /// V(x) for a point of length d.
    public func value(_ point: [Double]) -> Double {
        precondition(point.count == dimension, "value: point has length \(point.count), expected \(dimension)")
        return point.withUnsafeBufferPointer { value(at: $0.baseAddress!) }
    }

    /// ∇V(x), length d.
    public func gradient(_ point: [Double]) -> [Double] {
        precondition(point.count == dimension, "gradient: point has length \(point.count), expected \(dimension)")
        var g = [Double](repeating: 0, count: dimension)
        point.withUnsafeBufferPointer { p in g.withUnsafeMutableBufferPointer { _ = gradient(at: p.baseAddress!, into: $0.baseAddress!) } }
        return g
    }

    /// ∇²V(x), `[d, d]`.
    public func hessian(_ point: [Double]) -> Matrix {
        precondition(point.count == dimension, "hessian: point has length \(point.count), expected \(dimension)")
        var h = [Double](repeating: 0, count: dimension * dimension)
        point.withUnsafeBufferPointer { p in h.withUnsafeMutableBufferPointer { hessian(at: p.baseAddress!, into: $0.baseAddress!) } }
        return Matrix(rows: dimension, columns: dimension, elements: h)
    }

    /// V at every row of a `[n, d]` cloud.
    public func values(_ points: Matrix) -> [Double] {
        precondition(points.columns == dimension, "values: points have \(points.columns) columns, expected \(dimension)")
        var out = [Double](repeating: 0, count: points.rows)
        points.elements.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                evaluate(count: points.rows, points: p.baseAddress!, values: o.baseAddress!, gradients: nil, hessians: nil)
            }
        }
        return out
    }
}

/// Errors in describing a potential, each a sentence naming the problem and the fix.
public enum PotentialError: Error, CustomStringConvertible, Equatable {
    /// e^{−V} is not integrable.
    case notConfining(String)
    /// A parameter is out of range (shape, sign, NaN).
    case invalidParameter(String)

    public var description: String {
        switch self {
        case let .notConfining(s), let .invalidParameter(s): return s
        }
    }
}
