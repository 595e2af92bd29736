/// What a model expects of one stored tensor: its name, shape and element type.
public struct TensorSpec: Equatable, Sendable {
    public var name: String
    public var shape: [Int]
    public var dtype: SafeTensorsDType

    public init(name: String, shape: [Int], dtype: SafeTensorsDType) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
    }
}

extension SafeTensorsFile {
    /// Throws the first difference between the file and a model's parameter list, in the
    /// model's order: a missing tensor, then a dtype, then a shape mismatch; then the first
    /// tensor of the file the model does not have. Each error names the tensor.
    public func checkMatches(_ specs: [TensorSpec]) throws {
        var byName: [String: StoredTensor] = [:]
        for t in tensors { byName[t.name] = t }
        for spec in specs {
            guard let stored = byName[spec.name] else { throw CheckpointError.missingTensor(spec.name) }
            guard stored.dtype == spec.dtype else {
                throw CheckpointError.dtypeMismatch(tensor: spec.name, file: stored.dtype, model: spec.dtype)
            }
            guard stored.shape == spec.shape else {
                throw CheckpointError.shapeMismatch(tensor: spec.name, file: stored.shape, model: spec.shape)
            }
        }
        let expected = Set(specs.map(\.name))
        if let extra = tensors.first(where: { !expected.contains($0.name) }) {
            throw CheckpointError.unexpectedTensor(extra.name)
        }
    }
}
