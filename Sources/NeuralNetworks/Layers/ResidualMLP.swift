import Autodiff
import Foundation
import NumericalCore

/// The residual MLP trunk of the S-JKO toy networks (DESIGN.md §1.3).
///
/// ```
/// h₀ = W_in x + b_in                                   [n, d] → [n, width]
/// hᵦ = (hᵦ₋₁ + blockᵦ(hᵦ₋₁)) / √2,  β = 1 … blockCount
/// blockᵦ = layersPerBlock × [Linear(width, width), SiLU]
/// ```
/// The 1/√2 keeps the feature variance from growing with depth. Defaults give the paper's
/// toy trunk: width 128, 3 blocks of 3 layers (9 hidden 128×128 layers, 150 k parameters).
/// Parameter names: `input.weight`, `blocks.<β>.<2ℓ>.weight`, … — PyTorch's names for the
/// same module built from `nn.Sequential(Linear, SiLU, …)` (the SiLUs take the odd indices).
public struct ResidualMLP<Scalar: TensorScalar>: Layer {
    public var input: Linear<Scalar>
    /// `blocks[β][ℓ]`: layer ℓ of block β.
    public var blocks: [[Linear<Scalar>]]

    public var width: Int { input.outputSize }

    public init(inputSize: Int, width: Int = 128, blockCount: Int = 3, layersPerBlock: Int = 3,
                generator: inout RandomGenerator) {
        precondition(inputSize > 0 && width > 0 && blockCount >= 0 && layersPerBlock > 0, "ResidualMLP needs positive sizes")
        input = Linear(inputSize: inputSize, outputSize: width, generator: &generator)
        var blocks: [[Linear<Scalar>]] = []
        for _ in 0..<blockCount {
            blocks.append((0..<layersPerBlock).map { _ in Linear(inputSize: width, outputSize: width, generator: &generator) })
        }
        self.blocks = blocks
    }

    /// x `[n, inputSize]` → features `[n, width]`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let scale = Scalar(1 / 2.0.squareRoot())
        var h = input(x)
        for block in blocks {
            var u = h
            for layer in block { u = layer(u).silu() }
            h = (h + u) * scale
        }
        return h
    }

    public mutating func visitParameters(_ body: (inout Tensor<Scalar>) -> Void) {
        input.visitParameters(body)
        for b in blocks.indices {
            for l in blocks[b].indices { blocks[b][l].visitParameters(body) }
        }
    }

    public var parameterNames: [String] {
        var names = Self.prefixed("input", input.parameterNames)
        for (b, block) in blocks.enumerated() {
            for (l, layer) in block.enumerated() { names += Self.prefixed("blocks.\(b).\(2 * l)", layer.parameterNames) }
        }
        return names
    }

    /// Forward FLOPs for a batch of n rows (GEMMs and bias adds; activations not counted).
    public func flops(batch n: Int) -> Int {
        input.flops(batch: n) + blocks.joined().reduce(0) { $0 + $1.flops(batch: n) }
    }
}
