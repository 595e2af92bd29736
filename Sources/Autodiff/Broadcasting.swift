import NumericalCore

/// NumPy broadcasting: shapes are aligned at their trailing axes, and an axis of extent 1
/// (or a missing leading axis) stretches to the other operand's extent.
enum Broadcasting {
    /// The broadcast shape of `a` and `b`, or a precondition failure naming both shapes.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for k in 0..<rank {
            let da = k < rank - a.count ? 1 : a[k - (rank - a.count)]
            let db = k < rank - b.count ? 1 : b[k - (rank - b.count)]
            precondition(da == db || da == 1 || db == 1, "cannot broadcast shapes \(a) and \(b)")
            result[k] = da == 1 ? db : da
        }
        return result
    }

    /// Strides that read `shape` as if it had `target`'s shape: 0 on stretched axes.
    static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        let natural = contiguousStrides(shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { k in
            k < offset || shape[k - offset] == 1 ? 0 : natural[k - offset]
        }
    }

    /// Merges neighbouring axes that both operands traverse contiguously, so the inner
    /// loop runs as long as possible. Returns (extents, strides of a, strides of b).
    static func coalesce(_ shape: [Int], _ sa: [Int], _ sb: [Int]) -> ([Int], [Int], [Int]) {
        var extents: [Int] = [], stridesA: [Int] = [], stridesB: [Int] = []
        for k in shape.indices where shape[k] != 1 {
            if let last = extents.last,
               stridesA.last! == sa[k] * shape[k], stridesB.last! == sb[k] * shape[k] {
                extents[extents.count - 1] = last * shape[k]
                stridesA[stridesA.count - 1] = sa[k]
                stridesB[stridesB.count - 1] = sb[k]
            } else {
                extents.append(shape[k]); stridesA.append(sa[k]); stridesB.append(sb[k])
            }
        }
        if extents.isEmpty { return ([1], [0], [0]) }
        return (extents, stridesA, stridesB)
    }
}

/// A binary elementwise operation as a type, so that kernels specialise on it and the
/// arithmetic is inlined into their loops (a closure value would be called per element).
protocol BinaryOperation {
    static func apply<Scalar: TensorScalar>(_ a: Scalar, _ b: Scalar) -> Scalar
}

enum Addition: BinaryOperation {
    @inline(__always) static func apply<Scalar: TensorScalar>(_ a: Scalar, _ b: Scalar) -> Scalar { a + b }
}

enum Multiplication: BinaryOperation {
    @inline(__always) static func apply<Scalar: TensorScalar>(_ a: Scalar, _ b: Scalar) -> Scalar { a * b }
}

/// The first operand (a broadcast copy).
enum FirstOperand: BinaryOperation {
    @inline(__always) static func apply<Scalar: TensorScalar>(_ a: Scalar, _ b: Scalar) -> Scalar { a }
}

/// out = Op(a, b) elementwise with broadcasting; `out` has shape `shape`
/// (the broadcast shape of a and b).
///
/// Fast paths: equal shapes and one-element operands run one flat loop; otherwise the
/// coalesced innermost axis runs a unit- or zero-stride loop (which vectorises) and
/// the outer axes are walked with a multi-index. Large outputs are split over cores.
@inline(__always)
func broadcastKernel<Scalar: TensorScalar, Op: BinaryOperation>(
    _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, shape: [Int], _: Op.Type
) -> Tensor<Scalar> {
    let out = Tensor<Scalar>(uninitializedShape: shape)
    let pa = a.storage.base, pb = b.storage.base, po = out.storage.base
    let count = out.scalarCount
    let chunk = KernelChunk.cheap
    if a.scalarCount == count && b.scalarCount == count {
        Parallel.forEachChunk(count: count, minimumChunk: chunk) { r in
            for i in r { po[i] = Op.apply(pa[i], pb[i]) }
        }
        return out
    }
    if b.scalarCount == 1 && a.scalarCount == count {
        let s = pb[0]
        Parallel.forEachChunk(count: count, minimumChunk: chunk) { r in
            for i in r { po[i] = Op.apply(pa[i], s) }
        }
        return out
    }
    if a.scalarCount == 1 && b.scalarCount == count {
        let s = pa[0]
        Parallel.forEachChunk(count: count, minimumChunk: chunk) { r in
            for i in r { po[i] = Op.apply(s, pb[i]) }
        }
        return out
    }
    let (extents, sa, sb) = Broadcasting.coalesce(
        shape, Broadcasting.strides(of: a.shape, broadcastTo: shape), Broadcasting.strides(of: b.shape, broadcastTo: shape))
    let inner = extents.last!, ia = sa.last!, ib = sb.last!
    let rows = count / inner
    Parallel.forEachChunk(count: rows, minimumChunk: max(1, chunk / inner)) { r in
        for row in r {
            // Offsets of this row in a and b from its multi-index over the outer axes.
            var rest = row, oa = 0, ob = 0
            for k in stride(from: extents.count - 2, through: 0, by: -1) {
                let i = rest % extents[k]
                rest /= extents[k]
                oa += i * sa[k]; ob += i * sb[k]
            }
            let o = po + row * inner, x = pa + oa, y = pb + ob
            if ia == 1 && ib == 1 {
                for i in 0..<inner { o[i] = Op.apply(x[i], y[i]) }
            } else if ia == 1 {
                let s = y[0]
                for i in 0..<inner { o[i] = Op.apply(x[i], s) }
            } else if ib == 1 {
                let s = x[0]
                for i in 0..<inner { o[i] = Op.apply(s, y[i]) }
            } else {
                for i in 0..<inner { o[i] = Op.apply(x[i * ia], y[i * ib]) }
            }
        }
    }
    return out
}

extension Tensor {
    /// Undoes broadcasting: sums this adjoint over the axes that were stretched to
    /// reach `shape` (missing leading axes, and axes of extent 1 in `shape`). The one
    /// place where broadcasting is reversed; every broadcasting operation calls it.
    func unbroadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let offset = rank - target.count
        precondition(offset >= 0, "unbroadcast: \(shape) cannot come from \(target)")
        var result = self
        for axis in stride(from: rank - 1, through: 0, by: -1)
        where axis < offset || (target[axis - offset] == 1 && shape[axis] != 1) {
            result = result.sum(alongAxis: axis, keepingDimension: true)
        }
        return result.reshaped(to: target)
    }
}
