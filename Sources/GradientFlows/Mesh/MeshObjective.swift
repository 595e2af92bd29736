import Foundation
import Probability

/// The objective of one moving-mesh JKO step over node positions x (`[n, 2]` row-major):
///
///   Φ(x) = Σᵢ mᵢ|xᵢ − xᵢⁿ|²/(2h) + Σ_T M_T log(M_T / A_T(x)) + Σᵢ mᵢ V(xᵢ),
///
/// with A_T(x) = ½[(x_b − x_a)×(x_c − x_a)] the signed area of T = (a, b, c). Φ = +∞ as
/// soon as an area is ≤ 0: the entropy is the orientation barrier.
///
/// Derivatives (per triangle, g = ∇A_T ∈ ℝ⁶): ∇_a A = ½(y_b − y_c, x_c − x_b) and
/// cyclically; A is bilinear, ∇²A = K with blocks K_ab = ½[[0, ε_ab], [−ε_ab, 0]], where
/// ε_ab = ε_bc = ε_ca = 1 and ε_ba = ε_cb = ε_ac = −1. The entropy element contributes
/// −(M/A) g to the gradient and (M/A²) g gᵀ − (M/A) K to the Hessian. The second part is
/// indefinite, so Φ is not convex in general (unlike 1D); ``MeshJKO`` shifts the Hessian
/// by a multiple of the kinetic metric where needed. Cost O(n + T) per evaluation.
struct MeshObjective {
    let mesh: TriangleMesh
    let triangleMasses: [Double]
    let nodeMasses: [Double]
    let previous: [Double]
    let timeStep: Double
    let potential: any Potential
    /// Σ_T M_T log M_T.
    let massEntropy: Double

    init(state: MeshJKOState, timeStep: Double, potential: any Potential) {
        mesh = state.mesh
        triangleMasses = state.triangleMasses
        nodeMasses = state.nodeMasses
        previous = state.positions
        self.timeStep = timeStep
        self.potential = potential
        massEntropy = state.triangleMasses.reduce(0) { $0 + $1 * Foundation.log($1) }
    }

    /// Σ_T M_T log(M_T/A_T) + Σᵢ mᵢV(xᵢ): the discrete free energy F (KL up to log Z);
    /// +∞ when an area is ≤ 0.
    func freeEnergy(_ x: [Double]) -> Double {
        var logArea = 0.0
        let tri = mesh.triangles
        for t in 0..<mesh.triangleCount {
            let a = tri[3 * t], b = tri[3 * t + 1], c = tri[3 * t + 2]
            let twice = (x[2 * b] - x[2 * a]) * (x[2 * c + 1] - x[2 * a + 1]) - (x[2 * b + 1] - x[2 * a + 1]) * (x[2 * c] - x[2 * a])
            guard twice > 0 else { return .infinity }
            logArea += triangleMasses[t] * Foundation.log(0.5 * twice)
        }
        var potentialEnergy = 0.0
        var v = [Double](repeating: 0, count: mesh.nodeCount)
        x.withUnsafeBufferPointer { p in
            v.withUnsafeMutableBufferPointer { vp in
                potential.evaluate(count: mesh.nodeCount, points: p.baseAddress!, values: vp.baseAddress!, gradients: nil, hessians: nil)
            }
        }
        for i in 0..<mesh.nodeCount { potentialEnergy += nodeMasses[i] * v[i] }
        let f = massEntropy - logArea + potentialEnergy
        return f.isFinite ? f : .infinity
    }

    /// Σᵢ mᵢ|xᵢ − xᵢⁿ|²/(2h).
    func kineticEnergy(_ x: [Double]) -> Double {
        var s = 0.0
        for i in 0..<mesh.nodeCount {
            let dx = x[2 * i] - previous[2 * i], dy = x[2 * i + 1] - previous[2 * i + 1]
            s += nodeMasses[i] * (dx * dx + dy * dy)
        }
        return s / (2 * timeStep)
    }

