import Autodiff
import NeuralNetworks
import NumericalCore

/// The trainer's whole state in a safetensors checkpoint (PyTorch-style tensor names), so
/// that training resumed from it continues exactly as if it had not stopped:
///
/// - `map.…`, `potential.…`: T and v (the official code's parameter names);
/// - `optimizer.map.….exp_avg|exp_avg_sq`, `optimizer.potential.…`: both Adams;
/// - `ema.map.…`: the map's parameter averages (when on);
/// - `previous_map.…`: the frozen T_old of S-JKO (after step 1), or `chain.K.…` for every
///   kept map of the chain;
/// - metadata `completed_steps`, the random stream in the caller's arrays.
extension NeuralJKOTrainer where Potential.Scalar: SafeTensorsScalar {
    /// The state after ``completedSteps`` steps.
    public func checkpoint(metadata: [String: String] = [:]) -> Checkpoint {
        var checkpoint = Checkpoint(metadata: metadata)
        checkpoint.metadata["completed_steps"] = String(completedSteps)
        checkpoint.add(pair.map, as: "map")
        checkpoint.add(pair.potential, as: "potential")
        checkpoint.add(pair.mapOptimizer, of: pair.map, as: "optimizer.map")
        checkpoint.add(pair.potentialOptimizer, of: pair.potential, as: "optimizer.potential")
        if let average { checkpoint.add(average, of: pair.map, as: "ema.map") }
        if let previousMap { checkpoint.add(previousMap, as: "previous_map") }
        for (k, map) in chain.enumerated() { checkpoint.add(map, as: "chain.\(k)") }
        return checkpoint
    }

    /// Only what samples the current iterate: `map.…` = the sampling map (EMA weights when
    /// on; S-JKO) or `chain.K.…` (chain), metadata `completed_steps`.
    public func samplerCheckpoint() -> Checkpoint {
        var checkpoint = Checkpoint(metadata: ["completed_steps": String(completedSteps)])
        switch settings.parametrisation {
        case .sjko: checkpoint.add(samplingMap, as: "map")
        case .chain: for (k, map) in chain.enumerated() { checkpoint.add(map, as: "chain.\(k)") }
        }
        return checkpoint
    }

    /// A fresh trainer made to sample the iterate saved by ``samplerCheckpoint()`` (it
    /// cannot train on from there: optimiser state and the potential are not in that file).
    public mutating func restoreSampler(from checkpoint: Checkpoint) throws {
        guard let text = checkpoint.metadata["completed_steps"], let steps = Int(text), steps >= 0 else {
            throw CheckpointError.corrupt(tensor: nil, reason: "metadata 'completed_steps' is missing or not a count")
        }
        var copy = self
        copy.average = nil
        copy.chain = []
        switch settings.parametrisation {
        case .sjko: if steps > 0 { try checkpoint.load(into: &copy.pair.map, from: "map") }
        case .chain:
            for k in 0..<steps {
                var map = copy.pair.map
                try checkpoint.load(into: &map, from: "chain.\(k)")
                copy.chain.append(map)
            }
        }
        copy.completedSteps = steps
        self = copy
    }

    /// Restores a fresh trainer (same problem, settings and architectures) from a
    /// ``checkpoint(metadata:)``; throws a ``CheckpointError`` naming the first tensor that
    /// does not fit, leaving the trainer unchanged.
    public mutating func restore(from checkpoint: Checkpoint) throws {
        guard let text = checkpoint.metadata["completed_steps"], let steps = Int(text), steps >= 0 else {
            throw CheckpointError.corrupt(tensor: nil, reason: "metadata 'completed_steps' is missing or not a count")
        }
        var copy = self
        try checkpoint.load(into: &copy.pair.map, from: "map")
        try checkpoint.load(into: &copy.pair.potential, from: "potential")
        try checkpoint.load(into: &copy.pair.mapOptimizer, of: copy.pair.map, from: "optimizer.map")
        try checkpoint.load(into: &copy.pair.potentialOptimizer, of: copy.pair.potential, from: "optimizer.potential")
        if copy.average != nil { try checkpoint.load(into: &copy.average!, of: copy.pair.map, from: "ema.map") }
        copy.previousMap = nil
        copy.chain = []
        switch settings.parametrisation {
        case .sjko where steps > 0:
            var previous = copy.pair.map
            try checkpoint.load(into: &previous, from: "previous_map")
            copy.previousMap = previous
        case .chain:
            for k in 0..<steps {
                var map = copy.pair.map
                try checkpoint.load(into: &map, from: "chain.\(k)")
                copy.chain.append(map)
            }
        default: break
        }
        copy.completedSteps = steps
        self = copy
    }
}
