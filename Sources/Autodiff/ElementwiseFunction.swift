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
    case tanh, sigmoid, softplus, silu, relu, sin, cos
    /// SiLU′(x) = σ(x)(1 + x(1 − σ(x))).
    case siluDerivative
    /// min(max(x, lower), upper).
    case clamp(Scalar, Scalar)
    /// 1 where lower < x < upper, else 0; a constant in differentiation.
    case insideMask(Scalar, Scalar)
    case leakyRelu(Scalar)
}

/// Smallest work per thread for the parallel loops: splitting costs a few microseconds
/// of dispatch, so loops over fewer elements run on the calling thread.
enum KernelChunk {
    /// Elements per chunk for loops of a few flops per element (memory-bound).
    static let cheap = 1 << 17
    /// Elements per chunk for loops with an exponential or a division per element.
    static let costly = 1 << 14
}

/// Logistic function σ(x) = 1/(1 + e^{−x}). Accurate for either sign: for x ≪ 0 the
/// denominator is large and the quotient keeps full relative precision (fastExp clamps
/// its argument, so nothing overflows to infinity); for x ≫ 0 it rounds to 1.
@inline(__always)
func logistic<Scalar: TensorScalar>(_ x: Scalar) -> Scalar {
    1 / (1 + Scalar.fastExp(-x))
}

// The helpers below take a closure that runs a whole chunk's loop, never one element:
// the closure is compiled inside the specialised caller, so the element arithmetic is
// inlined and the loop vectorises (a per-element closure would be an indirect call).

/// y = f(x) elementwise into new storage; `loop(x, y, range)` fills `range`.
@inline(__always)
func mapKernel<Scalar: TensorScalar>(
    _ x: Tensor<Scalar>, minimumChunk: Int,
    _ loop: (UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, Range<Int>) -> Void
) -> Tensor<Scalar> {
    let out = Tensor<Scalar>(uninitializedShape: x.shape)
    let px = UnsafePointer(x.storage.base), po = out.storage.base
    Parallel.forEachChunk(count: x.scalarCount, minimumChunk: minimumChunk) { r in loop(px, po, r) }
    return out
}

/// z = f(x, y) elementwise for two tensors of the same shape; `loop(x, y, z, range)`.
@inline(__always)
func zipKernel<Scalar: TensorScalar>(
    _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, minimumChunk: Int,
    _ loop: (UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, Range<Int>) -> Void
) -> Tensor<Scalar> {
    precondition(x.shape == y.shape, "shapes \(x.shape) and \(y.shape) differ")
    let out = Tensor<Scalar>(uninitializedShape: x.shape)
    let px = UnsafePointer(x.storage.base), py = UnsafePointer(y.storage.base), po = out.storage.base
    Parallel.forEachChunk(count: x.scalarCount, minimumChunk: minimumChunk) { r in loop(px, py, po, r) }
    return out
}

