/// Stochastic gradient descent with momentum and weight decay, as in PyTorch (no dampening).
///
/// With gradient g, learning rate η, momentum μ and weight decay λ:
/// ```
/// g ← g + λθ
/// b ← μb + g            (b = g at the first step)
/// d = g + μb  (Nesterov)   or   d = b
/// θ ← θ − η d
/// ```
/// With μ = 0 this is plain SGD and keeps no state.
public struct SGD<Scalar: BinaryFloatingPoint>: Optimizer {
    public var learningRate: Double
    /// Momentum μ ∈ [0, 1).
    public var momentum: Double
    /// L2 weight decay λ ≥ 0, folded into the gradient.
    public var weightDecay: Double
    /// Nesterov's look-ahead form of momentum.
    public var nesterov: Bool
    public internal(set) var stepCount = 0

    @usableFromInline var velocities = SlotBuffers<Scalar>()
    /// Slots whose velocity has been initialised with b = g.
    @usableFromInline var started: [Bool] = []

    public init(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) {
        precondition(learningRate >= 0 && (0..<1).contains(momentum) && weightDecay >= 0,
                     "SGD needs η ≥ 0, μ ∈ [0, 1) and λ ≥ 0")
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public mutating func advance() { stepCount += 1 }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func update(slot: Int, parameter: UnsafeMutableBufferPointer<Scalar>, gradient: UnsafeBufferPointer<Scalar>) {
        precondition(parameter.count == gradient.count,
                     "parameter slot \(slot): \(parameter.count) values but \(gradient.count) gradients")
        let n = parameter.count
        let eta = Scalar(learningRate), lambda = Scalar(weightDecay), mu = Scalar(momentum)
        guard momentum > 0 else {
            for i in 0..<n { parameter[i] -= eta * (gradient[i] + lambda * parameter[i]) }
            return
        }
        velocities.prepare(slot: slot, count: n)
        while started.count <= slot { started.append(false) }
        let first = !started[slot]
        started[slot] = true
        let look = nesterov
        velocities.buffers[slot].withUnsafeMutableBufferPointer { b in
            for i in 0..<n {
                let g = gradient[i] + lambda * parameter[i]
                let bi = first ? g : mu * b[i] + g
                b[i] = bi
                parameter[i] -= eta * (look ? g + mu * bi : bi)
            }
        }
    }
}
