import Autodiff
import NeuralNetworks
import NumericalCore

/// The transport map T(x, z) of a neural JKO step: the S-JKO toy map (``ToyMap``, the
/// official code's residual MLP with a noise branch), optionally as a displacement of
/// its input.
///
/// ```
/// residual = false:  T(x, z) = net(x, z)                 (the official code)
/// residual = true:   T(x, z) = x + net(x, z),  net's last layer zero at start, so T = id
/// ```
/// Shapes: x `[n, d]`, z `[n, noiseSize]` → `[n, d]`. With `noiseSize == 0` the map is
/// deterministic and z is ignored (any `[n, …]` tensor may be passed).
///
/// The residual form starts every flow at the identity, which is the exact JKO map at
/// h → 0 and what T_old is at k = 0; the official code instead starts from a random
/// network and spends its first step learning the identity.
public struct FlowMap<Scalar: TensorScalar>: Layer, NoiseConditionedMap {
    public var net: ToyMap<Scalar>
    public let residual: Bool

    public init(dimension: Int, noiseSize: Int, width: Int, blockCount: Int, residual: Bool,
                generator: inout RandomGenerator) {
        net = ToyMap(dimension: dimension, noiseSize: noiseSize, width: width, blockCount: blockCount,
                     layersPerBlock: 3, generator: &generator)
        self.residual = residual
        if residual {
            net.head.second.weight = Tensor.zeros(net.head.second.weight.shape)
            if let bias = net.head.second.bias { net.head.second.bias = Tensor.zeros(bias.shape) }
        }
    }

    public var dimension: Int { net.dimension }
    public var noiseSize: Int { net.noiseSize }

    public func callAsFunction(_ x: Tensor<Scalar>, noise z: Tensor<Scalar>) -> Tensor<Scalar> {
        let moved = net(x, noise: noiseSize > 0 ? z : nil)
        return residual ? x + moved : moved
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) { net.visitParameters(body) }

    /// The official code's names (`trunk.…`, `noise.…`, `head.…`).
    public var parameterNames: [String] { net.parameterNames }

    /// Forward FLOPs for n samples.
    public func flops(batch n: Int) -> Int { net.flops(batch: n) }
}
