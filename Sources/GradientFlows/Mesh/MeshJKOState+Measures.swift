import Foundation
import NumericalCore
import Probability

/// Derived quantities of a mesh iterate: densities, exact moments of the piecewise-constant
/// density, transport costs between iterates, mesh quality, and exports (grid densities,
/// weighted node clouds).
extension MeshJKOState {
    /// Current signed areas, length `triangleCount`.
    public var areas: [Double] { mesh.areas(in: positions) }

    /// ρ on each triangle, mass_T / area_T.
    public var triangleDensities: [Double] {
        let a = areas
        return (0..<mesh.triangleCount).map { triangleMasses[$0] / a[$0] }
    }

    /// The nodes as a cloud `[nodeCount, 2]` (weights: ``nodeMasses``).
    public var nodeCloud: Matrix { Matrix(rows: mesh.nodeCount, columns: 2, elements: positions) }

    /// The smallest interior angle of the current mesh, in degrees.
    public var minimumAngle: Double { mesh.minimumAngle(in: positions) }

    /// max_T area_T / min_T area_T of the current mesh (1 for the uniform start mesh).
    public var areaRatio: Double {
        let a = areas
        return (a.max() ?? 1) / (a.min() ?? 1)
    }

    /// E[X] of the piecewise-constant density, Σ_T mass_T · centroid_T (= Σᵢ mᵢxᵢ).
    public var mean: [Double] {
        var m = [0.0, 0.0]
        for i in 0..<mesh.nodeCount {
            m[0] += nodeMasses[i] * positions[2 * i]
            m[1] += nodeMasses[i] * positions[2 * i + 1]
        }
        return m
    }

    /// Cov[X] of the piecewise-constant density, exact: a uniform law on the triangle with
    /// vertices v₁, v₂, v₃ has E[XXᵀ] = (Σ vₖvₖᵀ + s sᵀ)/12 with s = v₁ + v₂ + v₃.
    public var covariance: Matrix {
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for t in 0..<mesh.triangleCount {
            var vx = 0.0, vy = 0.0, qxx = 0.0, qxy = 0.0, qyy = 0.0
            for r in 0..<3 {
                let n = mesh.triangles[3 * t + r]
                let x = positions[2 * n], y = positions[2 * n + 1]
                vx += x; vy += y
                qxx += x * x; qxy += x * y; qyy += y * y
            }
            let w = triangleMasses[t] / 12
            sxx += w * (qxx + vx * vx)
            sxy += w * (qxy + vx * vy)
            syy += w * (qyy + vy * vy)
        }
        let m = mean
        return Matrix([[sxx - m[0] * m[0], sxy - m[0] * m[1]], [sxy - m[0] * m[1], syy - m[1] * m[1]]])
    }

    /// The Gaussian with this iterate's mean and covariance (for Bures–W₂ comparisons).
    public var gaussianFit: Gaussian {
        get throws { try Gaussian(mean: mean, covariance: covariance) }
    }

    /// ∫|Φ(x) − x|² dρ for the piecewise-affine map Φ that moves this iterate's mesh onto
    /// `other`'s (same topology): Σ_T mass_T (Σₖ|dₖ|² + |Σₖ dₖ|²)/12 with dₖ the vertex
    /// displacements. Φ pushes this density exactly onto `other`'s, so the cost is an upper
    /// bound on W₂²; it is at most the lumped cost Σᵢ mᵢ|dᵢ|² the scheme minimises.
    public func affineTransportCost(to other: MeshJKOState) -> Double {
        precondition(other.mesh.nodeCount == mesh.nodeCount && other.mesh.triangles == mesh.triangles,
                     "affineTransportCost: the iterates must share one topology")
        var total = 0.0
        for t in 0..<mesh.triangleCount {
            var sx = 0.0, sy = 0.0, q = 0.0
            for r in 0..<3 {
                let n = mesh.triangles[3 * t + r]
                let dx = other.positions[2 * n] - positions[2 * n], dy = other.positions[2 * n + 1] - positions[2 * n + 1]
                sx += dx; sy += dy; q += dx * dx + dy * dy
            }
            total += triangleMasses[t] * (q + sx * sx + sy * sy) / 12
        }
        return total
    }

    /// Σᵢ mᵢ|xᵢ − x'ᵢ|², the lumped kinetic cost the scheme uses (≥ ``affineTransportCost(to:)``).
    public func lumpedTransportCost(to other: MeshJKOState) -> Double {
        precondition(other.mesh.nodeCount == mesh.nodeCount, "lumpedTransportCost: the iterates must share one topology")
        var total = 0.0
        for i in 0..<mesh.nodeCount {
            let dx = other.positions[2 * i] - positions[2 * i], dy = other.positions[2 * i + 1] - positions[2 * i + 1]
            total += nodeMasses[i] * (dx * dx + dy * dy)
        }
        return total
    }

