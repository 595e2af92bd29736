/// Exponential moving average of parameters (Polyak averaging), kept beside the model.
///
/// After each optimiser step, `update` sets θ̄ ← δθ̄ + (1 − δ)θ for every parameter buffer
/// (θ̄ = θ at the first update). Sampling with θ̄ instead of θ smooths the noise of the
/// adversarial game; S-JKO's image runs use δ = 0.9999. Memory: one copy of the parameters.
public struct ExponentialMovingAverage<Scalar: BinaryFloatingPoint> {
    /// Decay δ ∈ [0, 1].
    public var decay: Double
    /// Number of updates so far.
    public var updateCount: Int { storedUpdateCount }
    /// The averages θ̄, one flat buffer per parameter slot (empty before the first update).
    public var averages: [[Scalar]] { storedAverages }

    @usableFromInline var storedUpdateCount = 0
    @usableFromInline var storedAverages: [[Scalar]] = []

    public init(decay: Double) {
        precondition((0...1).contains(decay), "EMA decay must lie in [0, 1]")
        self.decay = decay
    }

    /// θ̄ ← δθ̄ + (1 − δ)θ for each buffer (slot i ↔ parameters[i]).
    @inlinable
    public mutating func update(_ parameters: [UnsafeBufferPointer<Scalar>]) {
        if storedUpdateCount == 0 { storedAverages = parameters.map { Array($0) } }
        else {
            precondition(parameters.count == storedAverages.count,
                         "EMA tracks \(storedAverages.count) parameters, got \(parameters.count)")
            let d = Scalar(decay), c = 1 - Scalar(decay)
            for slot in parameters.indices {
                let p = parameters[slot]
                precondition(p.count == storedAverages[slot].count, "parameter slot \(slot) changed size")
                storedAverages[slot].withUnsafeMutableBufferPointer { a in
                    for i in 0..<p.count { a[i] = d * a[i] + c * p[i] }
                }
            }
        }
        storedUpdateCount += 1
    }

    /// Replaces the averages and the update count (restoring from a checkpoint).
    public mutating func restore(updateCount: Int, averages: [[Scalar]]) {
        precondition(updateCount >= 0 && (updateCount == 0) == averages.isEmpty,
                     "EMA restore needs averages exactly when updateCount > 0")
        storedUpdateCount = updateCount
        storedAverages = averages
    }

    /// Same on plain arrays.
    @inlinable
    public mutating func update(_ parameters: [[Scalar]]) {
        if storedUpdateCount == 0 { storedAverages = parameters }
        else {
            precondition(parameters.count == storedAverages.count,
                         "EMA tracks \(storedAverages.count) parameters, got \(parameters.count)")
            let d = Scalar(decay), c = 1 - Scalar(decay)
            for slot in parameters.indices {
                precondition(parameters[slot].count == storedAverages[slot].count, "parameter slot \(slot) changed size")
                for i in parameters[slot].indices { storedAverages[slot][i] = d * storedAverages[slot][i] + c * parameters[slot][i] }
            }
        }
        storedUpdateCount += 1
    }
}
