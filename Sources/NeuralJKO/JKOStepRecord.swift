/// What training one neural JKO step produced: its loss histories, work, time and status.
public struct JKOStepRecord: Sendable {
    /// Converged: every iteration ran with finite losses. Diverged: a loss or a network
    /// output became NaN or ±∞ at `iteration` (1-based) of JKO step `step`.
    public enum Status: Equatable, Sendable {
        case converged
        case diverged(step: Int, iteration: Int, loss: String, value: Float)
    }

    /// The JKO step k (training T_k: … → μ_{k+1}).
    public let step: Int
    public let status: Status
    /// Iterations run.
    public let iterations: Int
    /// Potential and map losses, one entry per `historyStride` iterations (each entry the
    /// mean over those iterations).
    public let potentialLosses: [Float]
    public let mapLosses: [Float]
    public let historyStride: Int
    /// Wall time of the training loop in seconds.
    public let seconds: Double
    /// The step's first-order optimality condition checked on the trained networks: the
    /// relative RMS residual of 2s(T − T_old) = ∇v(T) (`NeuralJKOTrainer.optimalityResidual`);
    /// nil for a diverged step.
    public var optimalityResidual: Double? = nil

    /// Iterations per second.
    public var rate: Double { seconds > 0 ? Double(iterations) / seconds : 0 }
    /// Mean losses over the last tenth of the step (the settled values).
    public var finalPotentialLoss: Float { Self.tailMean(potentialLosses) }
    public var finalMapLoss: Float { Self.tailMean(mapLosses) }

    static func tailMean(_ values: [Float]) -> Float {
        guard !values.isEmpty else { return .nan }
        let tail = values.suffix(max(1, values.count / 10))
        return tail.reduce(0, +) / Float(tail.count)
    }
}
