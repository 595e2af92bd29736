import NumericalCore

/// Reductions along axes. Primitives: ``sum(alongAxis:keepingDimension:)``,
/// ``max(alongAxis:keepingDimension:)`` and ``broadcasted(to:)`` (the adjoint of a sum);
/// the rest is derived.
extension Tensor {
    /// Σ over one axis. Shape: the axis removed (or kept with extent 1).
    /// Pullback: ḡ broadcast back along the axis.
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let x = self
        let axis = normalizedAxis(axis)
        var kept = shape
        kept[axis] = 1
        let reduced = sumKernel(x, axis: axis)
        let result = keepingDimension ? reduced : reduced.reshapedStorage(removingAxis: axis)
        return Tensor.record(result, from: x) { ḡ, _ in ḡ.reshaped(to: kept).broadcasted(to: x.shape) }
    }

    /// Σ over several axes (derived: one axis at a time, highest first).
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        var result = self
        for axis in Set(axes.map(normalizedAxis)).sorted(by: >) {
            result = result.sum(alongAxis: axis, keepingDimension: keepingDimensions)
        }
        return result
    }

    /// Σ of all elements, shape `[]`.
    public func sum() -> Tensor { reshaped(to: [scalarCount]).sum(alongAxis: 0) }

    /// Mean over one axis: Σ/n.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        sum(alongAxis: axis, keepingDimension: keepingDimension) * (1 / Scalar(shape[normalizedAxis(axis)]))
    }

    /// Mean over several axes.
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let count = Set(axes.map(normalizedAxis)).reduce(1) { $0 * shape[$1] }
        return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Scalar(count))
    }

    /// Mean of all elements, shape `[]`.
    public func mean() -> Tensor { sum() * (1 / Scalar(scalarCount)) }

    /// Maximum over one axis. Pullback: ḡ routed to the first position of the maximum
    /// (a constant one-hot mask, so the pullback is differentiable again).
    public func max(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let x = self
        let axis = normalizedAxis(axis)
        var kept = shape
        kept[axis] = 1
        precondition(shape[axis] > 0, "max(alongAxis: \(axis)) of an empty axis (shape \(shape))")
        let (reduced, mask) = maxKernel(x, axis: axis)
        let result = keepingDimension ? reduced : reduced.reshapedStorage(removingAxis: axis)
        return Tensor.record(result, from: x) { ḡ, _ in ḡ.reshaped(to: kept).broadcasted(to: x.shape) * mask }
    }

    /// This tensor stretched to `shape` by broadcasting. Pullback: ḡ unbroadcast.
    public func broadcasted(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let x = self
        precondition(Broadcasting.shape(shape, target) == target, "cannot broadcast \(shape) to \(target)")
        let result = broadcastCopy(x, to: target)
        return Tensor.record(result, from: x) { ḡ, _ in ḡ.unbroadcast(to: x.shape) }
    }

    /// A negative axis counts from the end (−1 is the last axis).
    func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "axis \(axis) out of range for shape \(shape)")
        return a
    }

    /// The same storage with an axis of extent 1 removed (not recorded).
    func reshapedStorage(removingAxis axis: Int) -> Tensor {
        var s = shape
        s.remove(at: axis)
        return Tensor(shape: s, storage: storage)
    }
}

/// Extents of `shape` before, along and after `axis`: the tensor read as `[outer, n, inner]`.
func splitShape(_ shape: [Int], at axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

/// Σ over `axis`, keeping it with extent 1.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func sumKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, axis: Int) -> Tensor<Scalar> {
    var kept = x.shape
    kept[axis] = 1
    let out = Tensor<Scalar>(uninitializedShape: kept)
    let (outer, n, inner) = splitShape(x.shape, at: axis)
    let px = x.storage.base, po = out.storage.base
    Parallel.forEachChunk(count: outer, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(1, n * inner))) { r in
        for o in r {
            let row = px + o * n * inner, dst = po + o * inner
            if inner == 1 {
                dst[0] = laneSum(row, n) { $0 }   // eight partial sums, so the reduction vectorises
            } else {
                for i in 0..<inner { dst[i] = 0 }
                for j in 0..<n {
                    let src = row + j * inner
                    for i in 0..<inner { dst[i] += src[i] }
                }
            }
        }
    }
    return out
}

/// Max over `axis` (kept with extent 1) and the one-hot mask of the first maximiser.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func maxKernel<Scalar: TensorScalar>(_ x: Tensor<Scalar>, axis: Int) -> (Tensor<Scalar>, Tensor<Scalar>) {
    var kept = x.shape
    kept[axis] = 1
    let out = Tensor<Scalar>(uninitializedShape: kept)
    let mask = Tensor<Scalar>(repeating: 0, shape: x.shape)
    let (outer, n, inner) = splitShape(x.shape, at: axis)
    let px = x.storage.base, po = out.storage.base, pm = mask.storage.base
    for o in 0..<outer {
        for i in 0..<inner {
            var best = px[o * n * inner + i], bestIndex = 0
            for j in 1..<Swift.max(1, n) where px[(o * n + j) * inner + i] > best {
                best = px[(o * n + j) * inner + i]
                bestIndex = j
            }
            po[o * inner + i] = best
            pm[(o * n + bestIndex) * inner + i] = 1
        }
    }
    return (out, mask)
}
