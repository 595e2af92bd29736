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

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw NPYError.unreadable("cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(data: data, name: url.lastPathComponent)
    }

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
        guard bytes.count >= headerStart + headerLength,
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
        let descr = descrField.split(separator: "'").first.map(String.init) ?? ""
        if let fo = field("fortran_order"), fo.hasPrefix("True") {
            throw NPYError.unsupported("\(name): Fortran-order arrays are not supported; save with numpy.ascontiguousarray")
        }
        guard let open = shapeField.firstIndex(of: "("), let close = shapeField.firstIndex(of: ")") else {
            throw NPYError.unreadable("\(name): malformed shape in header")
        }
        let dims = shapeField[shapeField.index(after: open)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let parsed = dims.compactMap { Int($0) }
        guard parsed.count == dims.count else { throw NPYError.unreadable("\(name): malformed shape \(dims)") }
        let count = parsed.reduce(1, *)
        let body = headerStart + headerLength
        switch descr {
        case "<f8":
            guard bytes.count >= body + 8 * count else { throw NPYError.unreadable("\(name): data truncated (expected \(count) float64 values)") }
            var out = [Double](repeating: 0, count: count)
            for i in 0..<count {
                var bits: UInt64 = 0
                for b in 0..<8 { bits |= UInt64(bytes[body + 8 * i + b]) << (8 * UInt64(b)) }
                out[i] = Double(bitPattern: bits)
            }
            self.init(shape: parsed, values: out)
        case "<f4":
            guard bytes.count >= body + 4 * count else { throw NPYError.unreadable("\(name): data truncated (expected \(count) float32 values)") }
            var out = [Double](repeating: 0, count: count)
            for i in 0..<count {
                var bits: UInt32 = 0
                for b in 0..<4 { bits |= UInt32(bytes[body + 4 * i + b]) << (8 * UInt32(b)) }
                out[i] = Double(Float(bitPattern: bits))
            }
            self.init(shape: parsed, values: out)
        default:
            throw NPYError.unsupported("\(name): dtype \(descr) is not supported; save as float64 or float32 (little-endian)")
        }
    }
}

public enum NPYError: Error, CustomStringConvertible {
    case unreadable(String)
    case unsupported(String)
    public var description: String {
        switch self { case let .unreadable(s), let .unsupported(s): return s }
    }
}

/// Atomic file writes: write a temporary file next to the target, then rename over it,
/// so a reader (or a resumed run) never sees half a file.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
