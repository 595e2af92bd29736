import Foundation

/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.), optionally gzip-compressed:
/// bytes 0–1 zero, byte 2 the type (0x08: unsigned byte), byte 3 the number of dimensions
/// r, then r big-endian UInt32 sizes, then the values in C order.
///
/// Images are `idx3` (`[n, rows, columns]`), labels `idx1` (`[n]`). Every check names the
/// file: a missing file, a damaged gzip stream, a bad magic number, a rank or type other
/// than the expected one, a data section shorter or longer than the header says.
public struct IDXFile: Equatable {
    /// The sizes of the dimensions, outermost first.
    public let shape: [Int]
    /// The values, C order (unsigned bytes).
    public let values: [UInt8]

    /// Parses `bytes` (already decompressed) read from `file` (for messages), requiring
    /// rank `rank` and type unsigned byte.
    public init(bytes: [UInt8], file: String, rank: Int) throws {
        guard bytes.count >= 4 else {
            throw ImageDataError.malformed(file: file, expected: "an IDX header of at least 4 bytes", found: "\(bytes.count) bytes")
        }
        guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08 else {
            let magic = bytes[0..<4].map { String(format: "%02x", $0) }.joined()
            throw ImageDataError.malformed(file: file, expected: "the IDX magic 000008\(String(format: "%02x", rank)) (unsigned bytes, rank \(rank))",
                                           found: "magic \(magic)")
        }
        guard Int(bytes[3]) == rank else {
            throw ImageDataError.malformed(file: file, expected: "an IDX array of rank \(rank)", found: "rank \(bytes[3])")
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw ImageDataError.malformed(file: file, expected: "a \(headerSize)-byte IDX header", found: "\(bytes.count) bytes")
        }
        shape = (0..<rank).map { k in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * k + $1]) }
        }
        let expected = shape.reduce(1, *)
        let found = bytes.count - headerSize
        guard found == expected else {
            throw ImageDataError.malformed(file: file, expected: "\(expected) data bytes for shape \(shape)",
                                           found: found < expected ? "only \(found) (the file is truncated)" : "\(found) (trailing bytes)")
        }
        values = Array(bytes[headerSize...])
    }

    /// Reads and parses `url` (gzip or plain).
    public init(contentsOf url: URL, rank: Int) throws {
        try self.init(bytes: GzipReader.contents(of: url), file: url.path, rank: rank)
    }
}

extension ImageDataset {
    /// The default folder of Fashion-MNIST: the Debian package `dataset-fashion-mnist`.
    public static let fashionMNISTFolder = "/usr/share/datasets/fashion-mnist"

    /// Which half of a data set.
    public enum Split: String, Sendable { case train, test }

    /// Fashion-MNIST (or MNIST: same file names) from `folder`: `train-images-idx3-ubyte.gz`
    /// and `train-labels-idx1-ubyte.gz` (or `t10k-…` for the test split), 1×28×28 images
    /// with labels 0…9. The `.gz` files are looked for first, then the uncompressed names.
    public static func idx(folder: String = fashionMNISTFolder, split: Split) throws -> ImageDataset {
        let prefix = split == .train ? "train" : "t10k"
        let imagesURL = try locate(folder: folder, name: "\(prefix)-images-idx3-ubyte")
        let labelsURL = try locate(folder: folder, name: "\(prefix)-labels-idx1-ubyte")
        let images = try IDXFile(contentsOf: imagesURL, rank: 3)
        let labels = try IDXFile(contentsOf: labelsURL, rank: 1)
        guard labels.shape[0] == images.shape[0] else {
            throw ImageDataError.mismatch(file: labelsURL.path, expected: "\(images.shape[0]) labels (one per image of \(imagesURL.lastPathComponent))",
                                          found: "\(labels.shape[0])")
        }
        if let bad = labels.values.first(where: { $0 > 9 }) {
            throw ImageDataError.malformed(file: labelsURL.path, expected: "class labels 0…9", found: "label \(bad)")
        }
        return ImageDataset(channels: 1, height: images.shape[1], width: images.shape[2], pixels: images.values,
                            labels: labels.values.map(Int.init))
    }

    /// `folder/name.gz`, else `folder/name`; a missing folder or file names both.
    static func locate(folder: String, name: String) throws -> URL {
        let base = URL(fileURLWithPath: folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImageDataError.missing(file: folder, expected: "a folder with \(name).gz")
        }
        for candidate in [base.appendingPathComponent(name + ".gz"), base.appendingPathComponent(name)]
        where FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        throw ImageDataError.missing(file: base.appendingPathComponent(name + ".gz").path, expected: "the IDX file \(name).gz (or \(name))")
    }
}
