import Autodiff

/// Optimiser state and parameter averages in a checkpoint, beside the parameters, so that
/// training resumed from the file continues exactly as if it had not stopped.
///
/// Layout (prefix `P`, parameter names of the layer the state belongs to):
/// - optimiser: tensors `P.<parameter>.<buffer>` (buffers ``StatefulOptimizer/bufferNames``,
///   e.g. `optimizer.map.trunk.input.weight.exp_avg`), each of its parameter's shape, and
///   metadata `P.step` = the step count;
/// - average: tensors `P.<parameter>` (e.g. `ema.map.head.2.bias`) and metadata
///   `P.updates` = the update count.
/// Choose prefixes that do not start with a layer's prefix followed by a dot
/// (`optimizer.map`, not `map.optimizer`), so that loading the layer sees only its own tensors.
extension Checkpoint {
    /// Stores the state of `optimizer`, which trains `layer` (slot k ↔ parameter k).
    public mutating func add<L: Layer, O: StatefulOptimizer>(_ optimizer: O, of layer: L, as prefix: String)
    where L.Scalar: SafeTensorsScalar, O.Scalar == L.Scalar {
        let state = optimizer.state
        precondition(state.buffers.count <= layer.parameters.count,
                     "optimiser has state for \(state.buffers.count) slots, the layer has \(layer.parameters.count) parameters")
        metadata["\(prefix).step"] = String(state.stepCount)
        let parameters = layer.parameters
        for (slot, name) in layer.parameterNames.enumerated() where slot < state.buffers.count {
            for buffer in O.bufferNames {
                guard let values = state.buffers[slot][buffer] else { continue }
                precondition(values.count == parameters[slot].scalarCount, "optimiser slot \(slot) does not fit parameter '\(name)'")
                append(StoredTensor(name: "\(prefix).\(name).\(buffer)", shape: parameters[slot].shape, values: values))
            }
        }
    }

    /// Restores the state of `optimizer` (which trains `layer`) stored under `prefix`,
    /// after checking that the file holds, for every parameter, either all of the
    /// optimiser's buffers with the parameter's shape and dtype or — before the first
    /// step — none. `optimizer` is unchanged when it throws.
    public func load<L: Layer, O: StatefulOptimizer>(into optimizer: inout O, of layer: L, from prefix: String) throws
    where L.Scalar: SafeTensorsScalar, O.Scalar == L.Scalar {
        let steps = try count(named: "\(prefix).step")
        let own = tensors(under: prefix)
        let names = layer.parameterNames, parameters = layer.parameters
        guard !own.isEmpty else {
            optimizer.restore(OptimizerState(stepCount: steps, buffers: names.map { _ in [:] }))
            return
        }
        let specs = zip(names, parameters).flatMap { name, parameter in
            O.bufferNames.map {
                TensorSpec(name: "\(prefix).\(name).\($0)", shape: parameter.shape, dtype: L.Scalar.safeTensorsDType)
            }
        }
        try SafeTensorsFile(tensors: own).checkMatches(specs)
        var buffers: [[String: [L.Scalar]]] = []
        for name in names {
            var slot: [String: [L.Scalar]] = [:]
            for buffer in O.bufferNames {
                slot[buffer] = try own.first { $0.name == "\(prefix).\(name).\(buffer)" }!.values(as: L.Scalar.self)
            }
            buffers.append(slot)
        }
        optimizer.restore(OptimizerState(stepCount: steps, buffers: buffers))
    }

    /// Stores the parameter averages of `average`, which follows `layer`.
    public mutating func add<L: Layer>(_ average: ExponentialMovingAverage<L.Scalar>, of layer: L, as prefix: String)
    where L.Scalar: SafeTensorsScalar {
        metadata["\(prefix).updates"] = String(average.updateCount)
        guard average.updateCount > 0 else { return }
        let parameters = layer.parameters
        precondition(average.averages.count == parameters.count,
                     "the average tracks \(average.averages.count) parameters, the layer has \(parameters.count)")
        for (name, (parameter, values)) in zip(layer.parameterNames, zip(parameters, average.averages)) {
            append(StoredTensor(name: "\(prefix).\(name)", shape: parameter.shape, values: values))
        }
    }

    /// Restores parameter averages of `layer` stored under `prefix` (names, shapes and
    /// dtypes checked as for the layer itself). `average` is unchanged when it throws.
    public func load<L: Layer>(into average: inout ExponentialMovingAverage<L.Scalar>, of layer: L, from prefix: String) throws
    where L.Scalar: SafeTensorsScalar {
        let updates = try count(named: "\(prefix).updates")
        let own = tensors(under: prefix)
        guard updates > 0 else {
            if let extra = own.first { throw CheckpointError.unexpectedTensor(extra.name) }
            average.restore(updateCount: 0, averages: [])
            return
        }
        let specs = Self.specs(of: layer, prefix: prefix)
        try SafeTensorsFile(tensors: own).checkMatches(specs)
        let averages = try specs.map { spec in try own.first { $0.name == spec.name }!.values(as: L.Scalar.self) }
        average.restore(updateCount: updates, averages: averages)
    }

    /// A non-negative integer from the metadata, or an error naming the key.
    private func count(named key: String) throws -> Int {
        guard let text = metadata[key] else {
            throw CheckpointError.corrupt(tensor: nil, reason: "metadata '\(key)' is missing; was this state saved under another prefix?")
        }
        guard let value = Int(text), value >= 0 else {
            throw CheckpointError.corrupt(tensor: nil, reason: "metadata '\(key)' = '\(text)' is not a non-negative integer")
        }
        return value
    }
}
