/// An optimiser is its update rule: per-parameter state plus one function that moves a
/// flat parameter buffer along its gradient.
///
/// Parameters are addressed by *slot*, their index in the model's explicit parameter list;
/// state (moments, velocities) is created lazily on a slot's first update. One optimisation
/// step is `advance()` followed by `update(slot:parameter:gradient:)` for every slot, which
/// the `step` helpers below do. Buffers are flat and row-major, so a `Tensor`'s storage or
/// a plain `[Scalar]` can be updated in place without copies.
///
/// Learning-rate schedules set `learningRate` before each step:
/// `optimizer.learningRate = schedule.learningRate(atStep: k)`.
public protocol Optimizer {
    associatedtype Scalar: BinaryFloatingPoint
    /// Step size η of the next update.
    var learningRate: Double { get set }
    /// Number of completed `advance()` calls (t in the bias corrections).
    var stepCount: Int { get }
    /// Starts a new step (increments `stepCount`, refreshes per-step constants).
    mutating func advance()
    /// θ ← rule(θ, g) for one parameter buffer; `parameter.count == gradient.count`.
    mutating func update(slot: Int, parameter: UnsafeMutableBufferPointer<Scalar>, gradient: UnsafeBufferPointer<Scalar>)
}

extension Optimizer {
    /// One step over plain arrays (one flat buffer per parameter), for tests and small models.
    @inlinable
    public mutating func step(_ parameters: inout [[Scalar]], gradients: [[Scalar]]) {
        precondition(parameters.count == gradients.count,
                     "\(parameters.count) parameters but \(gradients.count) gradients")
        advance()
        for slot in parameters.indices {
            precondition(parameters[slot].count == gradients[slot].count,
                         "parameter \(slot) has \(parameters[slot].count) elements, its gradient \(gradients[slot].count)")
            parameters[slot].withUnsafeMutableBufferPointer { p in
                gradients[slot].withUnsafeBufferPointer { g in update(slot: slot, parameter: p, gradient: g) }
            }
        }
    }
}

/// Slot-indexed per-parameter state buffers, created as zeros on first use.
@usableFromInline
struct SlotBuffers<Scalar: BinaryFloatingPoint> {
    @usableFromInline var buffers: [[Scalar]] = []

    @usableFromInline init() {}

    /// Makes sure slot `slot` exists with `count` elements (zeros when new).
    @inlinable
    mutating func prepare(slot: Int, count: Int) {
        while buffers.count <= slot { buffers.append([]) }
        if buffers[slot].isEmpty && count > 0 {
            buffers[slot] = [Scalar](repeating: 0, count: count)
        }
        precondition(buffers[slot].count == count,
                     "parameter slot \(slot) changed size from \(buffers[slot].count) to \(count)")
    }
}
