import Foundation

/// An n-dimensional array stored in NumPy's `.npy` format (version 1.0), so Python users
/// can `numpy.load` what the toolkit writes and the toolkit can read what they write.
///
/// Writes little-endian float64 (`<f8`) in C order. Reads `<f8` and `<f4` in C order
/// (values widened to Double). Shapes of any rank; a point cloud is `[n, d]`.
public struct NPYArray: Equatable, Sendable {
    public var shape: [Int]
    /// C-order (row-major) values.
    public var values: [Double]

    public init(shape: [Int], values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "NPYArray: shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    /// A point cloud `[rows, columns]`.
    public init(_ matrix: Matrix) { self.init(shape: matrix.shape, values: matrix.elements) }

    /// The array as a `[n, d]` matrix (a 1-D array becomes `[n, 1]`).
    public func matrix() throws -> Matrix {
        switch shape.count {
        case 1: return Matrix(rows: shape[0], columns: 1, elements: values)
        case 2: return Matrix(rows: shape[0], columns: shape[1], elements: values)
        default: throw NPYError.unsupported("expected a 1-D or 2-D array [n, d], found shape \(shape)")
        }
    }

    // MARK: Encoding

    /// The `.npy` bytes: magic, version 1.0, a header padded to a multiple of 64 bytes, data.
    public func encoded() -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { buffer in
            buffer.forEach { v in
                var le = v.bitPattern.littleEndian
                withUnsafeBytes(of: &le) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Writes the file atomically (temporary file in the same folder, then rename).
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }

    // MARK: Decoding

    /// The most values a file may hold: 2³⁰ (8 GiB as Double). Larger shapes are refused
    /// before anything is allocated.
    public static let maximumValueCount = 1 << 30

    /// Reads a `.npy` file; every failure is an ``NPYError`` naming the file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try FileSystem.read(url) } catch let error as FileAccessError {
            if error.code == EISDIR { throw NPYError.unreadable("\(url.path) is a folder, not a .npy file; give the path of a .npy file") }
            throw NPYError.unreadable("cannot read \(url.path): \(error.reason); \(error.code == ENOENT ? "give the path of a .npy file" : error.fix)")
        }
        try self.init(data: data, name: url.path)
    }

    /// Parses `.npy` bytes. The header is checked field by field and the shape with
    /// overflow-checked arithmetic against the bytes present and ``maximumValueCount``,
    /// so a damaged or hostile header gives an ``NPYError``, never a trap or a huge allocation.
    public init(data: Data, name: String = "array") throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw NPYError.unreadable("\(name) is not a NumPy .npy file (bad magic bytes)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; headerStart = 10
        } else if major == 2 || major == 3 {
            guard bytes.count >= 12 else { throw NPYError.unreadable("\(name): truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        } else {
            throw NPYError.unsupported("\(name): .npy format version \(major) is not supported")
        }
        guard bytes.count - headerStart >= headerLength,
              let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8) else {
            throw NPYError.unreadable("\(name): truncated header")
        }
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrField = field("descr"), let shapeField = field("shape") else {
            throw NPYError.unreadable("\(name): header lacks 'descr' or 'shape'")
        }
        let descr = descrField.split(separator: "'", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? ""
        if let fo = field("fortran_order"), fo.hasPrefix("True") {
            throw NPYError.unsupported("\(name): Fortran-order arrays are not supported; save with numpy.ascontiguousarray")
        }
        let shape = try Self.parseShape(shapeField, name: name)
        let itemSize: Int
        switch descr {
        case "<f8": itemSize = 8
        case "<f4": itemSize = 4
        case ">f8", ">f4":
            throw NPYError.unsupported("\(name): the values are big-endian (\(descr)); save them little-endian, e.g. numpy.save(path, array.astype('<f8'))")
        default:
            throw NPYError.unsupported("\(name): dtype \(descr) is not supported; save as float64 or float32 (little-endian)")
        }
        let count = try Self.valueCount(shape, itemSize: itemSize, available: bytes.count - headerStart - headerLength, name: name)
        let body = headerStart + headerLength
        var out = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            if itemSize == 8 {
                for i in 0..<count { out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: body + 8 * i, as: UInt64.self))) }
            } else {
                for i in 0..<count { out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: body + 4 * i, as: UInt32.self)))) }
            }
        }
        self.init(shape: shape, values: out)
    }

    /// The dimensions of a header's `'shape': (a, b, …)` field: non-negative integers.
    static func parseShape(_ field: String, name: String) throws -> [Int] {
        guard let open = field.firstIndex(of: "("), let close = field.firstIndex(of: ")"), open < close else {
            throw NPYError.unreadable("\(name): malformed shape in header")
        }
        let dims = field[field.index(after: open)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var shape = [Int]()
        for text in dims {
            guard let value = Int(text) else { throw NPYError.unreadable("\(name): malformed shape (\(dims.joined(separator: ", "))) in header") }
            guard value >= 0 else {
                throw NPYError.unreadable("\(name): the header's shape (\(dims.joined(separator: ", "))) has a negative dimension; the file is damaged: write it again")
            }
            shape.append(value)
        }
        return shape
    }

    /// The number of values of `shape`, checked (without overflow) against the memory limit
    /// and the `available` data bytes.
    static func valueCount(_ shape: [Int], itemSize: Int, available: Int, name: String) throws -> Int {
        let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= maximumValueCount else {
                throw NPYError.unsupported("\(name): the header's shape \(shapeText) holds more than \(maximumValueCount) values (8 GiB), the most this toolkit reads; the file is damaged or too large")
            }
            count = product
        }
        guard available / itemSize >= count else {
            throw NPYError.unreadable("\(name): data truncated: the header's shape \(shapeText) needs \(count * itemSize) bytes of values, the file has \(available); the file was cut short: write it again")
        }
        return count
    }
}

/// Why a `.npy` file cannot be read; each case is one sentence naming the file.
public enum NPYError: Error, CustomStringConvertible {
    case unreadable(String)
    case unsupported(String)
    public var description: String {
        switch self { case let .unreadable(s), let .unsupported(s): return s }
    }
}
