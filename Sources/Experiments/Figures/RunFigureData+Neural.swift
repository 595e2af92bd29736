import Autodiff
import Foundation
import NeuralJKO
import NeuralNetworks
import NumericalCore

/// What the neural figures read from a run: its neural columns, the exact column they are
/// compared with, the loss histories (`training/METHOD/step-KKKK.npy`) and the trained
/// networks of the latest checkpoint (`checkpoints/METHOD/…`).
extension RunFigureData {
    /// The run's neural columns (`neural-sjko`, `neural-chain`), in config order.
    public var neuralMethods: [String] { methods.filter { $0.hasPrefix("neural-") } }

    /// The exact column a neural flow is compared with: the exact Gaussian JKO iterate when
    /// the run has it (the scheme the network discretises), else the reference (`analytic`,
    /// a finite-volume grid, …).
    public var neuralComparator: String {
        methods.contains("gaussian-jko") ? "gaussian-jko" : reference
    }

    /// The loss history of JKO step `step` (run step k ≥ 1 trains JKO step k − 1):
    /// `iterations` (the last iteration of each history entry), L_v and L_T; nil when the run
    /// did not save it. Entries are means over `max(1, I/200)` iterations (I the step's count).
    public func lossHistory(_ method: String, step: Int) -> (iterations: [Double], potential: [Double], map: [Double])? {
        let url = folder.trainingURL(step: step, method: method)
        guard let array = try? NPYArray(contentsOf: url), array.shape.count == 2, array.shape[1] == 2, array.shape[0] > 0 else { return nil }
        let entries = array.shape[0]
        let total = config.neuralSettings(method: method).iterations(ofStep: step - 1)
        let stride = max(1, total / 200)
        let iterations = (0..<entries).map { Double(min(($0 + 1) * stride, max(total, entries))) }
        return (iterations, (0..<entries).map { array.values[2 * $0] }, (0..<entries).map { array.values[2 * $0 + 1] })
    }

    /// Run steps of `method` that have a loss history, ascending.
    public func trainedSteps(_ method: String) -> [Int] {
        (1...max(stepCount, 1)).filter { FileManager.default.fileExists(atPath: folder.trainingURL(step: $0, method: method).path) }
    }

    /// The trained networks of `method` at its latest readable checkpoint (the trainer then
    /// represents μ_step; its potential and map are those of JKO step `step − 1`), or nil when
    /// the run kept no checkpoint of a trained step.
    public func trainedFlow(_ method: String) -> (trainer: NeuralJKOTrainer<FlowMap<Float>, FlowPotential<Float>>, step: Int)? {
        guard let index = methods.firstIndex(of: method) else { return nil }
        for step in folder.checkpointSteps(method: method).reversed() where step > 0 {
            guard let column = try? MethodRegistry.make(method, config: config,
                                                        generator: MethodRegistry.generator(seed: config.seed, methodIndex: index)) as? NeuralJKOMethod,
                  let checkpoint = try? folder.loadCheckpoint(step: step, method: method),
                  (try? column.restore(step: step, from: checkpoint)) != nil else { continue }
            return (column.flow, step)
        }
        return nil
    }

    /// The effective time step of JKO step `step − 1` of a neural column: 1/(2s) with s the
    /// cost scale, i.e. h_k, or d·h_k under `neural.cost = per-dimension`.
    public func neuralTimeStep(_ method: String, step: Int) -> Double {
        let steps = config.neuralTimeSteps
        let h = steps.isEmpty ? config.flow.timeStep : steps[min(max(step - 1, 0), steps.count - 1)]
        return config.neuralSettings(method: method).costNormalisation == .perDimension ? h * Double(dimension) : h
    }
}
