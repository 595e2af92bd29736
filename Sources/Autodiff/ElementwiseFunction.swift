import NumericalCore

/// The scalar functions applied elementwise by the kernels, one loop each.
///
/// Kernels live in two specialised functions (``Tensor/applying(_:)`` forward,
/// ``Tensor/derivativeTimes(_:input:output:)`` for fused first-order pullbacks), so each
/// loop is compiled for `Float` and `Double` with direct arithmetic and vectorises.
enum ElementwiseFunction<Scalar: TensorScalar> {
    case negate, reciprocal, exp, expm1, log, log1p, squareRoot, absoluteValue
    /// sign(x) ∈ {−1, 0, 1}; a constant in differentiation.
    case sign
    /// 1 where x > 0, else 0; a constant in differentiation.
    case step
    /// 1 where x > 0, else the slope; a constant in differentiation.
    case leakySlope(Scalar)
    case power(Scalar)
    case tanh, sigmoid, softplus, silu, relu
    case leakyRelu(Scalar)
}

/// Logistic function σ(x) = 1/(1 + e^{−x}), overflow-safe for either sign of x.
@inline(__always)
func logistic<Scalar: TensorScalar>(_ x: Scalar) -> Scalar {
    // With e = e^{−|x|} ∈ (0, 1]: σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0
    // (no cancellation in either branch).
    let e = Scalar.fastExp(-Swift.abs(x))
    let d = 1 / (1 + e)
    return x >= 0 ? d : e * d
}

/// y = f(x) elementwise into new storage, split over cores when large.
@inline(__always)
func mapKernel<Scalar: TensorScalar>(
    _ x: Tensor<Scalar>, minimumChunk: Int, _ f: (Scalar) -> Scalar
) -> Tensor<Scalar> {
    let out = Tensor<Scalar>(uninitializedShape: x.shape)
    let px = x.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: x.scalarCount, minimumChunk: minimumChunk) { r in
        for i in r { po[i] = f(px[i]) }
    }
    return out
}

/// z = f(x, y) elementwise for two tensors of the same shape.
@inline(__always)
func zipKernel<Scalar: TensorScalar>(
    _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, minimumChunk: Int, _ f: (Scalar, Scalar) -> Scalar
) -> Tensor<Scalar> {
    precondition(x.shape == y.shape, "shapes \(x.shape) and \(y.shape) differ")
    let out = Tensor<Scalar>(uninitializedShape: x.shape)
    let px = x.storage.base, py = y.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: x.scalarCount, minimumChunk: minimumChunk) { r in
        for i in r { po[i] = f(px[i], py[i]) }
    }
    return out
}

/// w = f(x, y, z) elementwise for three tensors of the same shape.
@inline(__always)
func zip3Kernel<Scalar: TensorScalar>(
    _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ z: Tensor<Scalar>, minimumChunk: Int,
    _ f: (Scalar, Scalar, Scalar) -> Scalar
) -> Tensor<Scalar> {
    precondition(x.shape == y.shape && y.shape == z.shape, "shapes \(x.shape), \(y.shape), \(z.shape) differ")
    let out = Tensor<Scalar>(uninitializedShape: x.shape)
    let px = x.storage.base, py = y.storage.base, pz = z.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: x.scalarCount, minimumChunk: minimumChunk) { r in
        for i in r { po[i] = f(px[i], py[i], pz[i]) }
    }
    return out
}

