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
}

#if _endian(big)
#error("safetensors I/O copies raw memory and assumes a little-endian host")
#endif

extension SafeTensorsScalar {
    /// Appends the little-endian bytes of `values` to `bytes` (the raw memory of the
    /// little-endian host: one copy for a whole tensor).
    static func appendLittleEndian(_ values: UnsafeBufferPointer<Self>, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
    }

    /// Decodes `count` little-endian elements starting at `bytes[offset]`.
    static func decodeLittleEndian(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Self] {
        let source = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count * MemoryLayout<Self>.size)])
        return [Self](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            initialized = count
        }
    }
}

extension Float: SafeTensorsScalar {
    public static var safeTensorsDType: SafeTensorsDType { .float32 }
}

extension Double: SafeTensorsScalar {
    public static var safeTensorsDType: SafeTensorsDType { .float64 }
}
