import NumericalCore

/// Random tensors from the toolkit's seeded generator (``RandomGenerator``), filled in
/// row-major order so that a seed fixes every element.
extension Tensor {
    /// Independent N(mean, standardDeviation²) elements.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func randomNormal(shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
                                    using generator: inout RandomGenerator) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        for i in 0..<out.scalarCount {
            out.storage.base[i] = mean + standardDeviation * Scalar(generator.normal())
        }
        return out
    }

    /// Independent uniform elements on [lowerBound, upperBound).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func randomUniform(shape: [Int], lowerBound: Scalar = 0, upperBound: Scalar = 1,
                                     using generator: inout RandomGenerator) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let width = upperBound - lowerBound
        for i in 0..<out.scalarCount {
            // Rounding to Float can reach the upper bound (probability ≈ 2⁻²⁴); such a draw becomes the lower bound.
            let value = lowerBound + width * Scalar(generator.uniform())
            out.storage.base[i] = value < upperBound ? value : lowerBound
        }
        return out
    }
}
