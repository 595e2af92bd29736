import Foundation
import NumericalCore

/// V(x) = −log Σₖ wₖ N(x; mₖ, Sₖ), minus the log-density of a Gaussian mixture.
///
/// With ℓₖ = log wₖ + log N(x; mₖ, Sₖ), responsibilities rₖ = softmax(ℓ)ₖ and
/// gₖ = Sₖ⁻¹(x − mₖ):
///
///   V = −log Σₖ e^{ℓₖ},   ∇V = Σₖ rₖ gₖ,   ∇²V = Σₖ rₖ Sₖ⁻¹ − Σₖ rₖ gₖgₖᵀ + ḡḡᵀ  (ḡ = ∇V).
///
/// e^{−V} is the mixture itself (Z = 1, log Z = 0), sampled exactly by ``mixture``.
/// Cost per point O(K d²) for K components; scratch space lives on the stack.
public struct MixturePotential: Potential {
    /// The mixture ν = e^{−V}.
    public let mixture: GaussianMixture
    let componentCount: Int
    /// mₖ, `[K, d]` flat.
    let means: [Double]
    /// Sₖ⁻¹, `[K, d, d]` flat.
    let precisions: [Double]
    /// log wₖ − ½ log det Sₖ − (d/2) log 2π, length K.
    let logScales: [Double]

    public init(mixture: GaussianMixture) {
        let d = mixture.dimension
        var means = [Double](), precisions = [Double](), logScales = [Double]()
        for (w, c) in zip(mixture.weights, mixture.components) where w > 0 {
            means += c.mean
            precisions += c.precision.elements
            logScales.append(Foundation.log(w) - 0.5 * c.logDeterminant - 0.5 * Double(d) * Foundation.log(2 * Double.pi))
        }
        self.mixture = mixture
        self.componentCount = logScales.count
        self.means = means
        self.precisions = precisions
        self.logScales = logScales
    }

    public var dimension: Int { mixture.dimension }
    public var logPartitionFunction: Double? { 0 }
    public func checkConfinement() throws {}

    /// Fills ℓ (length K) and g (`[K, d]`) at `point`; returns V = −logsumexp(ℓ) and turns ℓ into r.
    @inline(__always)
    func responsibilities(at point: UnsafePointer<Double>, logTerms: UnsafeMutablePointer<Double>,
                          scaled: UnsafeMutablePointer<Double>) -> Double {
        let d = dimension, k = componentCount
        var top = -Double.infinity
        means.withUnsafeBufferPointer { m in
            precisions.withUnsafeBufferPointer { p in
                for c in 0..<k {
                    var quad = 0.0
                    for i in 0..<d {
                        var gi = 0.0
                        for j in 0..<d { gi += p[(c * d + i) * d + j] * (point[j] - m[c * d + j]) }
                        scaled[c * d + i] = gi
                        quad += (point[i] - m[c * d + i]) * gi
                    }
                    logTerms[c] = logScales[c] - 0.5 * quad
                    top = max(top, logTerms[c])
                }
            }
        }
        var total = 0.0
        for c in 0..<k { logTerms[c] = Foundation.exp(logTerms[c] - top); total += logTerms[c] }
        for c in 0..<k { logTerms[c] /= total }
        return -(top + Foundation.log(total))
    }

    @inline(__always)
    func withScratch<R>(_ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> R) -> R {
        let k = componentCount
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: k * (dimension + 1)) { buffer in
            body(buffer.baseAddress!, buffer.baseAddress! + k)
        }
    }

    public func value(at point: UnsafePointer<Double>) -> Double {
        withScratch { r, g in responsibilities(at: point, logTerms: r, scaled: g) }
    }

    @discardableResult
    public func gradient(at point: UnsafePointer<Double>, into gradient: UnsafeMutablePointer<Double>) -> Double {
        withScratch { r, g in
            let v = responsibilities(at: point, logTerms: r, scaled: g)
            let d = dimension
            for i in 0..<d { gradient[i] = 0 }
            for c in 0..<componentCount { for i in 0..<d { gradient[i] += r[c] * g[c * d + i] } }
            return v
        }
    }

    public func hessian(at point: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>) {
        withScratch { r, g in
            _ = responsibilities(at: point, logTerms: r, scaled: g)
            let d = dimension
            for e in 0..<(d * d) { hessian[e] = 0 }
            withUnsafeTemporaryAllocation(of: Double.self, capacity: d) { mean in
                for i in 0..<d { mean[i] = 0 }
                precisions.withUnsafeBufferPointer { p in
                    for c in 0..<componentCount {
                        for i in 0..<d {
                            mean[i] += r[c] * g[c * d + i]
                            for j in 0..<d {
                                hessian[i * d + j] += r[c] * (p[(c * d + i) * d + j] - g[c * d + i] * g[c * d + j])
                            }
                        }
                    }
                }
                for i in 0..<d { for j in 0..<d { hessian[i * d + j] += mean[i] * mean[j] } }
            }
        }
    }
}
