import Autodiff

/// Group normalisation (Wu & He 2018), PyTorch's `nn.GroupNorm` with affine parameters.
///
/// For x `[N, C, …]` split into G groups of C/G channels, each sample's group is
/// standardised over its channels and positions, x̂ = (x − μ)/√(σ² + ε) (biased σ²),
/// then y = γ_c x̂ + β_c per channel. γ starts at 1, β at 0. Parameter names `weight` (γ)
/// and `bias` (β), as in PyTorch.
public struct GroupNorm<Scalar: TensorScalar>: Layer {
    /// γ, `[C]`.
    public var scale: Tensor<Scalar>
    /// β, `[C]`.
    public var offset: Tensor<Scalar>
    public let groups: Int
    public let epsilon: Scalar

    public init(groups: Int, channels: Int, epsilon: Scalar = 1e-5) {
        precondition(groups > 0 && channels % groups == 0, "GroupNorm: \(channels) channels do not split into \(groups) groups")
        scale = .ones([channels])
        offset = .zeros([channels])
        self.groups = groups
        self.epsilon = epsilon
    }

    public var channels: Int { scale.shape[0] }

    /// x `[N, C, …]` → same shape.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        x.groupNormalized(groups: groups, scale: scale, offset: offset, epsilon: epsilon)
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        body(&scale)
        body(&offset)
    }

    public var parameterNames: [String] { ["weight", "bias"] }
}
