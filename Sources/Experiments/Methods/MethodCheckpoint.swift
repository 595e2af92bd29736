import Foundation
import NeuralNetworks
import NumericalCore

/// Everything a ``FlowMethod`` needs to continue after a step, as named float64 arrays:
/// its iterate (particle positions, cell values, mesh node positions, a mean and a
/// covariance) and the position of its random stream (``RandomGenerator/snapshot``).
///
/// The runner saves one per method and step as a safetensors file,
/// `checkpoints/METHOD/step-KKKK.safetensors` (``RunFolder/checkpointURL(step:method:)``):
/// every array as an `F64` tensor (names sorted, values bit-exact, a CRC-32 per tensor),
/// metadata `method` and `step`. Python reads it with `safetensors.numpy.load_file`.
public struct MethodCheckpoint: Equatable, Sendable {
    /// The arrays by name, each with its shape (`positions` `[N]`, `covariance` `[d, d]`, …).
    public var arrays: [String: NPYArray]
    /// Network state (Float tensors and their metadata: parameters, optimiser moments,
    /// averages) of a neural method, stored in the same file beside the arrays; nil for
    /// the exact methods.
    public var network: SafeTensorsFile?

    public init(_ arrays: [String: NPYArray] = [:], network: SafeTensorsFile? = nil) {
        self.arrays = arrays
        self.network = network
    }

    /// A checkpoint that does not fit the method or the run (named array missing or of
    /// the wrong size, file of another method or step, failed checksum).
    public struct Invalid: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The array's name for the random stream.
    static let generatorKey = "generator"

    /// Stores `values` under `name` with `shape` (default `[values.count]`).
    public mutating func set(_ name: String, _ values: [Double], shape: [Int]? = nil) {
        arrays[name] = NPYArray(shape: shape ?? [values.count], values: values)
    }

    /// The values of array `name`; with `count`, they must number exactly that many.
    public func values(_ name: String, count: Int? = nil) throws -> [Double] {
        guard let array = arrays[name] else { throw Invalid(reason: "the checkpoint has no array '\(name)'") }
        if let count, array.values.count != count {
            throw Invalid(reason: "the checkpoint's array '\(name)' has \(array.values.count) values where the run needs \(count)")
        }
        return array.values
    }

    /// Stores the position of a random stream.
    public mutating func set(generator: RandomGenerator) {
        set(Self.generatorKey, generator.snapshot)
    }

    /// The random stream saved by ``set(generator:)``.
    public func generator() throws -> RandomGenerator {
        guard let generator = RandomGenerator(snapshot: try values(Self.generatorKey)) else {
            throw Invalid(reason: "the checkpoint's array '\(Self.generatorKey)' is not a random-generator snapshot")
        }
        return generator
    }

    // MARK: File form

    /// The safetensors file of this checkpoint for `method` after `step`.
    public func file(method: String, step: Int) -> SafeTensorsFile {
        var metadata = network?.metadata ?? [:]
        metadata["method"] = method
        metadata["step"] = String(step)
        return SafeTensorsFile(tensors: arrays.keys.sorted().map { StoredTensor(name: $0, shape: arrays[$0]!.shape, values: arrays[$0]!.values) }
                                   + (network?.tensors ?? []),
                               metadata: metadata)
    }

    /// Reads a file written by ``file(method:step:)`` and checks it belongs to `method`
    /// after `step`.
    public init(file: SafeTensorsFile, method: String, step: Int) throws {
        guard file.metadata["method"] == method, file.metadata["step"] == String(step) else {
            throw Invalid(reason: "the checkpoint belongs to method '\(file.metadata["method"] ?? "?")' step \(file.metadata["step"] ?? "?"), not '\(method)' step \(step)")
        }
        var arrays = [String: NPYArray]()
        var network = [StoredTensor]()
        for tensor in file.tensors {
            if tensor.dtype == .float64 {
                arrays[tensor.name] = NPYArray(shape: tensor.shape, values: try tensor.values(as: Double.self))
            } else {
                network.append(tensor)
            }
        }
        var metadata = file.metadata
        metadata["method"] = nil
        metadata["step"] = nil
        self.init(arrays, network: network.isEmpty && metadata.isEmpty ? nil : SafeTensorsFile(tensors: network, metadata: metadata))
    }
}
