import Foundation

/// Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), as in PyTorch.
///
/// With gradient g, step t (from 1), learning rate η and weight decay λ:
/// ```
/// Adam:   g ← g + λθ                 (L2 penalty folded into the gradient)
/// AdamW:  θ ← θ(1 − ηλ)              (decoupled decay, before the moment update)
/// m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
/// θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
/// ```
/// The moments are kept in `Scalar` (Float for training); the bias corrections are computed
/// in Double once per step. Memory: two buffers the size of the parameters.
/// S-JKO's toy runs use β = (0.5, 0.9), η = 1e-4 (map) and 2e-5 (potential).
public struct Adam<Scalar: BinaryFloatingPoint & SIMDScalar>: Optimizer {
    public var learningRate: Double
    /// Decay of the first moment, β₁ ∈ [0, 1).
    public var beta1: Double
    /// Decay of the second moment, β₂ ∈ [0, 1).
    public var beta2: Double
    /// ε added to √v̂ in the denominator.
    public var epsilon: Double
    /// λ ≥ 0; an L2 penalty for Adam, decoupled decay for AdamW.
    public var weightDecay: Double
    /// True for AdamW.
    public var decoupledWeightDecay: Bool
    public internal(set) var stepCount = 0

    @usableFromInline var firstMoments = SlotBuffers<Scalar>()
    @usableFromInline var secondMoments = SlotBuffers<Scalar>()
    /// Per-step constants: η/(1 − β₁ᵗ) and 1/√(1 − β₂ᵗ).
    @usableFromInline var stepSize: Scalar = 0
    @usableFromInline var inverseRootCorrection2: Scalar = 1

    /// Adam with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, no weight decay.
    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0) {
        precondition(learningRate >= 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon >= 0 && weightDecay >= 0,
                     "Adam needs η ≥ 0, β₁, β₂ ∈ [0, 1), ε ≥ 0 and λ ≥ 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = false
    }

    /// AdamW: decoupled weight decay (PyTorch's default λ = 0.01).
    public static func adamW(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                             epsilon: Double = 1e-8, weightDecay: Double = 0.01) -> Adam {
        var adam = Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
        adam.decoupledWeightDecay = true
        return adam
    }

    public mutating func advance() {
        stepCount += 1
        let t = Double(stepCount)
        stepSize = Scalar(learningRate / (1 - pow(beta1, t)))
        inverseRootCorrection2 = Scalar(1 / (1 - pow(beta2, t)).squareRoot())
    }

    @inlinable
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func update(slot: Int, parameter: UnsafeMutableBufferPointer<Scalar>, gradient: UnsafeBufferPointer<Scalar>) {
        precondition(stepCount > 0, "call advance() before update(slot:…)")
        precondition(parameter.count == gradient.count,
                     "parameter slot \(slot): \(parameter.count) values but \(gradient.count) gradients")
        let n = parameter.count
        guard n > 0 else { return }
        firstMoments.prepare(slot: slot, count: n)
        secondMoments.prepare(slot: slot, count: n)
        let b1 = Scalar(beta1), b2 = Scalar(beta2), eps = Scalar(epsilon)
        let c1 = 1 - b1, c2 = 1 - b2
        let lambda = Scalar(weightDecay)
        let l2 = decoupledWeightDecay ? 0 : lambda
        let shrink = decoupledWeightDecay ? 1 - Scalar(learningRate) * lambda : 1
        let size = stepSize, rc2 = inverseRootCorrection2
        firstMoments.buffers[slot].withUnsafeMutableBufferPointer { m in
            secondMoments.buffers[slot].withUnsafeMutableBufferPointer { v in
                // Eight lanes at a time (SIMD square root and division vectorise; the
                // scalar `squareRoot()` carries an errno branch that stops the vectoriser).
                typealias Lanes = SIMD8<Scalar>
                let width = Lanes.scalarCount
                let pp = UnsafeMutableRawPointer(parameter.baseAddress!), gp = UnsafeRawPointer(gradient.baseAddress!)
                let mp = UnsafeMutableRawPointer(m.baseAddress!), vp = UnsafeMutableRawPointer(v.baseAddress!)
                var i = 0
                while i + width <= n {
                    let offset = i * MemoryLayout<Scalar>.stride
                    let theta = pp.loadUnaligned(fromByteOffset: offset, as: Lanes.self) * shrink
                    let g = gp.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + l2 * theta
                    let mi = b1 * mp.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + c1 * g
                    let vi = b2 * vp.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + c2 * g * g
                    mp.storeBytes(of: mi, toByteOffset: offset, as: Lanes.self)
                    vp.storeBytes(of: vi, toByteOffset: offset, as: Lanes.self)
                    pp.storeBytes(of: theta - size * mi / (vi.squareRoot() * rc2 + eps), toByteOffset: offset, as: Lanes.self)
                    i += width
                }
                while i < n {
                    let theta = parameter[i] * shrink
                    let g = gradient[i] + l2 * theta
                    let mi = b1 * m[i] + c1 * g
                    let vi = b2 * v[i] + c2 * g * g
                    m[i] = mi
                    v[i] = vi
                    parameter[i] = theta - size * mi / (vi.squareRoot() * rc2 + eps)
                    i += 1
                }
            }
        }
    }
}
