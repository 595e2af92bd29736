import NumericalCore

/// Data parallelism over the rows (axis 0) of a batch: one shard of rows per core, each
/// shard on its own thread with its own tape and a one-thread BLAS
/// (``Parallel/shards(count:shards:_:)``).
///
/// For the small networks of the toy flows (matrices of a few hundred rows by 128
/// columns) this beats splitting every matrix product and elementwise loop over the
/// cores: a core runs its shard's whole forward and backward pass without waiting for
/// the other, instead of synchronising twice per operation.
///
/// Results equal the serial computation up to floating-point rounding (the order of the
/// batch sums differs). Inside a recording tape (a higher-order gradient) the work runs
/// serially on the calling thread, recorded as usual.
public enum DataParallel {
    /// The value and gradient of a loss that is a **mean over the rows** of a batch of
    /// `batchSize` rows, computed shard by shard.
    ///
    /// `body(rows, inputs)` must return the loss of the rows `rows` alone, as a mean over
    /// those rows (for example `(v(y.rowSlice(rows)) …).mean()`); then
    ///
    ///   L = Σ_s (|rows_s| / batchSize) · L_s,   ∇L = Σ_s (|rows_s| / batchSize) · ∇L_s,
    ///
    /// which is the full-batch mean. Losses that couple rows (batch statistics, MMD
    /// between rows) are not row-separable and must use ``valueWithGradient(at:of:)``.
    /// Gradients have the shapes of `inputs`.
    public static func valueWithGradient<Scalar: TensorScalar>(
        at inputs: [Tensor<Scalar>], batchSize: Int, shards: Int = Parallel.coreCount,
        of body: (_ rows: Range<Int>, _ inputs: [Tensor<Scalar>]) -> Tensor<Scalar>
    ) -> (value: Tensor<Scalar>, gradients: [Tensor<Scalar>]) {
        precondition(batchSize > 0, "DataParallel.valueWithGradient needs a non-empty batch")
        if Tape<Scalar>.recording != nil {
            return Autodiff.valueWithGradient(at: inputs) { body(0..<batchSize, $0) }
        }
        let parts = Parallel.shards(count: batchSize, shards: shards) { _, rows in
            (rows.count, Autodiff.valueWithGradient(at: inputs) { body(rows, $0) })
        }
        guard parts.count > 1 else { return parts[0].1 }
        let weights = parts.map { Scalar($0.0) / Scalar(batchSize) }
        let value = weightedSum(parts.map(\.1.value), weights)
        var gradients = [Tensor<Scalar>?](repeating: nil, count: inputs.count)
        // One pass per input over all shards' gradients, inputs spread over the cores.
        gradients.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            Parallel.forEachChunk(count: inputs.count, minimumChunk: 1) { range in
                for k in range { base[k] = weightedSum(parts.map { $0.1.gradients[k] }, weights) }
            }
        }
        return (value, gradients.map { $0! })
    }

    /// Σ_s w_s · t_s for tensors of one shape, in one pass (not recorded).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func weightedSum<Scalar: TensorScalar>(_ tensors: [Tensor<Scalar>], _ weights: [Scalar]) -> Tensor<Scalar> {
        let out = Tensor<Scalar>(uninitializedShape: tensors[0].shape)
        let n = out.scalarCount, po = out.storage.base
        let first = tensors[0].storage.base, w0 = weights[0]
        for i in 0..<n { po[i] = w0 * first[i] }
        for (t, w) in zip(tensors.dropFirst(), weights.dropFirst()) {
            precondition(t.shape == out.shape, "shard gradients of shapes \(t.shape) and \(out.shape)")
            let p = t.storage.base
            for i in 0..<n { po[i] += w * p[i] }
        }
        return out
    }

    /// `body` applied to shards of the rows `0..<count`, the results joined along axis 0:
    /// a network pass over a batch, one shard per core. `body(rows)` must return a tensor
    /// whose axis 0 has `rows.count` entries. Not differentiated across threads: inside a
    /// recording tape it runs as `body(0..<count)` on the calling thread.
    public static func mapRows<Scalar: TensorScalar>(
        _ count: Int, shards: Int = Parallel.coreCount,
        _ body: (_ rows: Range<Int>) -> Tensor<Scalar>
    ) -> Tensor<Scalar> {
        if Tape<Scalar>.recording != nil { return body(0..<count) }
        let parts = Parallel.shards(count: count, shards: shards) { _, rows in
            let part = body(rows)
            precondition(part.shape.first == rows.count,
                         "DataParallel.mapRows: a shard of \(rows.count) rows returned shape \(part.shape)")
            return part
        }
        return parts.count == 1 ? parts[0] : Tensor.concatenated(parts, alongAxis: 0)
    }
}

extension Tensor {
    /// Rows `rows` (indices along axis 0) as a new tensor: ``slice(alongAxis:range:)``
    /// on axis 0, differentiable like it.
    public func rowSlice(_ rows: Range<Int>) -> Tensor {
        rows == 0..<(shape.first ?? 0) ? self : slice(alongAxis: 0, range: rows)
    }
}
