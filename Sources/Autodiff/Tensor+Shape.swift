import NumericalCore

/// Shape operations. Primitives: ``reshaped(to:)`` (shares storage), ``permuted(_:)``,
/// ``slice(alongAxis:range:)`` and ``padded(alongAxis:before:after:)`` (adjoints of each
/// other), ``concatenated(_:alongAxis:)``. Derived: transpose, stack, axis insertion.
extension Tensor {
    /// The same elements read with another shape (one extent may be −1: inferred).
    /// Shares storage; pullback reshapes ḡ back.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var target = newShape
        if let unknown = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && scalarCount % known == 0, "cannot reshape \(shape) to \(newShape)")
            target[unknown] = scalarCount / known
        }
        precondition(target.reduce(1, *) == scalarCount, "cannot reshape \(shape) (\(scalarCount) scalars) to \(newShape)")
        if target == shape { return self }
        let x = self
        return Tensor.record(Tensor(shape: target, storage: storage), from: x) { ḡ, _ in ḡ.reshaped(to: x.shape) }
    }

    /// Axes reordered: result axis k is this tensor's axis `axes[k]`. Pullback: the
    /// inverse permutation.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "permutation \(axes) does not fit rank \(rank)")
        if axes == Array(0..<rank) { return self }
        var inverse = axes
        for (k, a) in axes.enumerated() { inverse[a] = k }
        return Tensor.record(permuteKernel(self, axes), from: self) { ḡ, _ in ḡ.permuted(inverse) }
    }

    /// The last two axes swapped (a matrix transpose; batched for rank > 2).
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed() needs rank ≥ 2, shape is \(shape)")
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return permuted(axes)
    }

    /// An axis of extent 1 inserted at `axis` (derived from reshape).
    public func expandingShape(at axis: Int) -> Tensor {
        var s = shape
        s.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshaped(to: s)
    }

    /// Indices `range` along `axis`. Pullback: ḡ zero-padded back to this shape.
    public func slice(alongAxis axis: Int, range: Range<Int>) -> Tensor {
        let axis = normalizedAxis(axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                     "slice \(range) out of bounds for axis \(axis) of shape \(shape)")
        let n = shape[axis]
        if range == 0..<n { return self }
        return Tensor.record(sliceKernel(self, axis: axis, range: range), from: self) { ḡ, _ in
            ḡ.padded(alongAxis: axis, before: range.lowerBound, after: n - range.upperBound)
        }
    }

    /// Zeros added along `axis`: `before` in front and `after` behind.
    /// Pullback: the slice of ḡ that this tensor occupies.
    public func padded(alongAxis axis: Int, before: Int, after: Int) -> Tensor {
        let axis = normalizedAxis(axis)
        if before == 0 && after == 0 { return self }
        let n = shape[axis]
        var target = shape
        target[axis] += before + after
        let out = Tensor(repeating: 0, shape: target)
        copyBlock(from: self, axis: axis, into: out, offset: before)
        return Tensor.record(out, from: self) { ḡ, _ in ḡ.slice(alongAxis: axis, range: before..<(before + n)) }
    }

    /// Tensors joined along `axis`; all other extents must agree.
    /// Pullback: the matching slice of ḡ for each operand.
    public static func concatenated(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenated needs at least one tensor")
        let axis = tensors[0].normalizedAxis(axis)
        var target = tensors[0].shape
        target[axis] = 0
        for t in tensors {
            var s = t.shape
            s[axis] = 0
            precondition(s == target, "cannot concatenate shapes \(tensors.map(\.shape)) along axis \(axis)")
        }
        target[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let out = Tensor(uninitializedShape: target)
        var offsets: [Int] = []
        var offset = 0
        for t in tensors {
            offsets.append(offset)
            copyBlock(from: t, axis: axis, into: out, offset: offset)
            offset += t.shape[axis]
        }
        return record(out, from: tensors) { ḡ, _, needs in
            tensors.indices.map { k in
                needs[k] ? ḡ.slice(alongAxis: axis, range: offsets[k]..<(offsets[k] + tensors[k].shape[axis])) : nil
            }
        }
    }

    /// Tensors of equal shape stacked along a new axis (derived: insert axis, concatenate).
    public static func stacked(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        concatenated(tensors.map { $0.expandingShape(at: axis) }, alongAxis: axis)
    }
}

/// Copies `x` into `out` along `axis` starting at index `offset` there (other extents equal).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func copyBlock<Scalar: TensorScalar>(from x: Tensor<Scalar>, axis: Int, into out: Tensor<Scalar>, offset: Int) {
    let (outer, n, inner) = splitShape(x.shape, at: axis)
    let m = out.shape[axis]
    let px = x.storage.base, po = out.storage.base
    for o in 0..<outer {
        (po + (o * m + offset) * inner).update(from: px + o * n * inner, count: n * inner)
    }
}

/// The block `range` of `x` along `axis`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func sliceKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, axis: Int, range: Range<Int>) -> Tensor<Scalar> {
    var target = x.shape
    target[axis] = range.count
    let out = Tensor<Scalar>(uninitializedShape: target)
    let (outer, n, inner) = splitShape(x.shape, at: axis)
    let px = x.storage.base, po = out.storage.base
    for o in 0..<outer {
        (po + o * range.count * inner).update(from: px + (o * n + range.lowerBound) * inner, count: range.count * inner)
    }
    return out
}

/// out[i₀…] = x[i_{axes⁻¹}…]: a strided gather, the innermost output axis in the inner loop.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func permuteKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, _ axes: [Int]) -> Tensor<Scalar> {
    let target = axes.map { x.shape[$0] }
    let out = Tensor<Scalar>(uninitializedShape: target)
    let sourceStrides = contiguousStrides(x.shape)
    let strides = axes.map { sourceStrides[$0] }
    let inner = target.last ?? 1, innerStride = strides.last ?? 1
    let rows = out.scalarCount / Swift.max(1, inner)
    let px = x.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, (1 << 14) / Swift.max(1, inner))) { r in
        for row in r {
            var rest = row, source = 0
            for k in stride(from: target.count - 2, through: 0, by: -1) {
                source += (rest % target[k]) * strides[k]
                rest /= target[k]
            }
            let dst = po + row * inner
            for i in 0..<inner { dst[i] = px[source + i * innerStride] }
        }
    }
    return out
}
