/// Normalisation layers' arithmetic, derived from primitives (so every order of
/// derivative comes for free).
extension Tensor {
    /// Group normalisation (Wu & He 2018) of x `[N, C, …]`: the C channels are split into
    /// `groups` groups of C/G; each sample's group is standardised over its channels and
    /// spatial positions, x̂ = (x − μ)/√(σ² + ε) with the biased variance σ², then
    /// y = γ·x̂ + β per channel (γ, β `[C]`, optional).
    public func groupNormalized(groups: Int, scale γ: Tensor? = nil, offset β: Tensor? = nil,
                                epsilon: Scalar = 1e-5) -> Tensor {
        precondition(rank >= 2 && shape[1] % groups == 0,
                     "groupNormalized: \(shape[1]) channels do not split into \(groups) groups (shape \(shape))")
        let grouped = reshaped(to: [shape[0], groups, -1])
        let centred = grouped - grouped.mean(alongAxis: 2, keepingDimension: true)
        let variance = centred.squared().mean(alongAxis: 2, keepingDimension: true)
        var y = (centred * (variance + epsilon).squareRoot().reciprocal()).reshaped(to: shape)
        var channelShape = [Int](repeating: 1, count: rank)
        channelShape[1] = shape[1]
        if let γ { y = y * γ.reshaped(to: channelShape) }
        if let β { y = y + β.reshaped(to: channelShape) }
        return y
    }
}
