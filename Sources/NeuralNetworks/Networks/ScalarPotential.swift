import Autodiff

/// A network v(y) with one scalar per sample: `[n, …]` → `[n]`, the potential (the
/// dual variable) of the S-JKO scheme: ``ToyPotential``, ``ConvPotential``. Rows are
/// independent.
public protocol ScalarPotential: Layer {
    func callAsFunction(_ y: Tensor<Scalar>) -> Tensor<Scalar>
}

extension ToyPotential: ScalarPotential {}
extension ConvPotential: ScalarPotential {}
