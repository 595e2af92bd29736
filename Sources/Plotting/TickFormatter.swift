import Foundation

/// Tick labels: as many decimals as the tick spacing needs, scientific notation for very
/// large or small magnitudes, a typographic minus sign, and 10ⁿ with superscripts on log axes.
public enum TickFormatter {
    /// Labels for equally spaced ticks, all with the same number of decimals.
    public static func linearLabels(_ ticks: [Double]) -> [String] {
        guard !ticks.isEmpty else { return [] }
        let step = NiceTicks.step(of: ticks)
        let magnitude = ticks.map(abs).max() ?? 0
        if magnitude >= 1e5 || (magnitude > 0 && magnitude < 1e-3) || (step > 0 && step < 1e-4) {
            return ticks.map { scientific($0) }
        }
        let decimals = step > 0 ? decimalsNeeded(step) : decimalsNeeded(ticks[0])
        return ticks.map { fixed($0, decimals: decimals) }
    }

    /// One number with few significant digits (for colour bars, legends and titles).
    public static func compact(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return scientific(value) }
        let decimals = max(0, min(6, 3 - Int(floor(log10(magnitude)))))
        var text = fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// "10ⁿ" for powers of ten, otherwise "q×10ⁿ" (q rounded to an integer: log ticks are 1, 2, 5 multiples).
    public static func logLabel(_ value: Double) -> String {
        guard value > 0 else { return fixed(value, decimals: 0) }
        let exponent = Int(floor(log10(value) + 1e-9))
        let mantissa = value / pow(10, Double(exponent))
        if abs(mantissa - 1) < 1e-6 { return "10" + superscript(exponent) }
        return fixed(mantissa, decimals: 0) + "×10" + superscript(exponent)
    }

    /// The smallest number of decimals (≤ 10) that writes `value` exactly to 1e-9 relative.
    static func decimalsNeeded(_ value: Double) -> Int {
        let magnitude = abs(value)
        guard magnitude > 0 else { return 0 }
        for d in 0...10 {
            let scaled = magnitude * pow(10, Double(d))
            if abs(scaled - scaled.rounded()) <= 1e-6 * max(1, scaled) { return d }
        }
        return 10
    }

    static func fixed(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-") {
            // "-0.00" is zero; otherwise use the typographic minus sign.
            text = Double(text) == 0 ? String(text.dropFirst()) : "\u{2212}" + text.dropFirst()
        }
        return text
    }

    static func scientific(_ value: Double) -> String {
        guard value != 0 else { return "0" }
        let exponent = Int(floor(log10(abs(value)) + 1e-9))
        let mantissa = value / pow(10, Double(exponent))
        var m = String(format: "%.2f", mantissa)
        while m.hasSuffix("0") { m.removeLast() }
        if m.hasSuffix(".") { m.removeLast() }
        if m.hasPrefix("-") { m = "\u{2212}" + m.dropFirst() }
        return m + "e" + (exponent < 0 ? "\u{2212}" : "") + String(abs(exponent))
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(String(abs(n)).map { digits[Int(String($0))!] })
        return (n < 0 ? "⁻" : "") + body
    }
}
