import Foundation

extension ImageDataset {
    /// The file names of CIFAR-10's binary version (`cifar-10-batches-bin/`).
    public static func cifar10Files(split: Split) -> [String] {
        split == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
    }

    /// CIFAR-10, binary version (Krizhevsky 2009): each file holds 10 000 records (`recordsPerFile`) of 3073
    /// bytes, a label 0…9 then 3×32×32 pixels (red, green, blue planes, rows top to bottom).
    /// `folder` is the unpacked `cifar-10-batches-bin`. A missing file, a size that is not
    /// 10 000 whole records (a short read) or a label above 9 names the file.
    public static func cifar10(folder: String, split: Split, recordsPerFile: Int = 10_000) throws -> ImageDataset {
        let record = 1 + 3 * 32 * 32
        var pixels = [UInt8](), labels = [Int]()
        for name in cifar10Files(split: split) {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ImageDataError.missing(file: url.path, expected: "the CIFAR-10 binary batch \(name) (the folder cifar-10-batches-bin)")
            }
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw ImageDataError.unreadable(file: url.path, reason: error.localizedDescription)
            }
            guard data.count == recordsPerFile * record else {
                throw ImageDataError.malformed(file: url.path, expected: "\(recordsPerFile) records of \(record) bytes (\(recordsPerFile * record) bytes)",
                                               found: "\(data.count) bytes" + (data.count < recordsPerFile * record ? " (a short file)" : ""))
            }
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                for r in 0..<recordsPerFile {
                    let label = raw[r * record]
                    guard label <= 9 else {
                        throw ImageDataError.malformed(file: url.path, expected: "a class label 0…9 at the start of record \(r)", found: "\(label)")
                    }
                    labels.append(Int(label))
                    pixels.append(contentsOf: raw[(r * record + 1)..<((r + 1) * record)])
                }
            }
        }
        return ImageDataset(channels: 3, height: 32, width: 32, pixels: pixels, labels: labels)
    }
}
