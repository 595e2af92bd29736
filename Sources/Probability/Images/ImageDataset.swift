import NumericalCore

/// A set of images of one shape, stored as bytes: `count` images of `channels × height ×
/// width` pixels in C order (`[count, channels, height, width]`), 0…255, with an optional
/// class label per image. As a ``PointSampler`` it draws uniform random images as rows of
/// d = channels·height·width values scaled to [−1, 1] (x/127.5 − 1), the convention of the
/// S-JKO image code.
public struct ImageDataset: PointSampler, Equatable {
    public let count: Int
    public let channels: Int
    public let height: Int
    public let width: Int
    /// `[count, channels, height, width]` bytes, C order.
    public let pixels: [UInt8]
    /// One class label per image (nil: unlabelled, e.g. an image folder).
    public let labels: [Int]?

    public init(channels: Int, height: Int, width: Int, pixels: [UInt8], labels: [Int]? = nil) {
        let size = channels * height * width
        precondition(size > 0 && pixels.count % size == 0, "ImageDataset: \(pixels.count) bytes are not whole \(channels)×\(height)×\(width) images")
        precondition(labels == nil || labels!.count == pixels.count / size, "ImageDataset: one label per image")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
        self.labels = labels
        count = pixels.count / size
    }

    /// d = channels·height·width, the length of one row.
    public var dimension: Int { channels * height * width }

    /// Image `index` as d values in [−1, 1].
    public func image(_ index: Int) -> [Double] {
        let d = dimension
        return pixels[(index * d)..<((index + 1) * d)].map { Double($0) / 127.5 - 1 }
    }

    /// The images at `indices` as rows `[indices.count, d]` in [−1, 1].
    public func rows(_ indices: [Int]) -> Matrix {
        let d = dimension
        var out = [Double](repeating: 0, count: indices.count * d)
        pixels.withUnsafeBufferPointer { p in
            for (r, i) in indices.enumerated() {
                let source = i * d, target = r * d
                for j in 0..<d { out[target + j] = Double(p[source + j]) / 127.5 - 1 }
            }
        }
        return Matrix(rows: indices.count, columns: d, elements: out)
    }

    /// The first `count` images (all when `count` ≥ ``count``).
    public func prefix(_ count: Int) -> ImageDataset {
        let n = min(count, self.count)
        return ImageDataset(channels: channels, height: height, width: width, pixels: Array(pixels[0..<(n * dimension)]),
                            labels: labels.map { Array($0[0..<n]) })
    }

    /// `count` images drawn uniformly with replacement, `[count, d]` in [−1, 1].
    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        rows((0..<count).map { _ in Int(generator.next() % UInt64(self.count)) })
    }
}
