// Colours: straight (not premultiplied) sRGB components in [0, 1] with an alpha.

/// An sRGB colour with opacity; components in [0, 1], not premultiplied.
public struct Color: Equatable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from "RRGGBB" or "#RRGGBB"; nil when the text is not six hex digits.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(red: Double((value >> 16) & 0xFF) / 255,
                  green: Double((value >> 8) & 0xFF) / 255,
                  blue: Double(value & 0xFF) / 255)
    }

    /// The same colour with another opacity.
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// Linear interpolation in sRGB: `t = 0` gives `self`, `t = 1` gives `other`.
    public func mixed(with other: Color, fraction t: Double) -> Color {
        Color(red: red + (other.red - red) * t,
              green: green + (other.green - green) * t,
              blue: blue + (other.blue - blue) * t,
              alpha: alpha + (other.alpha - alpha) * t)
    }

    /// The components as 8-bit integers (rounded, clamped).
    public var bytes: (red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8) {
        func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }
        return (byte(red), byte(green), byte(blue), byte(alpha))
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let gray = Color(red: 0.5, green: 0.5, blue: 0.5)
    public static let lightGray = Color(red: 0.85, green: 0.85, blue: 0.85)
    /// Dark gray for text and axis lines (softer than black).
    public static let ink = Color(red: 0.15, green: 0.15, blue: 0.15)

    /// The eight colours of Okabe & Ito (2008), distinguishable under the common colour-vision
    /// deficiencies: black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish
    /// purple. Figures give each method one of them (see the method styles of Experiments).
    public static let okabeIto: [Color] = [
        "000000", "E69F00", "56B4E9", "009E73", "F0E442", "0072B2", "D55E00", "CC79A7",
    ].map { Color(hex: $0)! }

    /// The ten categorical colours of matplotlib's default cycle (Tableau 10).
    public static let categorical: [Color] = [
        "1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd", "8c564b", "e377c2", "7f7f7f", "bcbd22", "17becf",
    ].map { Color(hex: $0)! }

    /// The i-th categorical colour, cycling.
    public static func categorical(_ index: Int) -> Color {
        categorical[((index % categorical.count) + categorical.count) % categorical.count]
    }
}
