/// An 8-bit RGBA raster, row 0 at the top, straight (not premultiplied) alpha:
/// the heatmap pixels a figure hands to the canvas, and the pixels a rendered figure
/// comes back as (for tests and thumbnails).
public struct RGBAImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `width · height · 4` bytes, row-major, R G B A per pixel.
    public var bytes: [UInt8]

    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(width > 0 && height > 0 && bytes.count == width * height * 4,
                     "an RGBA image of \(width)×\(height) needs \(width * height * 4) bytes, got \(bytes.count)")
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    /// A transparent image.
    public init(width: Int, height: Int) {
        self.init(width: width, height: height, bytes: [UInt8](repeating: 0, count: width * height * 4))
    }

    /// Gray levels in [0, 1] (row 0 at top) shown through a colour map (values clamped).
    public init(gray values: [Double], width: Int, height: Int, colormap: Colormap? = nil) {
        precondition(values.count == width * height, "gray image needs width·height values")
        var bytes = [UInt8](repeating: 255, count: width * height * 4)
        for (i, v) in values.enumerated() {
            if let map = colormap {
                let c = map.color(at: v).bytes
                bytes[4 * i] = c.red
                bytes[4 * i + 1] = c.green
                bytes[4 * i + 2] = c.blue
            } else {
                let level = UInt8(max(0, min(255, (v * 255).rounded())))
                bytes[4 * i] = level
                bytes[4 * i + 1] = level
                bytes[4 * i + 2] = level
            }
        }
        self.init(width: width, height: height, bytes: bytes)
    }

    /// The colour of pixel (column x, row y from the top).
    public func pixel(x: Int, y: Int) -> Color {
        let i = 4 * (y * width + x)
        return Color(red: Double(bytes[i]) / 255, green: Double(bytes[i + 1]) / 255,
                     blue: Double(bytes[i + 2]) / 255, alpha: Double(bytes[i + 3]) / 255)
    }

    /// Variance of the luminance (0.299 R + 0.587 G + 0.114 B, in [0, 255]) over all pixels:
    /// zero for a blank image.
    public var luminanceVariance: Double {
        var sum = 0.0
        var sumSquares = 0.0
        let count = width * height
        for i in 0..<count {
            let l = 0.299 * Double(bytes[4 * i]) + 0.587 * Double(bytes[4 * i + 1]) + 0.114 * Double(bytes[4 * i + 2])
            sum += l
            sumSquares += l * l
        }
        let mean = sum / Double(count)
        return max(0, sumSquares / Double(count) - mean * mean)
    }

    /// Fraction of pixels that differ from the top-left pixel (the background) by more than 8 levels.
    public var inkFraction: Double {
        let background = Array(bytes[0..<4])
        var differing = 0
        for i in 0..<(width * height) {
            for c in 0..<3 where abs(Int(bytes[4 * i + c]) - Int(background[c])) > 8 {
                differing += 1
                break
            }
        }
        return Double(differing) / Double(width * height)
    }
}
