/// Rescaling of a whole gradient so that its global Euclidean norm is at most `maxNorm`.
///
/// ‖g‖ = √(Σ over all parameters and elements of gᵢ²); when ‖g‖ > maxNorm every gradient is
/// multiplied by maxNorm / (‖g‖ + 1e-6), as `torch.nn.utils.clip_grad_norm_` does. The
/// norm is accumulated in Double, so it does not overflow or lose small terms in Float.
public enum GradientClipping {
    /// The global norm of `gradients` before clipping (NaN or ∞ passes through unchanged).
    @inlinable
    @discardableResult
    public static func clipGlobalNorm<Scalar: BinaryFloatingPoint>(
        _ gradients: [UnsafeMutableBufferPointer<Scalar>], maxNorm: Double
    ) -> Double {
        precondition(maxNorm > 0, "maxNorm must be positive")
        var total = 0.0
        for g in gradients {
            for x in g { total += Double(x) * Double(x) }
        }
        let norm = total.squareRoot()
        guard norm.isFinite, norm > maxNorm else { return norm }
        let scale = Scalar(maxNorm / (norm + 1e-6))
        for g in gradients {
            for i in g.indices { g[i] *= scale }
        }
        return norm
    }

    /// Same on plain arrays.
    @inlinable
    @discardableResult
    public static func clipGlobalNorm<Scalar: BinaryFloatingPoint>(_ gradients: inout [[Scalar]], maxNorm: Double) -> Double {
        precondition(maxNorm > 0, "maxNorm must be positive")
        var total = 0.0
        for g in gradients { for x in g { total += Double(x) * Double(x) } }
        let norm = total.squareRoot()
        guard norm.isFinite, norm > maxNorm else { return norm }
        let scale = Scalar(maxNorm / (norm + 1e-6))
        for k in gradients.indices {
            for i in gradients[k].indices { gradients[k][i] *= scale }
        }
        return norm
    }
}
