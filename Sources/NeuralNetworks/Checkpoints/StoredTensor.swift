/// One named tensor as it sits in a safetensors file: dtype, shape and raw
/// little-endian bytes (row-major, C order, as numpy and PyTorch expect).
public struct StoredTensor: Equatable, Sendable {
    /// The tensor's key in the file, e.g. `"potential.trunk.3.weight"`.
    public let name: String
    /// Element type.
    public let dtype: SafeTensorsDType
    /// Row-major shape; `[]` is a scalar.
    public let shape: [Int]
    /// `shape.product × dtype.byteCount` little-endian bytes.
    public let bytes: [UInt8]

    /// Number of elements, Πᵢ shapeᵢ.
    public var elementCount: Int { shape.reduce(1, *) }

    /// Stores `values` (row-major, `shape.product` of them) bit-exactly.
    public init<Scalar: SafeTensorsScalar>(name: String, shape: [Int], values: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "tensor '\(name)': negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == values.count,
                     "tensor '\(name)': shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        var bytes: [UInt8] = []
        values.withUnsafeBufferPointer { Scalar.appendLittleEndian($0, to: &bytes) }
        self.init(name: name, dtype: Scalar.safeTensorsDType, shape: shape, bytes: bytes)
    }

    /// Wraps raw bytes; the caller guarantees `bytes.count == elementCount × dtype.byteCount`.
    init(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// The elements decoded as `Scalar`; throws `dtypeMismatch` naming the tensor when the
    /// stored dtype is not `Scalar`'s (no silent conversion).
    public func values<Scalar: SafeTensorsScalar>(as type: Scalar.Type = Scalar.self) throws -> [Scalar] {
        guard dtype == Scalar.safeTensorsDType else {
            throw CheckpointError.dtypeMismatch(tensor: name, file: dtype, model: Scalar.safeTensorsDType)
        }
        return bytes.withUnsafeBytes { Scalar.decodeLittleEndian($0, offset: 0, count: elementCount) }
    }

    /// The CRC-32 of the raw bytes (stored in the file's metadata).
    var checksum: UInt32 { CRC32.checksum(of: bytes) }
}
