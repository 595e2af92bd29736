/// Maps rendered pixels to the nearest colour of a fixed palette (squared distance in 8-bit
/// sRGB, alpha composited over white first), for palette images such as GIF frames.
///
/// `palette(for:)` builds the palette from a figure's own colour map, so a density rendered
/// with viridis keeps its colours exactly: 224 entries of the map plus 32 grays from black to
/// white for text, axes, background and antialiased edges, and the Okabe–Ito colours that
/// figures use for methods. Distinct pixel colours are memoised, so the cost is one palette
/// search per distinct colour (figures hold a few thousand) plus one lookup per pixel.
public struct ColorQuantizer {
    public let palette: [Color]
    private let table: [(Int, Int, Int)]

    public init(palette: [Color]) {
        precondition(!palette.isEmpty && palette.count <= 256, "a palette holds 1…256 colours")
        self.palette = palette
        table = palette.map { let b = $0.bytes; return (Int(b.red), Int(b.green), Int(b.blue)) }
    }

    /// 256 colours: `mapEntries` samples of the colour map, the 8 Okabe–Ito colours, and
    /// 256 − mapEntries − 8 grays (black to white, both included).
    public static func palette(for colormap: Colormap, mapEntries: Int = 216) -> [Color] {
        precondition(mapEntries >= 2 && mapEntries <= 246, "leave room for the grays")
        let map = (0..<mapEntries).map { colormap.color(at: Double($0) / Double(mapEntries - 1)).withAlpha(1) }
        let grayCount = 256 - mapEntries - Color.okabeIto.count
        let grays = (0..<grayCount).map { i -> Color in
            let v = Double(i) / Double(grayCount - 1)
            return Color(red: v, green: v, blue: v)
        }
        return map + Color.okabeIto + grays
    }

    /// The index of the palette colour nearest to (r, g, b).
    public func nearest(red: Int, green: Int, blue: Int) -> UInt8 {
        var best = 0, bestDistance = Int.max
        for (k, c) in table.enumerated() {
            let dr = c.0 - red, dg = c.1 - green, db = c.2 - blue
            let distance = dr * dr + dg * dg + db * db
            if distance < bestDistance { bestDistance = distance; best = k }
        }
        return UInt8(best)
    }

    /// Palette indices `[height · width]` of an image (row 0 at the top), pixels composited
    /// over white.
    public func indices(of image: RGBAImage) -> [UInt8] {
        var memo: [Int: UInt8] = [:]
        var out = [UInt8](repeating: 0, count: image.width * image.height)
        for p in out.indices {
            let a = Int(image.bytes[4 * p + 3])
            func over(_ c: UInt8) -> Int { (Int(c) * a + 255 * (255 - a) + 127) / 255 }
            let (r, g, b) = (over(image.bytes[4 * p]), over(image.bytes[4 * p + 1]), over(image.bytes[4 * p + 2]))
            let key = (r << 16) | (g << 8) | b
            if let index = memo[key] { out[p] = index; continue }
            let index = nearest(red: r, green: g, blue: b)
            memo[key] = index
            out[p] = index
        }
        return out
    }
}
