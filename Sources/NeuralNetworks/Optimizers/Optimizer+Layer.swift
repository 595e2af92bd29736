import Autodiff

/// Optimisers and parameter averages applied to a whole ``Layer`` (slot k ↔ parameter k
/// of `visitParameters`). Parameters are updated in place when the layer holds the only
/// reference to their storage; otherwise copy-on-write copies them first.
extension Optimizer where Scalar: TensorScalar {
    /// One optimisation step of every parameter of `layer`, in place; `gradients[k]` is the
    /// gradient of parameter k (as returned by `valueWithGradient(at: layer.parameters)`).
    @inlinable
    public mutating func step<L: Layer>(_ layer: inout L, gradients: [Tensor<Scalar>]) where L.Scalar == Scalar {
        advance()
        var slot = 0
        layer.visitParameters { parameter in
            precondition(slot < gradients.count, "\(gradients.count) gradients for a layer with more parameters")
            precondition(gradients[slot].shape == parameter.shape,
                         "gradient \(slot) has shape \(gradients[slot].shape), its parameter \(parameter.shape)")
            gradients[slot].withUnsafeBufferPointer { g in
                parameter.withUnsafeMutableBufferPointer { p in update(slot: slot, parameter: p, gradient: g) }
            }
            slot += 1
        }
        precondition(slot == gradients.count, "\(gradients.count) gradients for a layer with \(slot) parameters")
    }
}

extension ExponentialMovingAverage where Scalar: TensorScalar {
    /// θ̄ ← δθ̄ + (1 − δ)θ over the parameters of `layer`, read in place (no copies after
    /// the first update, which stores θ).
    public mutating func update<L: Layer>(from layer: L) where L.Scalar == Scalar {
        let parameters = layer.parameters
        guard storedUpdateCount > 0 else {
            storedAverages = parameters.map(\.scalars)
            storedUpdateCount = 1
            return
        }
        precondition(parameters.count == storedAverages.count,
                     "EMA tracks \(storedAverages.count) parameters, got \(parameters.count)")
        let d = Scalar(decay), c = 1 - Scalar(decay)
        for (slot, parameter) in parameters.enumerated() {
            precondition(parameter.scalarCount == storedAverages[slot].count, "parameter slot \(slot) changed size")
            parameter.withUnsafeBufferPointer { p in
                storedAverages[slot].withUnsafeMutableBufferPointer { a in Self.blend(a, p, keep: d, take: c) }
            }
        }
        storedUpdateCount += 1
    }

    /// a ← keep·a + take·p elementwise (specialised, so the loop vectorises).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func blend(_ a: UnsafeMutableBufferPointer<Scalar>, _ p: UnsafeBufferPointer<Scalar>, keep: Scalar, take: Scalar) {
        for i in 0..<a.count { a[i] = keep * a[i] + take * p[i] }
    }

    /// `layer` with its parameters replaced by the averages (for sampling).
    public func averaged<L: Layer>(_ layer: L) -> L where L.Scalar == Scalar {
        precondition(updateCount > 0, "the EMA has not seen any parameters yet")
        let tensors = zip(layer.parameters, averages).map { Tensor(shape: $0.shape, scalars: $1) }
        return layer.replacingParameters(tensors)
    }
}
