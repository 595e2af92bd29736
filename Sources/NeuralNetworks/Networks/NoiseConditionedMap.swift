import Autodiff

/// A network T(x, z) that moves samples x `[n, …]` with noise z `[n, noiseSize]` to
/// samples of the same shape: the transport map of the S-JKO scheme (DESIGN.md §1.3),
/// ``ToyMap`` for point clouds and ``ConvMap`` for images. Rows are independent, so a
/// batch may be split by rows (``DataParallel``).
public protocol NoiseConditionedMap: Layer {
    func callAsFunction(_ x: Tensor<Scalar>, noise z: Tensor<Scalar>) -> Tensor<Scalar>
}

extension ToyMap: NoiseConditionedMap {
    /// T(x, z) with a noise tensor (the protocol's form of ``callAsFunction(_:noise:)``).
    public func callAsFunction(_ x: Tensor<Scalar>, noise z: Tensor<Scalar>) -> Tensor<Scalar> {
        let optional: Tensor<Scalar>? = z
        return self(x, noise: optional)
    }
}

extension ConvMap: NoiseConditionedMap {}
