import Autodiff
import Foundation

/// The parameters of one or more layers in a safetensors file.
///
/// Each layer is stored under a prefix: parameter `trunk.input.weight` of the layer added
/// as `"map"` becomes tensor `map.trunk.input.weight`, with the layer's shape and dtype
/// (`F32` for `Float`, `F64` for `Double`). Python reads it with
/// `safetensors.numpy.load_file(path)`; the names are the PyTorch module paths of
/// `benchmarks/reference/sjko_toy_iteration.py` up to the numbering of sequential parts.
///
/// ```swift
/// var checkpoint = Checkpoint(metadata: ["step": "3"])
/// checkpoint.add(map, as: "map")
/// checkpoint.add(potential, as: "potential")
/// try checkpoint.write(to: url)                       // atomic
/// try Checkpoint(contentsOf: url).load(into: &map, from: "map")
/// ```
/// Loading checks that the tensors under the prefix are exactly the layer's parameters,
/// with the same shapes and dtypes, and throws a ``CheckpointError`` naming the first
/// tensor that differs; the layer is left unchanged when it throws.
public struct Checkpoint: Sendable {
    /// The underlying file (tensors in the order they were added).
    public private(set) var file: SafeTensorsFile

    /// An empty checkpoint with string metadata (run name, step, seed, …).
    public init(metadata: [String: String] = [:]) {
        file = SafeTensorsFile(tensors: [], metadata: metadata)
    }

    /// Reads and validates a checkpoint file.
    public init(contentsOf url: URL) throws {
        file = try SafeTensorsFile(contentsOf: url)
    }

    /// Wraps an already parsed file.
    public init(file: SafeTensorsFile) {
        self.file = file
    }

    public var metadata: [String: String] {
        get { file.metadata }
        set { file.metadata = newValue }
    }

    /// Stores every parameter of `layer` under `prefix.`.
    public mutating func add<L: Layer>(_ layer: L, as prefix: String) where L.Scalar: SafeTensorsScalar {
        let names = layer.parameterNames.map { "\(prefix).\($0)" }
        let parameters = layer.parameters
        precondition(names.count == parameters.count, "layer lists \(names.count) names for \(parameters.count) parameters")
        for (name, tensor) in zip(names, parameters) {
            append(StoredTensor(name: name, shape: tensor.shape, values: tensor.scalars))
        }
    }

    /// Appends one tensor; its name must be new.
    mutating func append(_ tensor: StoredTensor) {
        precondition(!file.tensors.contains { $0.name == tensor.name }, "checkpoint already holds tensor '\(tensor.name)'")
        file.tensors.append(tensor)
    }

    /// The tensors whose names start with `prefix.`.
    func tensors(under prefix: String) -> [StoredTensor] {
        file.tensors.filter { $0.name.hasPrefix(prefix + ".") }
    }

    /// The tensor specs a layer stored under `prefix` must match.
    public static func specs<L: Layer>(of layer: L, prefix: String) -> [TensorSpec] where L.Scalar: SafeTensorsScalar {
        zip(layer.parameterNames, layer.parameters).map {
            TensorSpec(name: "\(prefix).\($0)", shape: $1.shape, dtype: L.Scalar.safeTensorsDType)
        }
    }

    /// Replaces the parameters of `layer` by the tensors stored under `prefix.`, after
    /// checking names, shapes and dtypes.
    public func load<L: Layer>(into layer: inout L, from prefix: String) throws where L.Scalar: SafeTensorsScalar {
        let specs = Self.specs(of: layer, prefix: prefix)
        let own = tensors(under: prefix)
        try SafeTensorsFile(tensors: own).checkMatches(specs)
        var tensors: [Tensor<L.Scalar>] = []
        for spec in specs {
            let stored = own.first { $0.name == spec.name }!
            tensors.append(Tensor(shape: stored.shape, scalars: try stored.values(as: L.Scalar.self)))
        }
        layer.parameters = tensors
    }

    /// Writes the file atomically (temporary file, then rename).
    public func write(to url: URL) throws {
        try file.write(to: url)
    }
}
