import Foundation

/// A convex polygon in the plane, vertices counter-clockwise, as flat `[x₀, y₀, x₁, y₁, …]`.
///
/// The exact geometry of the mesh exports and the conservative remap: splitting by an
/// axis-parallel line (Sutherland–Hodgman with both halves kept, so the two parts
/// partition the polygon and their areas add up to its area up to rounding) and clipping
/// by the half-planes of a convex polygon (triangle–triangle intersection). Degenerate
/// results (fewer than 3 vertices) are empty polygons of area 0.
struct ConvexPolygon {
    /// Vertex coordinates, `[vertexCount, 2]` row-major, counter-clockwise.
    var coordinates: [Double]

    init(coordinates: [Double]) { self.coordinates = coordinates }

    /// The triangle (a, b, c), counter-clockwise.
    init(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ cx: Double, _ cy: Double) {
        coordinates = [ax, ay, bx, by, cx, cy]
    }

    var vertexCount: Int { coordinates.count / 2 }
    var isEmpty: Bool { coordinates.count < 6 }

    /// The shoelace area ½ Σ (xₖ y_{k+1} − x_{k+1} y_k), ≥ 0 for counter-clockwise order.
    var area: Double {
        let n = vertexCount
        guard n >= 3 else { return 0 }
        // Relative to the first vertex: the products stay small where the polygon is far
        // from the origin (less cancellation).
        let ox = coordinates[0], oy = coordinates[1]
        var twice = 0.0
        for k in 1..<(n - 1) {
            let ux = coordinates[2 * k] - ox, uy = coordinates[2 * k + 1] - oy
            let vx = coordinates[2 * k + 2] - ox, vy = coordinates[2 * k + 3] - oy
            twice += ux * vy - uy * vx
        }
        return 0.5 * twice
    }

    /// ∫ x dA and ∫ y dA over the polygon (fan triangulation from the first vertex: each
    /// triangle contributes area × centroid).
    var firstMoments: (x: Double, y: Double) {
        let n = vertexCount
        guard n >= 3 else { return (0, 0) }
        let ox = coordinates[0], oy = coordinates[1]
        var mx = 0.0, my = 0.0
        for k in 1..<(n - 1) {
            let bx = coordinates[2 * k], by = coordinates[2 * k + 1]
            let cx = coordinates[2 * k + 2], cy = coordinates[2 * k + 3]
            let a = 0.5 * ((bx - ox) * (cy - oy) - (by - oy) * (cx - ox))
            mx += a * (ox + bx + cx) / 3
            my += a * (oy + by + cy) / 3
        }
        return (mx, my)
    }

    /// The parts of the polygon below and above the line {coordinate `axis` = `value`}
    /// (axis 0: x, axis 1: y). Each part is convex and counter-clockwise; the crossing
    /// points are computed once and shared by both parts, so nothing is lost between them.
    func split(axis: Int, at value: Double) -> (below: ConvexPolygon, above: ConvexPolygon) {
        let n = vertexCount
        var below = [Double](), above = [Double]()
        below.reserveCapacity(2 * n + 4)
        above.reserveCapacity(2 * n + 4)
        for k in 0..<n {
            let px = coordinates[2 * k], py = coordinates[2 * k + 1]
            let q = (k + 1) % n
            let qx = coordinates[2 * q], qy = coordinates[2 * q + 1]
            let p = axis == 0 ? px : py, qv = axis == 0 ? qx : qy
            if p <= value { below.append(px); below.append(py) }
            if p >= value { above.append(px); above.append(py) }
            if (p < value && qv > value) || (p > value && qv < value) {
                let s = (value - p) / (qv - p)
                let ix = axis == 0 ? value : px + s * (qx - px)
                let iy = axis == 0 ? py + s * (qy - py) : value
                below.append(ix); below.append(iy)
                above.append(ix); above.append(iy)
            }
        }
        return (ConvexPolygon(coordinates: below), ConvexPolygon(coordinates: above))
    }

    /// The part of the polygon to the left of the directed line from (ax, ay) to (bx, by)
    /// (the inside of a counter-clockwise polygon whose edge it is).
    func clipped(toLeftOf ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> ConvexPolygon {
        let n = vertexCount
        guard n >= 3 else { return self }
        let ex = bx - ax, ey = by - ay
        func side(_ x: Double, _ y: Double) -> Double { ex * (y - ay) - ey * (x - ax) }
        var out = [Double]()
        out.reserveCapacity(2 * n + 2)
        for k in 0..<n {
            let px = coordinates[2 * k], py = coordinates[2 * k + 1]
            let q = (k + 1) % n
            let qx = coordinates[2 * q], qy = coordinates[2 * q + 1]
            let sp = side(px, py), sq = side(qx, qy)
            if sp >= 0 { out.append(px); out.append(py) }
            if (sp > 0 && sq < 0) || (sp < 0 && sq > 0) {
                let s = sp / (sp - sq)
                out.append(px + s * (qx - px)); out.append(py + s * (qy - py))
            }
        }
        return ConvexPolygon(coordinates: out)
    }

    /// The intersection with the counter-clockwise triangle (a, b, c).
    func intersected(withTriangle ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                     _ cx: Double, _ cy: Double) -> ConvexPolygon {
        var p = clipped(toLeftOf: ax, ay, bx, by)
        if p.isEmpty { return p }
        p = p.clipped(toLeftOf: bx, by, cx, cy)
        if p.isEmpty { return p }
        return p.clipped(toLeftOf: cx, cy, ax, ay)
    }
}
