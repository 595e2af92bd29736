// Continuous colour maps: a table of colours sampled at equally spaced positions in
// [0, 1], read with linear interpolation between neighbouring entries.

/// A continuous colour map on [0, 1].
///
/// `viridis` and `magma` are the exact 256-entry tables shipped by matplotlib
/// (perceptually uniform, readable in gray scale and by colour-blind readers);
/// `redBlue` is ColorBrewer's diverging RdBu with blue for negative and red for positive
/// values (matplotlib's `RdBu_r`), white at the midpoint. Values outside [0, 1] are clamped;
/// NaN maps to `invalidColor`.
public struct Colormap: Equatable, Sendable {
    public let name: String
    /// Colours at positions i / (count − 1), i = 0…count − 1.
    public let entries: [Color]
    /// Colour of NaN values (transparent by default, so the background shows).
    public var invalidColor = Color(red: 1, green: 1, blue: 1, alpha: 0)

    public init(name: String, entries: [Color]) {
        precondition(entries.count >= 2, "a colour map needs at least two entries")
        self.name = name
        self.entries = entries
    }

    public static let viridis = Colormap(name: "viridis", entries: ColormapTables.viridis)
    public static let magma = Colormap(name: "magma", entries: ColormapTables.magma)
    public static let redBlue = Colormap(name: "RdBu_r", entries: ColormapTables.redBlueNodes)

    /// The built-in maps, by name.
    public static let all: [Colormap] = [.viridis, .magma, .redBlue]

    /// The map read backwards.
    public var reversed: Colormap {
        var map = Colormap(name: name + "_r", entries: entries.reversed())
        map.invalidColor = invalidColor
        return map
    }

    /// The colour at position `t` ∈ [0, 1] (clamped), interpolated linearly between entries.
    public func color(at t: Double) -> Color {
        guard !t.isNaN else { return invalidColor }
        let position = max(0, min(1, t)) * Double(entries.count - 1)
        let index = min(Int(position), entries.count - 2)
        return entries[index].mixed(with: entries[index + 1], fraction: position - Double(index))
    }

    /// The colour of `value` when `range.lower` maps to 0 and `range.upper` to 1.
    public func color(for value: Double, in range: Interval) -> Color {
        guard range.span > 0 else { return color(at: 0.5) }
        return color(at: (value - range.lower) / range.span)
    }

    /// A lookup table of `count` 8-bit RGBA colours, for fast pixel filling.
    public func byteTable(count: Int = 256) -> [(UInt8, UInt8, UInt8, UInt8)] {
        (0..<count).map { i in
            let b = color(at: Double(i) / Double(count - 1)).bytes
            return (b.red, b.green, b.blue, b.alpha)
        }
    }

    public static func == (a: Colormap, b: Colormap) -> Bool { a.name == b.name && a.entries == b.entries }
}
