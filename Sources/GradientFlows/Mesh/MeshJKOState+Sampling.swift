import NumericalCore

extension MeshJKOState {
    /// `count` exact draws `[count, 2]` from the piecewise-constant density ρ = mass_T/area_T:
    /// a triangle with probability mass_T / Σ mass, then a uniform point in it
    /// (barycentric (1 − √u, √u(1 − v), √u v), u, v ~ U(0, 1)). O(count · log triangles).
    public func sample(count: Int, using generator: inout RandomGenerator) -> Matrix {
        var cumulative = [Double](repeating: 0, count: triangleMasses.count)
        var running = 0.0
        for (t, m) in triangleMasses.enumerated() { running += m; cumulative[t] = running }
        var out = Matrix(rows: count, columns: 2)
        let p = positions, tri = mesh.triangles
        for i in 0..<count {
            let target = generator.uniform() * running
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] <= target { lo = mid + 1 } else { hi = mid }
            }
            let a = tri[3 * lo], b = tri[3 * lo + 1], c = tri[3 * lo + 2]
            let r = generator.uniform().squareRoot(), v = generator.uniform()
            let la = 1 - r, lb = r * (1 - v), lc = r * v
            out[i, 0] = la * p[2 * a] + lb * p[2 * b] + lc * p[2 * c]
            out[i, 1] = la * p[2 * a + 1] + lb * p[2 * b + 1] + lc * p[2 * c + 1]
        }
        return out
    }
}
