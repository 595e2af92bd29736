import NumericalCore

/// Level sets of a function sampled on a regular grid, by marching squares.
///
/// Grid convention: `values[i, j]` is f(xs[j], ys[i]). Each grid cell whose corners straddle
/// the level contributes one segment (two at a saddle) between points found by linear
/// interpolation along the cell edges. Saddles are resolved with the cell-centre average
/// (the "asymptotic decider" lite): if the centre is above the level, the two above-level
/// corners are taken to be connected. Cost O(nx · ny) per level.
public enum MarchingSquares {
    /// A contour segment in data coordinates.
    public struct Segment: Equatable, Sendable {
        public var start: (x: Double, y: Double)
        public var end: (x: Double, y: Double)

        public var length: Double {
            ((end.x - start.x) * (end.x - start.x) + (end.y - start.y) * (end.y - start.y)).squareRoot()
        }

        public static func == (a: Segment, b: Segment) -> Bool {
            a.start == b.start && a.end == b.end
        }
    }

    /// All segments of the level set {f = level}.
    public static func segments(values: Matrix, xs: [Double], ys: [Double], level: Double) -> [Segment] {
        precondition(values.rows == ys.count && values.columns == xs.count,
                     "grid values must be [ys.count, xs.count] = [\(ys.count), \(xs.count)], got \(values.shape)")
        var result: [Segment] = []
        guard xs.count >= 2, ys.count >= 2 else { return result }
        for i in 0..<(ys.count - 1) {
            for j in 0..<(xs.count - 1) {
                appendSegments(values: values, xs: xs, ys: ys, i: i, j: j, level: level, to: &result)
            }
        }
        return result
    }

    /// The segments joined into polylines (so a dash pattern runs along a whole contour line
    /// instead of restarting in every cell). Neighbouring cells compute a shared edge's crossing
    /// from the same two corner values in the same order, so joined ends match exactly.
    public static func polylines(values: Matrix, xs: [Double], ys: [Double], level: Double) -> [[(x: Double, y: Double)]] {
        let pieces = segments(values: values, xs: xs, ys: ys, level: level)
        struct Key: Hashable { let x: UInt64, y: UInt64 }
        func key(_ p: (x: Double, y: Double)) -> Key { Key(x: p.x.bitPattern, y: p.y.bitPattern) }
        var ends: [Key: [Int]] = [:]
        for (k, s) in pieces.enumerated() {
            ends[key(s.start), default: []].append(k)
            ends[key(s.end), default: []].append(k)
        }
        var used = [Bool](repeating: false, count: pieces.count)
        var lines: [[(x: Double, y: Double)]] = []
        func extend(_ line: inout [(x: Double, y: Double)]) {
            while let last = line.last, let next = ends[key(last)]?.first(where: { !used[$0] }) {
                used[next] = true
                line.append(key(pieces[next].start) == key(last) ? pieces[next].end : pieces[next].start)
            }
        }
        for k in pieces.indices where !used[k] {
            used[k] = true
            var forward = [pieces[k].start, pieces[k].end]
            extend(&forward)
            var backward = [pieces[k].start]
            extend(&backward)
            lines.append(backward.dropFirst().reversed() + forward)
        }
        return lines
    }

    /// Cell (i, j) has corners c0 = (j, i), c1 = (j+1, i), c2 = (j+1, i+1), c3 = (j, i+1);
    /// edges e0 = c0–c1 (bottom), e1 = c1–c2 (right), e2 = c3–c2 (top), e3 = c0–c3 (left).
    private static func appendSegments(values: Matrix, xs: [Double], ys: [Double], i: Int, j: Int,
                                       level: Double, to result: inout [Segment]) {
        let (v0, v1, v2, v3) = (values[i, j], values[i, j + 1], values[i + 1, j + 1], values[i + 1, j])
        // Most cells lie wholly on one side: leave before building any arrays.
        let allAbove = v0 > level && v1 > level && v2 > level && v3 > level
        let allBelow = v0 <= level && v1 <= level && v2 <= level && v3 <= level
        guard !allAbove, !allBelow, v0.isFinite, v1.isFinite, v2.isFinite, v3.isFinite else { return }
        let v = [v0, v1, v2, v3]
        let above = v.map { $0 > level }
        let corner = [(xs[j], ys[i]), (xs[j + 1], ys[i]), (xs[j + 1], ys[i + 1]), (xs[j], ys[i + 1])]
        let edges = [(0, 1), (1, 2), (3, 2), (0, 3)]

        func crossing(_ e: Int) -> (x: Double, y: Double) {
            let (a, b) = edges[e]
            let t = (level - v[a]) / (v[b] - v[a])
            return (corner[a].0 + t * (corner[b].0 - corner[a].0), corner[a].1 + t * (corner[b].1 - corner[a].1))
        }

        let cut = (0..<4).filter { above[edges[$0].0] != above[edges[$0].1] }
        switch cut.count {
        case 2:
            result.append(Segment(start: crossing(cut[0]), end: crossing(cut[1])))
        case 4:
            let centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4 > level
            // Corners 0 and 2 on one side, 1 and 3 on the other. Cut off the two corners that
            // are on the side the centre is not on: corner 0 ↔ edges (3, 0), 1 ↔ (0, 1),
            // 2 ↔ (1, 2), 3 ↔ (2, 3).
            if above[0] != centreAbove {
                result.append(Segment(start: crossing(3), end: crossing(0)))
                result.append(Segment(start: crossing(1), end: crossing(2)))
            } else {
                result.append(Segment(start: crossing(0), end: crossing(1)))
                result.append(Segment(start: crossing(2), end: crossing(3)))
            }
        default:
            break
        }
    }
}
