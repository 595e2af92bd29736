/// Elementwise functions, each a primitive whose pullback (written with tensor
/// operations, hence differentiable again) sits beside its forward kernel.
extension Tensor {
    /// eˣ. Pullback ḡ·y.
    public func exp() -> Tensor {
        Tensor.record(applying(.exp), from: self) { ḡ, y in ḡ * y }
    }

    /// eˣ − 1, accurate near 0. Pullback ḡ·(y + 1).
    public func expm1() -> Tensor {
        Tensor.record(applying(.expm1), from: self) { ḡ, y in ḡ * (y + 1) }
    }

    /// Natural logarithm. Pullback ḡ/x.
    public func log() -> Tensor {
        let x = self
        return Tensor.record(applying(.log), from: x) { ḡ, _ in ḡ / x }
    }

    /// log(1 + x), accurate near 0. Pullback ḡ/(1 + x).
    public func log1p() -> Tensor {
        let x = self
        return Tensor.record(applying(.log1p), from: x) { ḡ, _ in ḡ / (x + 1) }
    }

    /// √x. Pullback ḡ/(2y).
    public func squareRoot() -> Tensor {
        Tensor.record(applying(.squareRoot), from: self) { ḡ, y in ḡ / (y * 2) }
    }

    /// xᵖ for a constant exponent p. Pullback ḡ·p·x^{p−1}.
    public func power(_ exponent: Scalar) -> Tensor {
        let x = self
        return Tensor.record(applying(.power(exponent)), from: x) { ḡ, _ in
            ḡ * (x.power(exponent - 1) * exponent)
        }
    }

    /// |x|. Pullback ḡ·sign(x) (0 at x = 0, as in PyTorch).
    public func absoluteValue() -> Tensor {
        let x = self
        return Tensor.record(applying(.absoluteValue), from: x) { ḡ, _ in ḡ * x.applying(.sign) }
    }

    /// sin x. Pullback ḡ·cos x.
    public func sin() -> Tensor {
        let x = self
        return Tensor.record(applying(.sin), from: x) { ḡ, _ in ḡ * x.cos() }
    }

    /// cos x. Pullback −ḡ·sin x.
    public func cos() -> Tensor {
        let x = self
        return Tensor.record(applying(.cos), from: x) { ḡ, _ in -(ḡ * x.sin()) }
    }

    /// min(max(x, lowerBound), upperBound) elementwise (either bound may be infinite).
    /// Pullback ḡ where the bound is not active (lower < x < upper), 0 elsewhere.
    public func clamped(lowerBound: Scalar = -.infinity, upperBound: Scalar = .infinity) -> Tensor {
        let x = self
        return Tensor.record(applying(.clamp(lowerBound, upperBound)), from: x) { ḡ, _ in
            ḡ * x.applying(.insideMask(lowerBound, upperBound))
        }
    }
}

/// Free-function spellings of the elementwise functions, for formulas.
public func exp<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.exp() }
public func expm1<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.expm1() }
public func log<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.log() }
public func log1p<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.log1p() }
public func sqrt<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.squareRoot() }
public func pow<Scalar>(_ x: Tensor<Scalar>, _ exponent: Scalar) -> Tensor<Scalar> { x.power(exponent) }
public func abs<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.absoluteValue() }
public func sin<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.sin() }
public func cos<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.cos() }