extension Tensor {
    /// f(self) elementwise, not recorded (callers record with their pullback).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func applying(_ function: ElementwiseFunction<Scalar>) -> Tensor {
        let cheap = KernelChunk.cheap, costly = KernelChunk.costly
        switch function {
        case .negate: return mapKernel(self, minimumChunk: cheap) { x, y, r in for i in r { y[i] = -x[i] } }
        case .reciprocal: return mapKernel(self, minimumChunk: cheap) { x, y, r in for i in r { y[i] = 1 / x[i] } }
        case .exp: return mapKernel(self, minimumChunk: costly) { x, y, r in for i in r { y[i] = Scalar.exp(x[i]) } }
        case .expm1:
            return mapKernel(self, minimumChunk: costly) { x, y, r in
                for i in r { y[i] = Scalar.expm1(x[i]) }
            }
        case .log: return mapKernel(self, minimumChunk: costly) { x, y, r in for i in r { y[i] = Scalar.log(x[i]) } }
        case .log1p:
            return mapKernel(self, minimumChunk: costly) { x, y, r in
                for i in r { y[i] = Scalar.log1p(x[i]) }
            }
        case .squareRoot:
            return mapKernel(self, minimumChunk: cheap) { x, y, r in
                for i in r { y[i] = x[i].squareRoot() }
            }
        case .absoluteValue:
            return mapKernel(self, minimumChunk: cheap) { x, y, r in
                for i in r { y[i] = Swift.abs(x[i]) }
            }
        case .sign:
            return mapKernel(self, minimumChunk: cheap) { x, y, r in
                for i in r { y[i] = x[i] > 0 ? 1 : (x[i] < 0 ? -1 : 0) }
            }
        case .step: return mapKernel(self, minimumChunk: cheap) { x, y, r in for i in r { y[i] = x[i] > 0 ? 1 : 0 } }
        case .leakySlope(let slope):
            return mapKernel(self, minimumChunk: cheap) { x, y, r in
                for i in r { y[i] = x[i] > 0 ? 1 : slope }
            }
        case .power(let p):
            return mapKernel(self, minimumChunk: costly) { x, y, r in
                for i in r { y[i] = Scalar.pow(x[i], p) }
            }
        case .tanh:
            return mapKernel(self, minimumChunk: costly) { x, y, r in
                for i in r { y[i] = Scalar.tanh(x[i]) }
            }
        case .sigmoid:
            return mapKernel(self, minimumChunk: costly) { x, y, r in
                for i in r { y[i] = logistic(x[i]) }
            }
        case .softplus:
            // log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}).
            return mapKernel(self, minimumChunk: costly) { x, y, r in
                for i in r { y[i] = Swift.max(x[i], 0) + Scalar.log1p(Scalar.exp(-Swift.abs(x[i]))) }
            }
        case .silu:
            return mapKernel(self, minimumChunk: costly) { x, y, r in
                for i in r { y[i] = x[i] * logistic(x[i]) }
            }
        case .sin: return mapKernel(self, minimumChunk: costly) { x, y, r in for i in r { y[i] = Scalar.sin(x[i]) } }
        case .cos: return mapKernel(self, minimumChunk: costly) { x, y, r in for i in r { y[i] = Scalar.cos(x[i]) } }
        case .clamp(let lower, let upper):
            return mapKernel(self, minimumChunk: cheap) { x, y, r in
                for i in r { y[i] = x[i] < lower ? lower : (x[i] > upper ? upper : x[i]) }
            }
        case .insideMask(let lower, let upper):
            return mapKernel(self, minimumChunk: cheap) { x, y, r in
                for i in r { y[i] = x[i] > lower && x[i] < upper ? 1 : 0 }
            }
        case .siluDerivative:
            return mapKernel(self, minimumChunk: costly) { x, y, r in
                for i in r {
                    let s = logistic(x[i])
                    y[i] = s * (1 + x[i] * (1 - s))
                }
            }
        case .relu:
            return mapKernel(self, minimumChunk: cheap) { x, y, r in
                for i in r { y[i] = x[i] > 0 ? x[i] : 0 }
            }
        case .leakyRelu(let slope):
            return mapKernel(self, minimumChunk: cheap) { x, y, r in
                for i in r { y[i] = x[i] > 0 ? x[i] : slope * x[i] }
            }
        }
    }

    /// ḡ · f′(x) for the activations with a fused first-order pullback (`self` is ḡ),
    /// given the forward input x and output y. Not recorded: pullbacks use it only
    /// when the sweep does not record.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func derivativeTimes(_ function: ElementwiseFunction<Scalar>, input x: Tensor, output y: Tensor) -> Tensor {
        let chunk = KernelChunk.cheap
        switch function {
        case .tanh:
            return zipKernel(self, y, minimumChunk: chunk) { g, y, d, r in
                for i in r { d[i] = g[i] * (1 - y[i] * y[i]) }
            }
        case .sigmoid:
            return zipKernel(self, y, minimumChunk: chunk) { g, y, d, r in
                for i in r { d[i] = g[i] * (y[i] * (1 - y[i])) }
            }
        case .silu:
            // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x))).
            return zipKernel(self, x, minimumChunk: KernelChunk.costly) { g, x, d, r in
                for i in r {
                    let s = logistic(x[i])
                    d[i] = g[i] * (s * (1 + x[i] * (1 - s)))
                }
            }
        case .siluDerivative:
            // SiLU″(x) = σ(1 − σ)(2 + x(1 − 2σ)).
            return zipKernel(self, x, minimumChunk: KernelChunk.costly) { g, x, d, r in
                for i in r {
                    let s = logistic(x[i])
                    d[i] = g[i] * (s * (1 - s) * (2 + x[i] * (1 - 2 * s)))
                }
            }
        case .relu:
            return zipKernel(self, x, minimumChunk: chunk) { g, x, d, r in for i in r { d[i] = x[i] > 0 ? g[i] : 0 } }
        case .leakyRelu(let slope):
            return zipKernel(self, x, minimumChunk: chunk) { g, x, d, r in
                for i in r { d[i] = x[i] > 0 ? g[i] : slope * g[i] }
            }
        default: preconditionFailure("no fused derivative for \(function)")
        }
    }

    /// (x·σ(x), σ(x)) in one pass: SiLU's output and the logistic its pullback reuses.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func siluAndLogistic() -> (Tensor, Tensor) {
        let y = Tensor(uninitializedShape: shape), s = Tensor(uninitializedShape: shape)
        let px = storage.base, py = y.storage.base, ps = s.storage.base
        Parallel.forEachChunk(count: scalarCount, minimumChunk: KernelChunk.costly) { r in
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
        precondition(shape == x.shape && x.shape == s.shape, "silu pullback: shapes \(shape), \(x.shape), \(s.shape) differ")
        let out = Tensor(uninitializedShape: shape)
        let pg = storage.base, px = x.storage.base, ps = s.storage.base, po = out.storage.base
        Parallel.forEachChunk(count: scalarCount, minimumChunk: KernelChunk.cheap) { r in
            for i in r { po[i] = pg[i] * (ps[i] * (1 + px[i] * (1 - ps[i]))) }
        }
        return out
    }
}
