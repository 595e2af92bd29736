import NumericalCore

/// Broadcasting arithmetic. Primitives (with their pullbacks here): `+`, `*`, prefix `-`,
/// ``reciprocal()``. Derived: `a − b = a + (−b)`, `a / b = a · (1/b)`, and the forms with
/// a scalar operand, which broadcast a one-element tensor.
extension Tensor {
    /// a + b elementwise, broadcasting. ∂/∂a = ∂/∂b = ḡ, unbroadcast to each shape.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        record(add(a, b), from: a, b) { ḡ, _, needsA, needsB in
            (needsA ? ḡ.unbroadcast(to: a.shape) : nil, needsB ? ḡ.unbroadcast(to: b.shape) : nil)
        }
    }

    /// a · b elementwise, broadcasting. ā = ḡ·b, b̄ = ḡ·a (unbroadcast).
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        record(multiply(a, b), from: a, b) { ḡ, _, needsA, needsB in
            (needsA ? (ḡ * b).unbroadcast(to: a.shape) : nil, needsB ? (ḡ * a).unbroadcast(to: b.shape) : nil)
        }
    }

    /// −x. Pullback −ḡ.
    public static prefix func - (x: Tensor) -> Tensor {
        record(x.applying(.negate), from: x) { ḡ, _ in -ḡ }
    }

    /// 1/x elementwise. Pullback −ḡ·y².
    public func reciprocal() -> Tensor {
        Tensor.record(applying(.reciprocal), from: self) { ḡ, y in -(ḡ * y * y) }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor { a + (-b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a * b.reciprocal() }

    public static func + (a: Tensor, s: Scalar) -> Tensor { a + Tensor(s) }
    public static func + (s: Scalar, a: Tensor) -> Tensor { Tensor(s) + a }
    public static func - (a: Tensor, s: Scalar) -> Tensor { a + Tensor(-s) }
    public static func - (s: Scalar, a: Tensor) -> Tensor { Tensor(s) + (-a) }
    public static func * (a: Tensor, s: Scalar) -> Tensor { a * Tensor(s) }
    public static func * (s: Scalar, a: Tensor) -> Tensor { Tensor(s) * a }
    public static func / (a: Tensor, s: Scalar) -> Tensor { a * Tensor(1 / s) }
    public static func / (s: Scalar, a: Tensor) -> Tensor { Tensor(s) * a.reciprocal() }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }

    /// x² elementwise (derived: x · x, so the node is used twice).
    public func squared() -> Tensor { self * self }
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func add<Scalar: TensorScalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
    broadcastKernel(a, b, shape: Broadcasting.shape(a.shape, b.shape), Addition.self)
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func multiply<Scalar: TensorScalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
    broadcastKernel(a, b, shape: Broadcasting.shape(a.shape, b.shape), Multiplication.self)
}


/// `x` stretched to `shape` (a broadcast copy).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func broadcastCopy<Scalar: TensorScalar>(_ x: Tensor<Scalar>, to shape: [Int]) -> Tensor<Scalar> {
    broadcastKernel(x, x, shape: shape, FirstOperand.self)
}
