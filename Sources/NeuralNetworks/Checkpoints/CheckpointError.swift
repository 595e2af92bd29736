/// Why a checkpoint could not be read or does not fit the model it is loaded into.
///
/// Every case that concerns one tensor names it, so a message reads like
/// “tensor 'map.trunk.2.weight': shape [128, 128] in the file, [128, 64] in the model”.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file is damaged or not a safetensors file; `tensor` is the first tensor
    /// involved, when the damage can be pinned to one.
    case corrupt(tensor: String?, reason: String)
    /// The model has a parameter the file lacks.
    case missingTensor(String)
    /// The file holds a tensor the model has no parameter for.
    case unexpectedTensor(String)
    /// Same name, different shape.
    case shapeMismatch(tensor: String, file: [Int], model: [Int])
    /// Same name, different element type.
    case dtypeMismatch(tensor: String, file: SafeTensorsDType, model: SafeTensorsDType)

    public var description: String {
        switch self {
        case let .corrupt(tensor?, reason):
            return "corrupt checkpoint: tensor '\(tensor)': \(reason)"
        case let .corrupt(nil, reason):
            return "corrupt checkpoint: \(reason)"
        case let .missingTensor(name):
            return "checkpoint lacks tensor '\(name)' that the model needs"
        case let .unexpectedTensor(name):
            return "checkpoint holds tensor '\(name)' that the model does not have"
        case let .shapeMismatch(name, file, model):
            return "tensor '\(name)': shape \(file) in the checkpoint, \(model) in the model"
        case let .dtypeMismatch(name, file, model):
            return "tensor '\(name)': dtype \(file.rawValue) in the checkpoint, \(model.rawValue) in the model"
        }
    }

    /// The tensor the error is about, if any.
    public var tensorName: String? {
        switch self {
        case let .corrupt(tensor, _): return tensor
        case let .missingTensor(name), let .unexpectedTensor(name): return name
        case let .shapeMismatch(name, _, _), let .dtypeMismatch(name, _, _): return name
        }
    }
}
