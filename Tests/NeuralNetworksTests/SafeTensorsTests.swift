import Foundation
import NeuralNetworks
import XCTest

/// The safetensors container: bit-exact round trips, the documented byte layout, and
/// rejection of damaged or mismatched files with the offending tensor named.
final class SafeTensorsTests: XCTestCase {
    /// Awkward values: signed zero, subnormals, infinities, a NaN payload, extremes.
    static let floats: [Float] = [0, -0.0, 1, -1.5, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                  .infinity, -.infinity, Float(bitPattern: 0x7FC0_1234), 3.14159274]
    static let doubles: [Double] = [.pi, -0.0, .leastNormalMagnitude, .leastNonzeroMagnitude * 3, -1e300, 42]

    func sample() -> SafeTensorsFile {
        SafeTensorsFile(tensors: [
            StoredTensor(name: "map.trunk.0.weight", shape: [2, 5], values: Self.floats),
            StoredTensor(name: "map.trunk.0.bias", shape: [3, 2], values: Self.doubles),
            StoredTensor(name: "step", shape: [], values: [Float(7)]),
            StoredTensor(name: "empty \"quoted\"", shape: [0, 4], values: [Float]()),
        ], metadata: ["format": "pt", "seed": "17"])
    }

    func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

    func testRoundTripIsBitExactThroughAFile() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("jkokit-safetensors-\(ProcessInfo.processInfo.processIdentifier)/model.safetensors")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try sample().write(to: url)
        let back = try SafeTensorsFile(contentsOf: url)
        XCTAssertEqual(back.tensors.map(\.name), sample().tensors.map(\.name), "file order is kept")
        XCTAssertEqual(back.metadata, ["format": "pt", "seed": "17"])
        XCTAssertEqual(bits(try back["map.trunk.0.weight"]!.values(as: Float.self)), bits(Self.floats))
        XCTAssertEqual(try back["map.trunk.0.bias"]!.values(as: Double.self).map(\.bitPattern), Self.doubles.map(\.bitPattern))
        XCTAssertEqual(back["step"]!.shape, [])
        XCTAssertEqual(back.encoded(), sample().encoded(), "re-encoding gives the same bytes")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["model.safetensors"], "no temporary file is left behind")
    }

    func testByteLayoutIsSafetensors() throws {
        let data = [UInt8](sample().encoded())
        let n = data[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(n % 8, 0, "header padded to 8 bytes")
        XCTAssertEqual(data[8], UInt8(ascii: "{"))
        let header = try JSONSerialization.jsonObject(with: Data(data[8..<(8 + n)])) as! [String: Any]
        let entry = header["map.trunk.0.weight"] as! [String: Any]
        XCTAssertEqual(entry["dtype"] as? String, "F32")
        XCTAssertEqual((entry["shape"] as! [NSNumber]).map(\.intValue), [2, 5])
        XCTAssertEqual((entry["data_offsets"] as! [NSNumber]).map(\.intValue), [0, 40])
        // The first float of the data section, little-endian: 0 → four zero bytes, then −0 → 00 00 00 80.
        XCTAssertEqual(Array(data[(8 + n + 4)..<(8 + n + 8)]), [0, 0, 0, 0x80])
        XCTAssertEqual(data.count, 8 + n + 40 + 48 + 4)
        let meta = header["__metadata__"] as! [String: String]
        XCTAssertEqual(meta["crc32:step"]?.count, 8)
    }

    func assertRejected(_ data: Data, naming tensor: String?, containing phrase: String,
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensorsFile(data: data), file: file, line: line) { error in
            guard let e = error as? CheckpointError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(e.tensorName, tensor, "\(e)", file: file, line: line)
            XCTAssertTrue(e.description.contains(phrase), "\(e)", file: file, line: line)
            if let tensor { XCTAssertTrue(e.description.contains("'\(tensor)'"), file: file, line: line) }
        }
    }

    func testCorruptedDataIsRejectedNamingTheTensor() {
        var data = sample().encoded()
        data[data.count - 5] ^= 0x01  // a byte inside "map.trunk.0.bias" (then 4 bytes of "step")
        assertRejected(data, naming: "map.trunk.0.bias", containing: "CRC-32")
    }

    func testTruncatedFileIsRejectedNamingTheTensor() {
        let data = sample().encoded()
        assertRejected(data.prefix(data.count - 2), naming: "step", containing: "truncated")
        assertRejected(data.prefix(5), naming: nil, containing: "8-byte")
    }

    func testEditedHeaderIsRejectedNamingTheTensor() {
        func edited(_ from: String, _ to: String) -> Data {
            let data = sample().encoded()
            let n = Int(data[0]) | Int(data[1]) << 8
            var header = String(decoding: data[8..<(8 + n)], as: UTF8.self)
            XCTAssertNotNil(header.range(of: from))
            header = header.replacingOccurrences(of: from, with: to)
            precondition(header.utf8.count == n, "edits keep the header length")
            return data.prefix(8) + Data(header.utf8) + data.suffix(from: 8 + n)
        }
        assertRejected(edited("\"shape\":[2,5]", "\"shape\":[5,5]"), naming: "map.trunk.0.weight", containing: "needs 100")
        assertRejected(edited("\"dtype\":\"F64\"", "\"dtype\":\"I64\""), naming: "map.trunk.0.bias", containing: "unsupported dtype 'I64'")
        assertRejected(edited("\"data_offsets\":[88,92]", "\"data_offsets\":[87,91]"), naming: "step", containing: "overlaps")
    }

    func testMismatchedModelIsRejectedNamingTheTensor() throws {
        let file = sample()
        let good = file.tensors.map { TensorSpec(name: $0.name, shape: $0.shape, dtype: $0.dtype) }
        XCTAssertNoThrow(try file.checkMatches(good))
        var wrongShape = good; wrongShape[0].shape = [5, 2]
        XCTAssertThrowsError(try file.checkMatches(wrongShape)) {
            XCTAssertEqual($0 as? CheckpointError, .shapeMismatch(tensor: "map.trunk.0.weight", file: [2, 5], model: [5, 2]))
            XCTAssertEqual("\($0)", "tensor 'map.trunk.0.weight': shape [2, 5] in the checkpoint, [5, 2] in the model")
        }
        var wrongType = good; wrongType[1].dtype = .float32
        XCTAssertThrowsError(try file.checkMatches(wrongType)) {
            XCTAssertEqual($0 as? CheckpointError, .dtypeMismatch(tensor: "map.trunk.0.bias", file: .float64, model: .float32))
        }
        var extra = good; extra.append(TensorSpec(name: "potential.head.weight", shape: [1, 128], dtype: .float32))
        XCTAssertThrowsError(try file.checkMatches(extra)) {
            XCTAssertEqual($0 as? CheckpointError, .missingTensor("potential.head.weight"))
        }
        XCTAssertThrowsError(try file.checkMatches(Array(good.dropLast()))) {
            XCTAssertEqual($0 as? CheckpointError, .unexpectedTensor("empty \"quoted\""))
        }
        XCTAssertThrowsError(try file["step"]!.values(as: Double.self)) {
            XCTAssertEqual(($0 as? CheckpointError)?.tensorName, "step")
        }
    }
}
