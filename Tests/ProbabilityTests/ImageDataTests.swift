import Foundation
import NumericalCore
import Probability
import XCTest

/// The IDX and CIFAR-10 readers on small generated files and their damaged variants:
/// every failure is one sentence naming the file and what was expected.
final class ImageDataTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// An IDX file: magic 0 0 8 rank, big-endian sizes, bytes.
    static func idx(shape: [Int], values: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 8, UInt8(shape.count)]
        for s in shape { bytes += [UInt8(s >> 24 & 0xFF), UInt8(s >> 16 & 0xFF), UInt8(s >> 8 & 0xFF), UInt8(s & 0xFF)] }
        return bytes + values
    }

    /// `bytes` gzip-compressed by the system's gzip (present on every Debian system).
    func gzip(_ bytes: [UInt8], to url: URL) throws {
        let plain = url.deletingPathExtension()
        try Data(bytes).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", "-n", plain.path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    /// 3 images of 4×5 with labels 2, 0, 9.
    func writeSplit(prefix: String = "train", labels: [UInt8] = [2, 0, 9], imageCount: Int = 3) throws -> [UInt8] {
        let pixels = (0..<(imageCount * 20)).map { UInt8($0 * 4 % 256) }
        try gzip(Self.idx(shape: [imageCount, 4, 5], values: pixels), to: scratch.appendingPathComponent("\(prefix)-images-idx3-ubyte.gz"))
        try gzip(Self.idx(shape: [labels.count], values: labels), to: scratch.appendingPathComponent("\(prefix)-labels-idx1-ubyte.gz"))
        return pixels
    }

    func testGzippedIDXFilesReadBackExactly() throws {
        let pixels = try writeSplit()
        let data = try ImageDataset.idx(folder: scratch.path, split: .train)
        XCTAssertEqual([data.count, data.channels, data.height, data.width], [3, 1, 4, 5])
        XCTAssertEqual(data.pixels, pixels)
        XCTAssertEqual(data.labels, [2, 0, 9])
        // Scaling x/127.5 − 1: byte 4 of image 1 is (20 + 4)·4 = 96 → 96/127.5 − 1.
        XCTAssertEqual(data.image(1)[4], 96 / 127.5 - 1, accuracy: 1e-15)
        XCTAssertEqual(data.rows([2, 0]).row(1), data.image(0))
    }

    func testPlainIDXFilesAreReadToo() throws {
        let pixels = (0..<40).map { UInt8($0) }
        try Data(Self.idx(shape: [2, 4, 5], values: pixels)).write(to: scratch.appendingPathComponent("t10k-images-idx3-ubyte"))
        try Data(Self.idx(shape: [2], values: [1, 3])).write(to: scratch.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let data = try ImageDataset.idx(folder: scratch.path, split: .test)
        XCTAssertEqual(data.pixels, pixels)
        XCTAssertEqual(data.labels, [1, 3])
    }

    func assertFails(_ body: () throws -> Void, mentioning words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let text = "\(error)"
            for word in words { XCTAssertTrue(text.contains(word), "'\(word)' missing from: \(text)", file: file, line: line) }
        }
    }

    func testMissingFolderAndFileAreNamed() throws {
        assertFails({ _ = try ImageDataset.idx(folder: scratch.appendingPathComponent("nowhere").path, split: .train) },
                    mentioning: ["nowhere", "does not exist", "--data"])
        assertFails({ _ = try ImageDataset.idx(folder: scratch.path, split: .train) },
                    mentioning: ["train-images-idx3-ubyte.gz", "does not exist"])
    }

    func testTruncatedGzipStreamIsNamed() throws {
        _ = try writeSplit()
        let url = scratch.appendingPathComponent("train-images-idx3-ubyte.gz")
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        assertFails({ _ = try ImageDataset.idx(folder: scratch.path, split: .train) },
                    mentioning: ["train-images-idx3-ubyte.gz", "gzip stream is damaged"])
    }

    func testBadMagicShortDataAndWrongCountsAreNamed() throws {
        _ = try writeSplit()
        let images = scratch.appendingPathComponent("train-images-idx3-ubyte.gz")
        var bad = Self.idx(shape: [3, 4, 5], values: [UInt8](repeating: 1, count: 60))
        bad[2] = 0x0D  // float type, not unsigned bytes
        try gzip(bad, to: images)
        assertFails({ _ = try ImageDataset.idx(folder: self.scratch.path, split: .train) }, mentioning: ["train-images-idx3-ubyte.gz", "magic", "00000d03"])
        // A header promising 3 images over the data of 2 (a short read).
        try gzip(Self.idx(shape: [3, 4, 5], values: [UInt8](repeating: 1, count: 40)), to: images)
        assertFails({ _ = try ImageDataset.idx(folder: self.scratch.path, split: .train) }, mentioning: ["60 data bytes", "only 40", "truncated"])
        // A label file with a rank-3 header.
        _ = try writeSplit()
        try gzip(Self.idx(shape: [3, 1, 1], values: [1, 2, 3]), to: scratch.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        assertFails({ _ = try ImageDataset.idx(folder: self.scratch.path, split: .train) }, mentioning: ["train-labels-idx1-ubyte.gz", "rank 1", "rank 3"])
        // Labels for 2 of 3 images.
        _ = try writeSplit(labels: [1, 2])
        assertFails({ _ = try ImageDataset.idx(folder: self.scratch.path, split: .train) }, mentioning: ["train-labels-idx1-ubyte.gz", "3 labels", "found 2"])
        // A label outside 0…9.
        _ = try writeSplit(labels: [1, 12, 2])
        assertFails({ _ = try ImageDataset.idx(folder: self.scratch.path, split: .train) }, mentioning: ["labels 0…9", "label 12"])
    }

    /// CIFAR-10 batches of 3 records: label byte then 3072 pixel bytes, 5 training files.
    func writeCIFAR(records: Int = 3, corrupt: ((inout [UInt8]) -> Void)? = nil) throws {
        for (f, name) in ImageDataset.cifar10Files(split: .train).enumerated() {
            var bytes = [UInt8]()
            for r in 0..<records {
                bytes.append(UInt8((f + r) % 10))
                bytes += (0..<3072).map { UInt8(($0 + r + f) % 251) }
            }
            if f == 4 { corrupt?(&bytes) }
            try Data(bytes).write(to: scratch.appendingPathComponent(name))
        }
    }

    func testCIFARBatchesReadBackAndDamageIsNamed() throws {
        try writeCIFAR()
        let data = try ImageDataset.cifar10(folder: scratch.path, split: .train, recordsPerFile: 3)
        XCTAssertEqual([data.count, data.channels, data.height, data.width], [15, 3, 32, 32])
        XCTAssertEqual(data.labels?.prefix(4), [0, 1, 2, 1])
        // Record 1 of file 1 (image 4): pixel j = (j + 1 + 1) mod 251; the green plane starts at 1024.
        XCTAssertEqual(data.pixels[4 * 3072 + 1024], UInt8((1024 + 2) % 251))
        try writeCIFAR { $0.removeLast(100) }
        assertFails({ _ = try ImageDataset.cifar10(folder: self.scratch.path, split: .train, recordsPerFile: 3) },
                    mentioning: ["data_batch_5.bin", "3 records of 3073 bytes", "9119 bytes", "short file"])
        try writeCIFAR { $0[3073] = 11 }
        assertFails({ _ = try ImageDataset.cifar10(folder: self.scratch.path, split: .train, recordsPerFile: 3) },
                    mentioning: ["data_batch_5.bin", "record 1", "11"])
        assertFails({ _ = try ImageDataset.cifar10(folder: self.scratch.path, split: .test, recordsPerFile: 3) },
                    mentioning: ["test_batch.bin", "does not exist"])
    }

    /// The installed Debian package (when present): 60 000 + 10 000 images of 28×28, labels
    /// balanced 6000 / 1000 per class.
    func testInstalledFashionMNISTIsComplete() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ImageDataset.fashionMNISTFolder), "dataset-fashion-mnist is not installed")
        let test = try ImageDataset.idx(split: .test)
        XCTAssertEqual([test.count, test.height, test.width], [10_000, 28, 28])
        var counts = [Int](repeating: 0, count: 10)
        for label in test.labels! { counts[label] += 1 }
        XCTAssertEqual(counts, [Int](repeating: 1000, count: 10))
    }
}
