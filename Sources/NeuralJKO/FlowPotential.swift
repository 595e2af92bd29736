import Autodiff
import NeuralNetworks
import NumericalCore

/// The potential v(y) of a neural JKO step: the S-JKO toy potential (``ToyPotential``),
/// optionally plus a learned quadratic.
///
/// ```
/// v(y) = net(y) [+ ½ yᵀ W y + qᵀ y]        W [d, d] (only its symmetric part acts), q [d]
/// (or the quadratic alone, `network: false`)
/// ```
/// Shapes: y `[n, d]` → `[n]`. For a Gaussian target and a Gaussian iterate the exact
/// potential is quadratic (v = −log(dμ_{k+1}/dν) for KL), so the quadratic term carries
/// it and the network only the rest. The quadratic starts at zero; `quadraticScale` s
/// multiplies it (the stored parameters are W/s, q/s), so that Adam, whose steps have the
/// size of the learning rate in every parameter, moves the quadratic s times faster than
/// the network weights.
public struct FlowPotential<Scalar: TensorScalar>: Layer, ScalarPotential {
    public var net: ToyPotential<Scalar>
    /// W/s `[d, d]`, nil without the quadratic term.
    public var quadraticWeight: Tensor<Scalar>?
    /// q/s `[d]`.
    public var linearWeight: Tensor<Scalar>?
    public let quadraticScale: Scalar
    /// False: v is the quadratic alone (the network is kept, untrained and unused), the
    /// exact family of a Gaussian flow with no room to fit sampling noise.
    public let usesNetwork: Bool

    public init(dimension: Int, width: Int, blockCount: Int, quadratic: Bool, quadraticScale: Double = 1,
                network: Bool = true, generator: inout RandomGenerator) {
        precondition(network || quadratic, "a potential needs its network, its quadratic or both")
        usesNetwork = network
        net = ToyPotential(dimension: dimension, width: width, blockCount: blockCount, layersPerBlock: 3,
                           generator: &generator)
        quadraticWeight = quadratic ? Tensor.zeros([dimension, dimension]) : nil
        linearWeight = quadratic ? Tensor.zeros([dimension]) : nil
        self.quadraticScale = Scalar(quadraticScale)
    }

    public func callAsFunction(_ y: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let w = quadraticWeight, let q = linearWeight else { return net(y) }
        let quadratic = (y * matmul(y, w)).sum(alongAxis: 1) * (quadraticScale / 2) + (y * q).sum(alongAxis: 1) * quadraticScale
        return usesNetwork ? net(y) + quadratic : quadratic
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        net.visitParameters(body)
        if quadraticWeight != nil { body(&quadraticWeight!) }
        if linearWeight != nil { body(&linearWeight!) }
    }

    public var parameterNames: [String] {
        net.parameterNames + (quadraticWeight == nil ? [] : ["quadratic.weight", "quadratic.linear"])
    }

    /// Forward FLOPs for n samples.
    public func flops(batch n: Int) -> Int { net.flops(batch: n) }
}
