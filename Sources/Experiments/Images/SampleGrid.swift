import Foundation
import NumericalCore
import Plotting

/// Image samples tiled into one picture: the per-step `samples/grid-KKKK.png` of an image
/// run and the strips of the notebooks.
///
/// Rows of `samples` `[n, channels·height·width]` hold images in [−1, 1] (C order,
/// channel planes); tile k sits at row k / columns, column k % columns, with a `gap`-pixel
/// white border, each pixel repeated `zoom` times in both directions.
public struct SampleGrid {
    public var channels: Int
    public var height: Int
    public var width: Int
    public var columns: Int
    public var zoom: Int
    public var gap: Int

    public init(channels: Int, height: Int, width: Int, columns: Int = 8, zoom: Int = 2, gap: Int = 2) {
        self.channels = channels
        self.height = height
        self.width = width
        self.columns = columns
        self.zoom = zoom
        self.gap = gap
    }

    /// The mosaic of the first rows of `samples` (values clamped to [−1, 1]).
    public func image(_ samples: Matrix) -> RGBAImage {
        let n = samples.rows
        let rows = max(1, (n + columns - 1) / columns)
        let tileW = width * zoom, tileH = height * zoom
        let W = gap + columns * (tileW + gap), H = gap + rows * (tileH + gap)
        var bytes = [UInt8](repeating: 255, count: W * H * 4)
        let plane = height * width
        for k in 0..<n {
            let originX = gap + (k % columns) * (tileW + gap), originY = gap + (k / columns) * (tileH + gap)
            for y in 0..<tileH {
                for x in 0..<tileW {
                    let p = (y / zoom) * width + x / zoom
                    let i = 4 * ((originY + y) * W + originX + x)
                    for c in 0..<3 {
                        let value = samples[k, (channels == 1 ? 0 : c) * plane + p]
                        bytes[i + c] = UInt8((min(1, max(-1, value)) + 1) * 127.5 + 0.5 > 255 ? 255 : (min(1, max(-1, value)) + 1) * 127.5 + 0.5)
                    }
                }
            }
        }
        return RGBAImage(width: W, height: H, bytes: bytes)
    }

    /// Writes the mosaic of `samples` as a PNG, atomically.
    public func write(_ samples: Matrix, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(image(samples).pngData(), to: url)
    }
}
