/// The value of `body` at `inputs` and its gradient with respect to each input.
///
/// `body` must return a one-element tensor (a loss, shape `[]` or `[1]`). The gradients
/// have the shapes of the inputs; an input the loss does not depend on gets zeros.
///
/// **Higher order.** Called inside another `valueWithGradient` of the same scalar type,
/// the backward sweep is recorded on the outer tape (PyTorch's `create_graph=True`):
/// the returned value and gradients are differentiable, and the outer call
/// differentiates through them. This is how the R1 penalty (λ/2)·E|∇_y v(y)|² is written:
///
/// ```swift
/// let (loss, grads) = valueWithGradient(at: potential.parameters) { params in
///     let (_, inner) = valueWithGradient(at: [data]) { y in potential(y, params).sum() }
///     return (inner[0] * inner[0]).sum() * (lambda / 2 / batch)
/// }
/// ```
/// An input already recorded on the outer tape (a value computed from the outer
/// inputs) is used as it is, so gradients flow through it to the outer inputs.
/// At top level the sweep records nothing and costs only its arithmetic.
public func valueWithGradient<Scalar: TensorScalar>(
    at inputs: [Tensor<Scalar>],
    of body: ([Tensor<Scalar>]) throws -> Tensor<Scalar>
) rethrows -> (value: Tensor<Scalar>, gradients: [Tensor<Scalar>]) {
    if let outer = Tape<Scalar>.recording {
        return try sweep(on: outer, at: inputs, of: body, createGraph: true)
    }
    let tape = Tape<Scalar>()
    let previous = TapeRegistry.active
    TapeRegistry.active = tape
    defer { TapeRegistry.active = previous }
    let (value, gradients) = try sweep(on: tape, at: inputs, of: body, createGraph: false)
    return (value.detached(), gradients)
}

/// The gradient of `body` at `inputs` (see ``valueWithGradient(at:of:)``).
public func gradient<Scalar: TensorScalar>(
    at inputs: [Tensor<Scalar>],
    of body: ([Tensor<Scalar>]) throws -> Tensor<Scalar>
) rethrows -> [Tensor<Scalar>] {
    try valueWithGradient(at: inputs, of: body).gradients
}

/// Single-input form of ``valueWithGradient(at:of:)``.
public func valueWithGradient<Scalar: TensorScalar>(
    at input: Tensor<Scalar>,
    of body: (Tensor<Scalar>) throws -> Tensor<Scalar>
) rethrows -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    let (value, gradients) = try valueWithGradient(at: [input]) { try body($0[0]) }
    return (value, gradients[0])
}

/// Single-input form of ``gradient(at:of:)``.
public func gradient<Scalar: TensorScalar>(
    at input: Tensor<Scalar>,
    of body: (Tensor<Scalar>) throws -> Tensor<Scalar>
) rethrows -> Tensor<Scalar> {
    try valueWithGradient(at: input, of: body).gradient
}

/// Records the inputs as leaves (unless already recorded), runs `body`, sweeps back.
private func sweep<Scalar: TensorScalar>(
    on tape: Tape<Scalar>, at inputs: [Tensor<Scalar>],
    of body: ([Tensor<Scalar>]) throws -> Tensor<Scalar>, createGraph: Bool
) rethrows -> (value: Tensor<Scalar>, gradients: [Tensor<Scalar>]) {
    let leaves = inputs.map { tape.index(of: $0) == nil ? tape.append($0, inputs: [], pullback: nil) : $0 }
    let value = try body(leaves)
    precondition(value.scalarCount == 1, "valueWithGradient needs a one-element result, got shape \(value.shape)")
    guard let output = tape.index(of: value) else {
        return (value, inputs.map { Tensor.zeros($0.shape) })
    }
    let adjoints = tape.adjoints(of: output, at: leaves.map { tape.index(of: $0)! }, createGraph: createGraph)
    let gradients = zip(adjoints, inputs).map { adjoint, input in adjoint ?? Tensor.zeros(input.shape) }
    return (value, gradients)
}

// MARK: - Recording operations

extension Tensor {
    /// Records a one-operand operation: `pullback(ḡ, y)` maps the adjoint of the
    /// result y to the adjoint of `x`. Returns `result` unchanged when nothing records.
    static func record(_ result: Tensor, from x: Tensor,
                       pullback: @escaping (_ adjoint: Tensor, _ result: Tensor) -> Tensor) -> Tensor {
        guard let tape = Tape<Scalar>.recording, let i = tape.index(of: x) else { return result }
        return tape.append(result, inputs: [i]) { ḡ, y, _ in [pullback(ḡ, y)] }
    }

    /// Records a two-operand operation. The pullback is told which operands need an
    /// adjoint (those the sweep's targets depend on; never constants) and may return nil
    /// for the others.
    static func record(
        _ result: Tensor, from a: Tensor, _ b: Tensor,
        pullback: @escaping (_ adjoint: Tensor, _ result: Tensor, _ needsA: Bool, _ needsB: Bool) -> (Tensor?, Tensor?)
    ) -> Tensor {
        guard let tape = Tape<Scalar>.recording else { return result }
        let i = tape.index(of: a), j = tape.index(of: b)
        guard i != nil || j != nil else { return result }
        return tape.append(result, inputs: [i ?? -1, j ?? -1]) { ḡ, y, needs in
            let (da, db) = pullback(ḡ, y, needs[0], needs[1])
            return [da, db]
        }
    }

    /// Records an operation of any number of operands.
    static func record(_ result: Tensor, from operands: [Tensor],
                       pullback: @escaping (_ adjoint: Tensor, _ result: Tensor, _ needs: [Bool]) -> [Tensor?]) -> Tensor {
        guard let tape = Tape<Scalar>.recording else { return result }
        let indices = operands.map { tape.index(of: $0) ?? -1 }
        guard indices.contains(where: { $0 >= 0 }) else { return result }
        return tape.append(result, inputs: indices) { ḡ, y, needs in pullback(ḡ, y, needs) }
    }

    /// True when this value is recorded on the active, recording tape (operations on it
    /// will be recorded).
    var isRecorded: Bool { Tape<Scalar>.recording?.index(of: self) != nil }

    /// True while the active tape records (used by pullbacks to
    /// choose between a fused first-order kernel and a differentiable composite).
    static var isRecording: Bool { Tape<Scalar>.recording != nil }
}
