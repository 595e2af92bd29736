import Foundation
import NumericalCore

/// A safetensors file: named tensors plus string metadata.
///
/// Layout (https://huggingface.co/docs/safetensors): an 8-byte little-endian `UInt64` N,
/// then N bytes of JSON header, then the data section. The header maps each tensor name to
/// `{"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]}` (byte offsets into the
/// data section) and may hold `"__metadata__": {string: string}`. Python opens the files
/// with `safetensors.numpy.load_file(path)` or `safetensors.torch.load_file(path)`.
///
/// This writer keeps the tensors in the given order, packs them without gaps, pads the
/// header with spaces to a multiple of 8 bytes, and adds one metadata entry
/// `"crc32:<name>"` (8 hex digits) per tensor. The reader checks every header field, that
/// the tensors tile the data section exactly, and each checksum present, and names the
/// tensor at fault in the error. Encoding is deterministic: the same tensors give the same
/// bytes.
public struct SafeTensorsFile: Equatable, Sendable {
    /// Tensors in file order.
    public var tensors: [StoredTensor]
    /// User metadata (checksum entries are managed by the file and not listed here).
    public var metadata: [String: String]

    public init(tensors: [StoredTensor], metadata: [String: String] = [:]) {
        precondition(Set(tensors.map(\.name)).count == tensors.count, "tensor names must be unique")
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, if present.
    public subscript(name: String) -> StoredTensor? { tensors.first { $0.name == name } }

    static let checksumPrefix = "crc32:"

    // MARK: Writing

    /// The file's bytes.
    public func encoded() -> Data {
        var entries: [String] = []
        var offset = 0
        var allMetadata = metadata
        for t in tensors {
            let end = offset + t.bytes.count
            entries.append("\(jsonString(t.name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            allMetadata[Self.checksumPrefix + t.name] = CRC32.hex(t.checksum)
            offset = end
        }
        let meta = allMetadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(allMetadata[$0]!))" }
        var header = Array("{\"__metadata__\":{\(meta.joined(separator: ","))}\(entries.isEmpty ? "" : ",")\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for t in tensors { data.append(contentsOf: t.bytes) }
        return data
    }

    /// Writes the file atomically (temporary file in the same folder, then rename), so a
    /// reader never sees half a checkpoint.
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }

    // MARK: Reading

    /// Reads and validates a file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try FileSystem.read(url) } catch let error as FileAccessError {
            throw CheckpointError.corrupt(tensor: nil, reason: "cannot read \(url.path): \(error.reason)")
        }
        try self.init(data: data)
    }

    /// Parses and validates the bytes of a file.
    public init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else {
            throw CheckpointError.corrupt(tensor: nil, reason: "\(bytes.count) bytes is shorter than the 8-byte header length")
        }
        let headerLength = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw CheckpointError.corrupt(tensor: nil, reason: "header length \(headerLength) exceeds the file size \(bytes.count)")
        }
        let dataStart = 8 + Int(headerLength)
        let dataLength = bytes.count - dataStart
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) } catch {
            throw CheckpointError.corrupt(tensor: nil, reason: "header is not valid JSON")
        }
        guard let header = object as? [String: Any] else {
            throw CheckpointError.corrupt(tensor: nil, reason: "header is not a JSON object")
        }

        var allMetadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let dict = raw as? [String: Any] else {
                throw CheckpointError.corrupt(tensor: nil, reason: "__metadata__ is not an object of strings")
            }
            for (k, v) in dict {
                guard let s = v as? String else {
                    throw CheckpointError.corrupt(tensor: nil, reason: "metadata entry '\(k)' is not a string")
                }
                allMetadata[k] = s
            }
        }

        var parsed: [(entry: HeaderEntry, name: String)] = []
        for name in header.keys.sorted() where name != "__metadata__" {
            parsed.append((try HeaderEntry(name: name, json: header[name]!), name))
        }
        parsed.sort { ($0.entry.begin, $0.entry.end) < ($1.entry.begin, $1.entry.end) }
        var expectedBegin = 0
        for (entry, name) in parsed {
            guard entry.end <= dataLength else {
                throw CheckpointError.corrupt(tensor: name, reason:
                    "data ends at byte \(entry.end) but the data section has only \(dataLength) bytes (truncated file?)")
            }
            guard entry.begin == expectedBegin else {
                throw CheckpointError.corrupt(tensor: name, reason: entry.begin < expectedBegin
                    ? "data [\(entry.begin), \(entry.end)) overlaps the previous tensor"
                    : "a gap of \(entry.begin - expectedBegin) bytes precedes its data")
            }
            expectedBegin = entry.end
        }
        guard expectedBegin == dataLength else {
            throw CheckpointError.corrupt(tensor: parsed.last?.name,
                                          reason: "\(dataLength - expectedBegin) bytes follow the last tensor's data")
        }

        var tensors: [StoredTensor] = []
        for (entry, name) in parsed {
            let stored = StoredTensor(name: name, dtype: entry.dtype, shape: entry.shape,
                                      bytes: Array(bytes[(dataStart + entry.begin)..<(dataStart + entry.end)]))
            if let expected = allMetadata[Self.checksumPrefix + name] {
                let actual = CRC32.hex(stored.checksum)
                guard actual == expected else {
                    throw CheckpointError.corrupt(tensor: name, reason: "data fails its CRC-32 check (stored \(expected), computed \(actual))")
                }
            }
            tensors.append(stored)
        }
        self.tensors = tensors
        self.metadata = allMetadata.filter { !$0.key.hasPrefix(Self.checksumPrefix) }
    }
}

/// One tensor's header entry, checked for consistency (dtype, shape, offsets).
private struct HeaderEntry {
    let dtype: SafeTensorsDType
    let shape: [Int]
    let begin: Int
    let end: Int

    init(name: String, json: Any) throws {
        func fail(_ reason: String) -> CheckpointError { .corrupt(tensor: name, reason: reason) }
        guard let dict = json as? [String: Any] else { throw fail("header entry is not an object") }
        guard let dtypeName = dict["dtype"] as? String else { throw fail("header entry has no dtype") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw fail("unsupported dtype '\(dtypeName)' (this toolkit reads F32 and F64)")
        }
        guard let shape = integers(dict["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("shape is not a list of non-negative integers")
        }
        guard let offsets = integers(dict["data_offsets"]), offsets.count == 2,
              offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw fail("data_offsets is not a pair [begin, end] with 0 ≤ begin ≤ end")
        }
        // Overflow-checked: a hostile shape such as [2⁵⁰, 2⁵⁰] must be an error, not a trap.
        var needed = dtype.byteCount
        for dimension in shape {
            let (product, overflow) = needed.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fail("shape \(shape) of \(dtype.rawValue) needs more bytes than a file can hold") }
            needed = product
        }
        guard offsets[1] - offsets[0] == needed else {
            throw fail("holds \(offsets[1] - offsets[0]) bytes but shape \(shape) of \(dtype.rawValue) needs \(needed)")
        }
        self.dtype = dtype
        self.shape = shape
        self.begin = offsets[0]
        self.end = offsets[1]
    }
}

/// A JSON array of integers as `[Int]`, or nil.
private func integers(_ json: Any?) -> [Int]? {
    guard let array = json as? [Any] else { return nil }
    var result: [Int] = []
    for element in array {
        guard let number = element as? NSNumber else { return nil }
        let d = number.doubleValue
        guard d == d.rounded(), abs(d) < 1e15 else { return nil }
        result.append(Int(d))
    }
    return result
}

/// `s` as a JSON string literal.
private func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
