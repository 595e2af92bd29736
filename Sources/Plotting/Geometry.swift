// Points, sizes and rectangles of the drawing surface. Units are typographic points
// (1/72 inch); the origin is the top-left corner and y grows downwards, as on a page.

/// A position on the drawing surface, in points, y downwards.
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Euclidean distance to another point.
    public func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

/// A width and a height, in points.
public struct Size: Equatable, Sendable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}

/// An axis-aligned rectangle: `origin` is its top-left corner.
public struct Rect: Equatable, Sendable {
    public var origin: Point
    public var size: Size

    public init(x: Double, y: Double, width: Double, height: Double) {
        origin = Point(x: x, y: y)
        size = Size(width: width, height: height)
    }

    public var minX: Double { origin.x }
    public var minY: Double { origin.y }
    public var maxX: Double { origin.x + size.width }
    public var maxY: Double { origin.y + size.height }
    public var width: Double { size.width }
    public var height: Double { size.height }
    public var center: Point { Point(x: origin.x + size.width / 2, y: origin.y + size.height / 2) }

    /// The rectangle shrunk by the given margins on each side (never below zero size).
    public func inset(left: Double, top: Double, right: Double, bottom: Double) -> Rect {
        Rect(x: minX + left, y: minY + top,
             width: max(0, width - left - right), height: max(0, height - top - bottom))
    }

    /// The largest rectangle of the given width/height ratio centred inside this one.
    public func centered(aspectRatio: Double) -> Rect {
        guard aspectRatio > 0, aspectRatio.isFinite, width > 0, height > 0 else { return self }
        if width / height > aspectRatio {
            let w = height * aspectRatio
            return Rect(x: minX + (width - w) / 2, y: minY, width: w, height: height)
        }
        let h = width / aspectRatio
        return Rect(x: minX, y: minY + (height - h) / 2, width: width, height: h)
    }
}

/// A closed interval of data values, `lower ≤ upper`.
public struct Interval: Equatable, Sendable {
    public var lower: Double
    public var upper: Double

    public init(_ lower: Double, _ upper: Double) {
        self.lower = min(lower, upper)
        self.upper = max(lower, upper)
    }

    public var span: Double { upper - lower }

    /// The smallest interval holding all finite values, or nil when there are none.
    public static func enclosing<S: Sequence>(_ values: S) -> Interval? where S.Element == Double {
        var lower = Double.infinity
        var upper = -Double.infinity
        for v in values where v.isFinite {
            lower = min(lower, v)
            upper = max(upper, v)
        }
        return lower <= upper ? Interval(lower, upper) : nil
    }

    /// The smallest interval holding both.
    public func union(_ other: Interval) -> Interval {
        Interval(min(lower, other.lower), max(upper, other.upper))
    }

    /// Widened by `fraction` of the span on each side; a degenerate interval gets ±0.5 (or ±10 %).
    public func padded(by fraction: Double) -> Interval {
        if span <= 0 {
            let half = lower == 0 ? 0.5 : abs(lower) * 0.1
            return Interval(lower - half, upper + half)
        }
        return Interval(lower - fraction * span, upper + fraction * span)
    }
}
