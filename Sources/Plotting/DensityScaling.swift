import NumericalCore

/// How a page of density panels maps values to colours.
///
/// - `perPanel`: every panel divided by its own peak, so each shows its shape on the full
///   colour range whatever the others hold (a spike in one panel dims no other); the
///   peaks go in the titles.
/// - `shared(quantile:)`: one range for all panels, from 0 to the given quantile of all finite
///   values (e.g. 0.995), so panels compare in absolute terms and a few extreme cells
///   saturate instead of dimming everything (say so on the colour bar).
public enum DensityScaling: Equatable, Sendable {
    case perPanel
    case shared(quantile: Double)

    /// The grids rescaled for a colour range of [0, 1] and the factor each was divided by.
    public func apply(to grids: [Matrix]) -> (scaled: [Matrix], divisors: [Double]) {
        let divisors: [Double]
        switch self {
        case .perPanel:
            divisors = grids.map { Self.peak($0.elements) }
        case let .shared(quantile):
            let all = grids.flatMap { $0.elements }.filter(\.isFinite).sorted()
            let top = all.isEmpty ? 1 : all[min(all.count - 1, Int((quantile * Double(all.count - 1)).rounded()))]
            let divisor = top > 0 ? top : Self.peak(all)
            divisors = grids.map { _ in divisor }
        }
        let scaled = zip(grids, divisors).map { grid, divisor -> Matrix in
            var out = grid
            for k in out.elements.indices { out.elements[k] /= divisor }
            return out
        }
        return (scaled, divisors)
    }

    /// The largest finite value, or 1 when there is none above zero (so dividing is harmless).
    static func peak(_ values: [Double]) -> Double {
        let top = values.filter(\.isFinite).max() ?? 0
        return top > 0 ? top : 1
    }
}
