import Foundation
import NumericalCore

/// One panel of a figure: a plot area with its elements, scales, ticks, labels, title,
/// legend and optional colour bar.
///
/// Limits default to the union of the elements' bounds, padded by 4 % on each side (no
/// padding when a heatmap or image is present); set `xLimits`/`yLimits` to fix them.
/// Axes are reference objects so a figure's panels can be filled in place:
/// `figure[0, 1].add(LinePlot(...))`.
public final class Axes {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScaleKind: Scale.Kind = .linear
    public var yScaleKind: Scale.Kind = .linear
    public var xLimits: Interval?
    public var yLimits: Interval?
    /// One data unit has the same length along x and y (circles stay round).
    public var equalAspect = false
    /// Draw the frame, ticks and tick labels (off for image grids).
    public var showsAxes = true
    /// Light gray lines at the ticks, under the data.
    public var showsGrid = false
    /// Show a legend when any element has a label.
    public var showsLegend = true
    public var legendCorner: Corner = .topRight
    public var colorBar: ColorBar?
    /// Fill of the plot area (nil: the figure background shows).
    public var background: Color?
    public private(set) var elements: [PlotElement] = []

    public enum Corner: Sendable { case topLeft, topRight, bottomLeft, bottomRight }

    public init() {}

    /// Adds an element on top of those already there.
    public func add(_ element: PlotElement) {
        elements.append(element)
    }

    /// Adds several elements, in order.
    public func add(_ newElements: [PlotElement]) {
        elements.append(contentsOf: newElements)
    }

    /// Tiles images in this panel, with equal aspect and no axes.
    public func showImageGrid(_ images: [RGBAImage], columns: Int) {
        add(ImageGrid(images: images, columns: columns))
        equalAspect = true
        showsAxes = false
        showsLegend = false
    }

    /// The x and y scales: the limits if set, else the padded union of element bounds
    /// (positive values only on a log axis).
    public func resolvedScales() -> (x: Scale, y: Scale) {
        let tight = elements.contains { $0.fitsTightly }
        let x = xLimits ?? Self.automaticDomain(elements.compactMap(\.xBounds), kind: xScaleKind, tight: tight)
        let y = yLimits ?? Self.automaticDomain(elements.compactMap(\.yBounds), kind: yScaleKind, tight: tight)
        return (Scale(xScaleKind, domain: x), Scale(yScaleKind, domain: y))
    }

    static func automaticDomain(_ bounds: [Interval], kind: Scale.Kind, tight: Bool) -> Interval {
        guard var union = bounds.first else { return kind == .log ? Interval(1, 10) : Interval(0, 1) }
        for b in bounds.dropFirst() { union = union.union(b) }
        let padding = tight ? 0 : 0.04
        switch kind {
        case .linear:
            return tight && union.span > 0 ? union : union.padded(by: padding)
        case .log:
            let lower = union.lower > 0 ? union.lower : (union.upper > 0 ? union.upper * 1e-3 : 1)
            let upper = union.upper > lower ? union.upper : lower * 10
            let logs = Interval(log10(lower), log10(upper)).padded(by: padding)
            return Interval(pow(10, logs.lower), pow(10, logs.upper))
        }
    }
}