    /// Φ(x); +∞ when an area is ≤ 0 or a value is not finite.
    func value(_ x: [Double]) -> Double {
        let f = freeEnergy(x)
        return f.isFinite ? f + kineticEnergy(x) : .infinity
    }

    /// Φ(x), writing ∇Φ (length 2n) to `gradient` and ∇²Φ into `hessian` (pattern of the
    /// mesh's node neighbourhoods); `slots[9T]` are the block indices of each triangle's
    /// 3 × 3 node pairs. Precondition: every area is > 0.
    func evaluate(_ x: [Double], gradient: inout [Double], hessian: inout SparseSymmetricMatrix,
                  slots: [Int], diagonal: [Int]) -> Double {
        let n = mesh.nodeCount
        var v = [Double](repeating: 0, count: n)
        var gv = [Double](repeating: 0, count: 2 * n)
        var hv = [Double](repeating: 0, count: 4 * n)
        x.withUnsafeBufferPointer { p in
            v.withUnsafeMutableBufferPointer { vp in
                gv.withUnsafeMutableBufferPointer { gp in
                    hv.withUnsafeMutableBufferPointer { hp in
                        potential.evaluate(count: n, points: p.baseAddress!, values: vp.baseAddress!,
                                           gradients: gp.baseAddress!, hessians: hp.baseAddress!)
                    }
                }
            }
        }
        hessian.setZero()
        var total = massEntropy
        let invH = 1 / timeStep
        for i in 0..<n {
            let m = nodeMasses[i]
            let dx = x[2 * i] - previous[2 * i], dy = x[2 * i + 1] - previous[2 * i + 1]
            total += m * (0.5 * invH * (dx * dx + dy * dy) + v[i])
            gradient[2 * i] = m * (invH * dx + gv[2 * i])
            gradient[2 * i + 1] = m * (invH * dy + gv[2 * i + 1])
            let k = 4 * diagonal[i]
            hessian.values[k] = m * (invH + hv[4 * i])
            hessian.values[k + 1] = m * hv[4 * i + 1]
            hessian.values[k + 2] = m * hv[4 * i + 2]
            hessian.values[k + 3] = m * (invH + hv[4 * i + 3])
        }
        let tri = mesh.triangles
        var node = [0, 0, 0]
        var g = [Double](repeating: 0, count: 6)  // (gx_a, gy_a, gx_b, gy_b, gx_c, gy_c)
        var local = [Double](repeating: 0, count: 36)
        hessian.values.withUnsafeMutableBufferPointer { hvals in
            for t in 0..<mesh.triangleCount {
                node[0] = tri[3 * t]; node[1] = tri[3 * t + 1]; node[2] = tri[3 * t + 2]
                for r in 0..<3 {
                    let q = node[(r + 1) % 3], s = node[(r + 2) % 3]
                    g[2 * r] = 0.5 * (x[2 * q + 1] - x[2 * s + 1])
                    g[2 * r + 1] = 0.5 * (x[2 * s] - x[2 * q])
                }
                let a = node[0], b = node[1], c = node[2]
                let area = 0.5 * ((x[2 * b] - x[2 * a]) * (x[2 * c + 1] - x[2 * a + 1]) - (x[2 * b + 1] - x[2 * a + 1]) * (x[2 * c] - x[2 * a]))
                let mass = triangleMasses[t]
                total -= mass * Foundation.log(area)
                let w1 = mass / area, w2 = mass / (area * area)
                for r in 0..<3 {
                    gradient[2 * node[r]] -= w1 * g[2 * r]
                    gradient[2 * node[r] + 1] -= w1 * g[2 * r + 1]
                }
                MeshObjective.elementHessian(g, w1, w2, into: &local)
                for r in 0..<3 {
                    for s in 0..<3 {
                        let k = 4 * slots[9 * t + 3 * r + s]
                        hvals[k] += local[12 * r + 2 * s]
                        hvals[k + 1] += local[12 * r + 2 * s + 1]
                        hvals[k + 2] += local[12 * r + 6 + 2 * s]
                        hvals[k + 3] += local[12 * r + 6 + 2 * s + 1]
                    }
                }
            }
        }
        return total
    }
}