    /// ρ({x : x_axis < threshold}), exact for the piecewise-constant density: each
    /// triangle is clipped by the half-plane and contributes density × clipped area.
    public func mass(along axis: Int, below threshold: Double) -> Double {
        precondition(axis == 0 || axis == 1, "mass(along:below:): axis must be 0 or 1")
        var total = 0.0
        for t in 0..<mesh.triangleCount {
            var polygon = [(Double, Double)]()
            for r in 0..<3 {
                let n = mesh.triangles[3 * t + r]
                polygon.append((positions[2 * n], positions[2 * n + 1]))
            }
            // Sutherland–Hodgman against one half-plane.
            func coordinate(_ p: (Double, Double)) -> Double { axis == 0 ? p.0 : p.1 }
            var clipped = [(Double, Double)]()
            for k in 0..<3 {
                let p = polygon[k], q = polygon[(k + 1) % 3]
                let pIn = coordinate(p) < threshold, qIn = coordinate(q) < threshold
                if pIn { clipped.append(p) }
                if pIn != qIn {
                    let s = (threshold - coordinate(p)) / (coordinate(q) - coordinate(p))
                    clipped.append((p.0 + s * (q.0 - p.0), p.1 + s * (q.1 - p.1)))
                }
            }
            guard clipped.count >= 3 else { continue }
            var twiceArea = 0.0
            for k in clipped.indices {
                let p = clipped[k], q = clipped[(k + 1) % clipped.count]
                twiceArea += p.0 * q.1 - q.0 * p.1
            }
            let area = mesh.area(of: t, in: positions)
            total += triangleMasses[t] * min(1, max(0, 0.5 * twiceArea / area))
        }
        return total
    }

    /// The piecewise-constant density sampled at the grid points (xᵢ, yⱼ), `[xAxis.count,
    /// yAxis.count]` with entry (i, j) = ρ(xᵢ, yⱼ) (NumPy `meshgrid(..., indexing="ij")`);
    /// 0 outside the mesh. Axes must be ascending. Cost O(T + grid points covered).
    public func density(xAxis: [Double], yAxis: [Double]) -> Matrix {
        var out = Matrix(rows: xAxis.count, columns: yAxis.count)
        guard !xAxis.isEmpty, !yAxis.isEmpty else { return out }
        var filled = [Bool](repeating: false, count: xAxis.count * yAxis.count)
        let p = positions
        for t in 0..<mesh.triangleCount {
            let a = mesh.triangles[3 * t], b = mesh.triangles[3 * t + 1], c = mesh.triangles[3 * t + 2]
            let ax = p[2 * a], ay = p[2 * a + 1], bx = p[2 * b], by = p[2 * b + 1], cx = p[2 * c], cy = p[2 * c + 1]
            let twiceArea = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
            guard twiceArea > 0 else { continue }
            let rho = triangleMasses[t] / (0.5 * twiceArea)
            let slack = -1e-12 * twiceArea
            let iLo = lowerIndex(xAxis, min(ax, bx, cx)), iHi = upperIndex(xAxis, max(ax, bx, cx))
            let jLo = lowerIndex(yAxis, min(ay, by, cy)), jHi = upperIndex(yAxis, max(ay, by, cy))
            guard iLo < iHi, jLo < jHi else { continue }
            for i in iLo..<iHi {
                let x = xAxis[i]
                for j in jLo..<jHi where !filled[i * yAxis.count + j] {
                    let y = yAxis[j]
                    // Edge functions: twice the signed areas of the sub-triangles opposite each vertex.
                    let la = (bx - x) * (cy - y) - (by - y) * (cx - x)
                    let lb = (cx - x) * (ay - y) - (cy - y) * (ax - x)
                    let lc = (ax - x) * (by - y) - (ay - y) * (bx - x)
                    if la >= slack, lb >= slack, lc >= slack {
                        out[i, j] = rho
                        filled[i * yAxis.count + j] = true
                    }
                }
            }
        }
        return out
    }

    /// First index with axis[k] ≥ value.
    private func lowerIndex(_ axis: [Double], _ value: Double) -> Int {
        var lo = 0, hi = axis.count
        while lo < hi { let mid = (lo + hi) / 2; if axis[mid] < value { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// First index with axis[k] > value.
    private func upperIndex(_ axis: [Double], _ value: Double) -> Int {
        var lo = 0, hi = axis.count
        while lo < hi { let mid = (lo + hi) / 2; if axis[mid] <= value { lo = mid + 1 } else { hi = mid } }
        return lo
    }
}
