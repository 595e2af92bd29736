import Foundation

/// A learning rate as a function of the optimisation step k = 0, 1, 2, …
///
/// Use: `optimizer.learningRate = schedule.learningRate(atStep: k)` before step k.
public protocol LearningRateSchedule: Sendable {
    /// η_k ≥ 0.
    func learningRate(atStep step: Int) -> Double
}

/// η_k = η for every k.
public struct ConstantLearningRate: LearningRateSchedule {
    public var value: Double

    public init(_ value: Double) {
        precondition(value >= 0, "learning rate must be non-negative")
        self.value = value
    }

    public func learningRate(atStep step: Int) -> Double { value }
}

/// Cosine annealing (Loshchilov & Hutter, SGDR, 2017) with an optional linear warm-up.
///
/// With base rate η, final rate η_min, W warm-up steps and K total steps:
/// ```
/// η_k = η (k + 1) / W                                    for k < W
/// η_k = η_min + (η − η_min)(1 + cos(π (k − W)/(K − W)))/2   for W ≤ k ≤ K
/// η_k = η_min                                             for k > K
/// ```
/// Without warm-up (W = 0) this is `torch.optim.lr_scheduler.CosineAnnealingLR` with
/// `T_max = K`, `eta_min = η_min`.
public struct CosineLearningRate: LearningRateSchedule {
    public var baseRate: Double
    public var finalRate: Double
    public var totalSteps: Int
    public var warmupSteps: Int

    public init(baseRate: Double, finalRate: Double = 0, totalSteps: Int, warmupSteps: Int = 0) {
        precondition(baseRate >= 0 && finalRate >= 0, "learning rates must be non-negative")
        precondition(totalSteps > warmupSteps && warmupSteps >= 0, "need 0 ≤ warmupSteps < totalSteps")
        self.baseRate = baseRate
        self.finalRate = finalRate
        self.totalSteps = totalSteps
        self.warmupSteps = warmupSteps
    }

    public func learningRate(atStep step: Int) -> Double {
        if step < warmupSteps { return baseRate * Double(step + 1) / Double(warmupSteps) }
        if step >= totalSteps { return finalRate }
        let progress = Double(step - warmupSteps) / Double(totalSteps - warmupSteps)
        return finalRate + (baseRate - finalRate) * (1 + cos(Double.pi * progress)) / 2
    }
}
