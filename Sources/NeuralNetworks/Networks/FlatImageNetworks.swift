import Autodiff

/// An image map seen through flat rows: x `[n, C·H·W]` → `[n, C·H·W]`, reshaped to
/// `[n, C, H, W]` around `network`. The neural JKO trainer moves samples as rows (point
/// clouds and images alike); this adapter lets it train a convolutional map. Parameters
/// and their names are the inner network's.
public struct FlatImageMap<Network: NoiseConditionedMap>: NoiseConditionedMap {
    public typealias Scalar = Network.Scalar
    public var network: Network
    /// [C, H, W].
    public let imageShape: [Int]

    public init(_ network: Network, imageShape: [Int]) {
        precondition(imageShape.count == 3, "an image shape is [channels, height, width]")
        self.network = network
        self.imageShape = imageShape
    }

    public func callAsFunction(_ x: Tensor<Scalar>, noise z: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = x.shape[0]
        return network(x.reshaped(to: [n] + imageShape), noise: z).reshaped(to: [n, imageShape.reduce(1, *)])
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) { network.visitParameters(body) }
    public var parameterNames: [String] { network.parameterNames }
}

/// An image potential seen through flat rows: y `[n, C·H·W]` → `[n]` (see ``FlatImageMap``).
public struct FlatImagePotential<Network: ScalarPotential>: ScalarPotential {
    public typealias Scalar = Network.Scalar
    public var network: Network
    public let imageShape: [Int]

    public init(_ network: Network, imageShape: [Int]) {
        precondition(imageShape.count == 3, "an image shape is [channels, height, width]")
        self.network = network
        self.imageShape = imageShape
    }

    public func callAsFunction(_ y: Tensor<Scalar>) -> Tensor<Scalar> { network(y.reshaped(to: [y.shape[0]] + imageShape)) }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) { network.visitParameters(body) }
    public var parameterNames: [String] { network.parameterNames }
}
