import Autodiff

/// A network piece with an explicit, ordered parameter list (no reflection).
///
/// A layer is a value: a struct of tensors (and sub-layers) that is called like a function
/// (`callAsFunction`). Its parameters are the tensors `visitParameters` hands out, always
/// in the same order; `parameterNames` lists their names in that order, dotted by nesting
/// (`"trunk.blocks.0.1.weight"`), which is also the key a checkpoint stores them under.
///
/// Training differentiates with respect to a parameter list and calls a copy of the layer
/// that holds the recorded tensors:
/// ```swift
/// let (loss, grads) = valueWithGradient(at: net.parameters) { p in
///     lossFunction(net.replacingParameters(p)(x))
/// }
/// adam.step(&net, gradients: grads)      // in place, slot k ↔ parameter k
/// ```
public protocol Layer<Scalar> {
    associatedtype Scalar: TensorScalar
    /// Calls `body` once per parameter, in the fixed order of `parameterNames`, with
    /// write access (to load, initialise or update it in place).
    mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void)
    /// Names of the parameters, in visiting order.
    var parameterNames: [String] { get }
}

extension Layer {
    /// The parameters in visiting order (they share storage with the layer's).
    public var parameters: [Tensor<Scalar>] {
        get {
            var copy = self
            var result: [Tensor<Scalar>] = []
            copy.visitParameters { result.append($0) }
            return result
        }
        set {
            var k = 0
            visitParameters { p in
                precondition(k < newValue.count, "\(newValue.count) tensors for a layer with more parameters")
                precondition(newValue[k].shape == p.shape,
                             "parameter \(k) has shape \(p.shape); the replacement has \(newValue[k].shape)")
                p = newValue[k]
                k += 1
            }
            precondition(k == newValue.count, "\(newValue.count) tensors for a layer with \(k) parameters")
        }
    }

    /// A copy of this layer whose parameters are `parameters` (same order and shapes).
    public func replacingParameters(_ parameters: [Tensor<Scalar>]) -> Self {
        var copy = self
        copy.parameters = parameters
        return copy
    }

    /// Total number of scalars over all parameters.
    public var parameterScalarCount: Int { parameters.reduce(0) { $0 + $1.scalarCount } }

    /// `names` with `prefix.` in front (how a composite layer names its parts).
    static func prefixed(_ prefix: String, _ names: [String]) -> [String] { names.map { "\(prefix).\($0)" } }
}
