import Foundation
import Plotting
import Probability

/// A folder of PNG images (CelebA-HQ style: `00000.png`, `00001.png`, …) read as an
/// ``ImageDataset`` of `channels × size × size` (3: RGB, 1: luminance), each image
/// centre-cropped to a square and resized by area averaging (bilinear when enlarging).
///
/// Decoding goes through Plotting's Cairo wrapper (``RGBAImage/init(pngFile:)``), so this
/// module never touches a C library. A missing folder, a folder without `.png` files or a
/// file Cairo cannot decode gives one ``ImageDataError`` sentence naming it.
public enum ImageFolder {
    /// Reads at most `limit` images (file names sorted) from `folder`.
    public static func load(folder: String, size: Int, channels: Int = 3, limit: Int = .max) throws -> ImageDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImageDataError.missing(file: folder, expected: "a folder of .png images")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.lowercased().hasSuffix(".png") }.sorted().prefix(limit)
        guard !names.isEmpty else {
            throw ImageDataError.empty(folder: folder, expected: "at least one .png file (CelebA-HQ style: 00000.png, 00001.png, …); convert JPEGs to PNG first")
        }
        var pixels = [UInt8]()
        pixels.reserveCapacity(names.count * channels * size * size)
        for name in names {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            let image: RGBAImage
            do { image = try RGBAImage(pngFile: url) } catch {
                throw ImageDataError.unreadable(file: url.path, reason: "it is not a readable PNG image (\(error))")
            }
            pixels += planes(of: image, size: size, channels: channels)
        }
        return ImageDataset(channels: channels, height: size, width: size, pixels: pixels)
    }

    /// The centre square of `image` resampled to `size × size`, as channel planes
    /// (`[channels, size, size]`, C order). Each output pixel averages the source pixels
    /// its footprint covers (at least the nearest one), so downscaling does not alias.
    static func planes(of image: RGBAImage, size: Int, channels: Int) -> [UInt8] {
        let side = min(image.width, image.height)
        let x0 = (image.width - side) / 2, y0 = (image.height - side) / 2
        let scale = Double(side) / Double(size)
        var out = [UInt8](repeating: 0, count: channels * size * size)
        for oy in 0..<size {
            let top = Int((Double(oy) * scale).rounded(.down)), bottom = max(top + 1, Int((Double(oy + 1) * scale).rounded(.down)))
            for ox in 0..<size {
                let left = Int((Double(ox) * scale).rounded(.down)), right = max(left + 1, Int((Double(ox + 1) * scale).rounded(.down)))
                var sum = [Double](repeating: 0, count: 3)
                var n = 0.0
                for y in top..<min(bottom, side) {
                    for x in left..<min(right, side) {
                        let i = 4 * ((y0 + y) * image.width + x0 + x)
                        sum[0] += Double(image.bytes[i]); sum[1] += Double(image.bytes[i + 1]); sum[2] += Double(image.bytes[i + 2])
                        n += 1
                    }
                }
                let rgb = sum.map { $0 / max(n, 1) }
                if channels == 1 {
                    out[oy * size + ox] = UInt8(min(255, (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]).rounded()))
                } else {
                    for c in 0..<channels { out[(c * size + oy) * size + ox] = UInt8(min(255, rgb[c].rounded())) }
                }
            }
        }
        return out
    }
}
