/// What an optimiser carries from one step to the next, for checkpoints: the step count
/// and, per parameter slot, named buffers of the parameter's size.
///
/// Buffer names follow PyTorch's `optimizer.state_dict()`: Adam/AdamW `exp_avg` (m) and
/// `exp_avg_sq` (v), SGD `momentum_buffer` (b). A slot that has not been updated yet (or
/// an optimiser without state, such as SGD without momentum) has no buffers.
public struct OptimizerState<Scalar: BinaryFloatingPoint>: Equatable {
    /// Completed steps (t in Adam's bias corrections).
    public var stepCount: Int
    /// `buffers[slot][name]`: flat row-major values, one entry per parameter slot.
    public var buffers: [[String: [Scalar]]]

    public init(stepCount: Int, buffers: [[String: [Scalar]]]) {
        self.stepCount = stepCount
        self.buffers = buffers
    }
}

/// An optimiser whose state can be saved and restored, so that training resumed from a
/// checkpoint continues with the same numbers as training that never stopped.
public protocol StatefulOptimizer: Optimizer {
    /// The names of the per-slot buffers, in the order they are stored.
    static var bufferNames: [String] { get }
    /// The current state.
    var state: OptimizerState<Scalar> { get }
    /// Replaces the state. Every slot holds either all of ``bufferNames`` or none.
    mutating func restore(_ state: OptimizerState<Scalar>)
}

extension Adam: StatefulOptimizer {
    public static var bufferNames: [String] { ["exp_avg", "exp_avg_sq"] }

    public var state: OptimizerState<Scalar> {
        let slots = zip(firstMoments.buffers, secondMoments.buffers).map { m, v -> [String: [Scalar]] in
            m.isEmpty ? [:] : ["exp_avg": m, "exp_avg_sq": v]
        }
        return OptimizerState(stepCount: stepCount, buffers: slots)
    }

    public mutating func restore(_ state: OptimizerState<Scalar>) {
        stepCount = state.stepCount
        firstMoments.buffers = state.buffers.map { $0["exp_avg"] ?? [] }
        secondMoments.buffers = state.buffers.map { $0["exp_avg_sq"] ?? [] }
    }
}

extension SGD: StatefulOptimizer {
    public static var bufferNames: [String] { ["momentum_buffer"] }

    public var state: OptimizerState<Scalar> {
        let slots = velocities.buffers.indices.map { slot -> [String: [Scalar]] in
            slot < started.count && started[slot] ? ["momentum_buffer": velocities.buffers[slot]] : [:]
        }
        return OptimizerState(stepCount: stepCount, buffers: slots)
    }

    public mutating func restore(_ state: OptimizerState<Scalar>) {
        stepCount = state.stepCount
        velocities.buffers = state.buffers.map { $0["momentum_buffer"] ?? [] }
        started = state.buffers.map { $0["momentum_buffer"] != nil }
    }
}
