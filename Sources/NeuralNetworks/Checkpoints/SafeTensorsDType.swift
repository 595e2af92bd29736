/// Element types a safetensors file of this toolkit may hold.
///
/// The raw values are the safetensors spellings (`"F32"`, `"F64"`), so the JSON header
/// reads the same in Python (`safetensors.numpy.load_file`, `torch.load` via safetensors).
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    /// IEEE-754 binary32, little-endian.
    case float32 = "F32"
    /// IEEE-754 binary64, little-endian.
    case float64 = "F64"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float32: return 4
        case .float64: return 8
        }
    }
}

/// A floating-point scalar that can be stored in a safetensors file.
///
/// Float and Double conform; the conversion goes through the IEEE bit pattern, so a value
/// written and read back is bit-identical (NaN payloads and signed zeros included).
public protocol SafeTensorsScalar: BinaryFloatingPoint {
    /// The dtype this Swift type is stored as.
    static var safeTensorsDType: SafeTensorsDType { get }
    /// Appends the little-endian bytes of `values` to `bytes`.
    static func appendLittleEndian(_ values: UnsafeBufferPointer<Self>, to bytes: inout [UInt8])
    /// Decodes `count` little-endian elements starting at `bytes[offset]`.
    static func decodeLittleEndian(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Self]
}

extension Float: SafeTensorsScalar {
    public static var safeTensorsDType: SafeTensorsDType { .float32 }

    public static func appendLittleEndian(_ values: UnsafeBufferPointer<Float>, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for v in values {
            let bits = v.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
    }

    public static func decodeLittleEndian(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Float] {
        (0..<count).map { i in
            Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)))
        }
    }
}

extension Double: SafeTensorsScalar {
    public static var safeTensorsDType: SafeTensorsDType { .float64 }

    public static func appendLittleEndian(_ values: UnsafeBufferPointer<Double>, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + 8 * values.count)
        for v in values {
            let bits = v.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
    }

    public static func decodeLittleEndian(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Double] {
        (0..<count).map { i in
            Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self)))
        }
    }
}
