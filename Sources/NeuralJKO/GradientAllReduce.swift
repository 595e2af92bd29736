import Autodiff
import MessagePassing

/// The gradient exchange of data-parallel training across processes: every rank holds the
/// gradient of its slice of the global batch, weighted by the slice's share of the batch,
/// and one all-reduce sum over ONE flat buffer per network and iteration makes every rank
/// hold the gradient of the global-batch mean.
///
/// With the global batch of n rows split into slices S_r (|S_r| rows on rank r) and each
/// rank's loss L_r a mean over its slice, the global loss is
///
///   L = (1/n) Σ_i ℓ_i = Σ_r (|S_r|/n) · L_r,   so   ∇L = Σ_r (|S_r|/n) · ∇L_r,
///
/// the sum the all-reduce computes from the weighted per-rank gradients. The buffer is the
/// parameter gradients in parameter order, flattened row-major, then the weighted loss
/// (so the reported loss is the global mean as well): 4 · (parameters + 1) bytes.
public enum GradientAllReduce {
    /// Replaces `gradients` by Σ_r share_r · gradients_r and returns Σ_r share_r · loss_r.
    /// A single process returns its inputs unchanged (share must then be 1).
    public static func sum(_ gradients: inout [Tensor<Float>], loss: Float, share: Float,
                           over communicator: Communicator) -> Float {
        guard communicator.size > 1 else { return loss }
        let total = gradients.reduce(0) { $0 + $1.scalarCount }
        var buffer = [Float](repeating: 0, count: total + 1)
        buffer.withUnsafeMutableBufferPointer { out in
            var offset = 0
            for gradient in gradients {
                gradient.withUnsafeBufferPointer { g in
                    for i in 0..<g.count { out[offset + i] = share * g[i] }
                    offset += g.count
                }
            }
            out[total] = share * loss
        }
        communicator.allReduceSum(&buffer)
        var offset = 0
        gradients = gradients.map { gradient in
            let n = gradient.scalarCount
            defer { offset += n }
            return Tensor(shape: gradient.shape, scalars: Array(buffer[offset..<(offset + n)]))
        }
        return buffer[total]
    }

    /// Bytes one rank passes to the all-reduces of one training iteration of networks with
    /// `parameterCounts` parameters each (Float, plus each network's loss value).
    public static func bytesPerIteration(parameterCounts: [Int]) -> Int {
        parameterCounts.reduce(0) { $0 + 4 * ($1 + 1) }
    }
}