extension Tensor {
    /// f(self) elementwise, not recorded (callers record with their pullback).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func applying(_ function: ElementwiseFunction<Scalar>) -> Tensor {
        let cheap = 1 << 15, costly = 1 << 12
        switch function {
        case .negate: return mapKernel(self, minimumChunk: cheap) { -$0 }
        case .reciprocal: return mapKernel(self, minimumChunk: cheap) { 1 / $0 }
        case .exp: return mapKernel(self, minimumChunk: costly) { Scalar.exp($0) }
        case .expm1: return mapKernel(self, minimumChunk: costly) { Scalar.expm1($0) }
        case .log: return mapKernel(self, minimumChunk: costly) { Scalar.log($0) }
        case .log1p: return mapKernel(self, minimumChunk: costly) { Scalar.log1p($0) }
        case .squareRoot: return mapKernel(self, minimumChunk: cheap) { $0.squareRoot() }
        case .absoluteValue: return mapKernel(self, minimumChunk: cheap) { Swift.abs($0) }
        case .sign: return mapKernel(self, minimumChunk: cheap) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        case .step: return mapKernel(self, minimumChunk: cheap) { $0 > 0 ? 1 : 0 }
        case .leakySlope(let slope): return mapKernel(self, minimumChunk: cheap) { $0 > 0 ? 1 : slope }
        case .power(let p): return mapKernel(self, minimumChunk: costly) { Scalar.pow($0, p) }
        case .tanh: return mapKernel(self, minimumChunk: costly) { Scalar.tanh($0) }
        case .sigmoid: return mapKernel(self, minimumChunk: costly) { logistic($0) }
        case .softplus:
            // log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}).
            return mapKernel(self, minimumChunk: costly) { Swift.max($0, 0) + Scalar.log1p(Scalar.exp(-Swift.abs($0))) }
        case .silu: return mapKernel(self, minimumChunk: costly) { $0 * logistic($0) }
        case .relu: return mapKernel(self, minimumChunk: cheap) { $0 > 0 ? $0 : 0 }
        case .leakyRelu(let slope): return mapKernel(self, minimumChunk: cheap) { $0 > 0 ? $0 : slope * $0 }
        }
    }

    /// ḡ · f′(x) for the activations with a fused first-order pullback (`self` is ḡ),
    /// given the forward input x and output y. Not recorded: pullbacks use it only
    /// when the sweep does not record.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func derivativeTimes(_ function: ElementwiseFunction<Scalar>, input x: Tensor, output y: Tensor) -> Tensor {
        let chunk = 1 << 14
        switch function {
        case .tanh: return zipKernel(self, y, minimumChunk: chunk) { g, y in g * (1 - y * y) }
        case .sigmoid: return zipKernel(self, y, minimumChunk: chunk) { g, y in g * (y * (1 - y)) }
        case .silu:
            // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x))).
            return zipKernel(self, x, minimumChunk: 1 << 12) { g, x in
                let s = logistic(x)
                return g * (s * (1 + x * (1 - s)))
            }
        case .relu: return zipKernel(self, x, minimumChunk: chunk) { g, x in x > 0 ? g : 0 }
        case .leakyRelu(let slope): return zipKernel(self, x, minimumChunk: chunk) { g, x in x > 0 ? g : slope * g }
        default: preconditionFailure("no fused derivative for \(function)")
        }
    }

    /// (x·σ(x), σ(x)) in one pass: SiLU's output and the logistic its pullback reuses.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func siluAndLogistic() -> (Tensor, Tensor) {
        let y = Tensor(uninitializedShape: shape), s = Tensor(uninitializedShape: shape)
        let px = storage.base, py = y.storage.base, ps = s.storage.base
        Parallel.forEachChunk(count: scalarCount, minimumChunk: 1 << 12) { r in
            for i in r {
                let σ = logistic(px[i])
                ps[i] = σ
                py[i] = px[i] * σ
            }
        }
        return (y, s)
    }

    /// ḡ · σ(x)(1 + x(1 − σ(x))) from a stored σ(x) (`self` is ḡ): SiLU's pullback
    /// without a second exponential.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func siluDerivativeTimes(input x: Tensor, logistic s: Tensor) -> Tensor {
        zip3Kernel(self, x, s, minimumChunk: 1 << 14) { g, x, s in g * (s * (1 + x * (1 - s))) }
    }
}
