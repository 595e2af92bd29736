/// Activation functions. The frequent ones (SiLU, ReLU, tanh, sigmoid) pull back through
/// one fused kernel when the sweep is first order, and through a composite of
/// differentiable tensor operations when a higher-order gradient is being recorded.
extension Tensor {
    /// σ(x) = 1/(1 + e^{−x}). Pullback ḡ·y(1 − y).
    public func sigmoid() -> Tensor {
        let x = self
        return Tensor.record(applying(.sigmoid), from: x) { ḡ, y in
            Tensor.isRecording ? ḡ * (y * (1 - y)) : ḡ.derivativeTimes(.sigmoid, input: x, output: y)
        }
    }

    /// tanh x. Pullback ḡ·(1 − y²).
    public func tanh() -> Tensor {
        let x = self
        return Tensor.record(applying(.tanh), from: x) { ḡ, y in
            Tensor.isRecording ? ḡ * (1 - y * y) : ḡ.derivativeTimes(.tanh, input: x, output: y)
        }
    }

    /// softplus(x) = log(1 + eˣ), computed overflow-free. Pullback ḡ·σ(x).
    public func softplus() -> Tensor {
        let x = self
        return Tensor.record(applying(.softplus), from: x) { ḡ, _ in ḡ * x.sigmoid() }
    }

    /// SiLU (swish) x·σ(x). Pullback ḡ·σ(x)(1 + x(1 − σ(x))). When recorded, the forward
    /// kernel also keeps σ(x), so a first-order sweep needs no second exponential.
    public func silu() -> Tensor {
        let x = self
        guard x.isRecorded else { return applying(.silu) }
        let (y, s) = siluAndLogistic()
        return Tensor.record(y, from: x) { ḡ, _ in
            guard Tensor.isRecording else { return ḡ.siluDerivativeTimes(input: x, logistic: s) }
            return ḡ * x.siluDerivative()
        }
    }

    /// SiLU′(x) = σ(x)(1 + x(1 − σ(x))), the factor in SiLU's pullback, as a primitive so
    /// that a recorded (second-order) sweep costs one pass. Pullback ḡ·SiLU″(x) with
    /// SiLU″ = σ(1 − σ)(2 + x(1 − 2σ)): fused at second order, tensor operations above.
    func siluDerivative() -> Tensor {
        let x = self
        return Tensor.record(applying(.siluDerivative), from: x) { ḡ, y in
            guard Tensor.isRecording else { return ḡ.derivativeTimes(.siluDerivative, input: x, output: y) }
            let σ = x.sigmoid()
            return ḡ * (σ * (1 - σ) * (2 + x * (1 - σ * 2)))
        }
    }

    /// max(x, 0). Pullback ḡ·1[x > 0] (0 at x = 0, as in PyTorch).
    public func relu() -> Tensor {
        let x = self
        return Tensor.record(applying(.relu), from: x) { ḡ, y in
            Tensor.isRecording ? ḡ * x.applying(.step) : ḡ.derivativeTimes(.relu, input: x, output: y)
        }
    }

    /// x for x > 0, slope·x otherwise. Pullback ḡ·(1 or slope).
    public func leakyRelu(slope: Scalar = 0.01) -> Tensor {
        let x = self
        return Tensor.record(applying(.leakyRelu(slope)), from: x) { ḡ, y in
            Tensor.isRecording ? ḡ * x.applying(.leakySlope(slope))
                : ḡ.derivativeTimes(.leakyRelu(slope), input: x, output: y)
        }
    }
}
