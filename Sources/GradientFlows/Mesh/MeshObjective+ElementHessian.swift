import Foundation

/// The 6×6 Hessian of one entropy element −M log A(x) over the local coordinates
/// (x_a, y_a, x_b, y_b, x_c, y_c), row-major, and its positive semi-definite part.
///
/// H = w₂ g gᵀ − w₁ K with w₁ = M/A, w₂ = M/A², g = ∇A and K = ∇²A (constant; blocks
/// K_rs = ½[[0, ε_rs], [−ε_rs, 0]]). K² = ¾ Π, with Π the projector off the translations
/// (blocks (δ_rs − ⅓) I₂), so K has eigenvalues ±√3/2 on two planes E₊, E₋ (projectors
/// P± = ½Π ± K/√3) and 0 on the translations. With c = w₁√3/2, g = a u + b v (u ∈ E₊,
/// v ∈ E₋ unit; a = |P₊g| > 0 because 2A = xᵀKx > 0):
///
///   H = −c (P₊ − u uᵀ) + c (P₋ − v vᵀ) + [u v] B [u v]ᵀ,
///   B = [[−c + w₂a², w₂ab], [w₂ab, c + w₂b²]],
///
/// an exact eigen-decomposition up to the 2×2 block. The projection clamps the negative
/// eigenvalues to 0: it drops the −c (P₊ − u uᵀ) part and the negative eigenvalue of B
/// (B has trace > 0, so at most one). Closed form, ≈ 200 flops per triangle.
extension MeshObjective {
    /// K_{(r,i),(s,j)}.
    @inline(__always)
    static func areaHessian(_ r: Int, _ i: Int, _ s: Int, _ j: Int) -> Double {
        guard i != j, r != s else { return 0 }
        let cyclic = (s == (r + 1) % 3) ? 0.5 : -0.5
        return i == 0 ? cyclic : -cyclic
    }

    /// The exact element Hessian w₂ g gᵀ − w₁ K.
    static func elementHessian(_ g: [Double], _ w1: Double, _ w2: Double, into h: inout [Double]) {
        for r in 0..<3 {
            for i in 0..<2 {
                for s in 0..<3 {
                    for j in 0..<2 {
                        h[(2 * r + i) * 6 + 2 * s + j] = w2 * g[2 * r + i] * g[2 * s + j] - w1 * areaHessian(r, i, s, j)
                    }
                }
            }
        }
    }

    /// The positive semi-definite part of the element Hessian (see the type's comment).
    static func projectedElementHessian(_ g: [Double], _ w1: Double, _ w2: Double, into h: inout [Double]) {
        let root3 = 3.0.squareRoot()
        // K g, then g± = P± g = ½ g ± K g/√3.
        var kg = [Double](repeating: 0, count: 6)
        for r in 0..<3 {
            for i in 0..<2 {
                var sum = 0.0
                for s in 0..<3 { for j in 0..<2 { sum += areaHessian(r, i, s, j) * g[2 * s + j] } }
                kg[2 * r + i] = sum
            }
        }
        var u = [Double](repeating: 0, count: 6), v = [Double](repeating: 0, count: 6)
        var a = 0.0, b = 0.0
        for k in 0..<6 {
            u[k] = 0.5 * g[k] + kg[k] / root3
            v[k] = 0.5 * g[k] - kg[k] / root3
            a += u[k] * u[k]
            b += v[k] * v[k]
        }
        a = a.squareRoot()
        b = b.squareRoot()
        let c = w1 * root3 / 2
        for k in 0..<6 { u[k] /= a }
        let hasV = b > 1e-12 * a
        if hasV { for k in 0..<6 { v[k] /= b } }
        // B and its positive part.
        var b11 = -c + w2 * a * a, b12 = w2 * a * b, b22 = c + w2 * b * b
        let halfTrace = 0.5 * (b11 + b22), halfGap = 0.5 * (b11 - b22)
        let smallest = halfTrace - (halfGap * halfGap + b12 * b12).squareRoot()
        if smallest < 0 {
            // Eigenvector of `smallest`: (b12, smallest − b11), or e₁ when B is diagonal.
            var e1 = b12, e2 = smallest - b11
            let norm = (e1 * e1 + e2 * e2).squareRoot()
            if norm > 0 { e1 /= norm; e2 /= norm } else { e1 = 1; e2 = 0 }
            b11 -= smallest * e1 * e1
            b12 -= smallest * e1 * e2
            b22 -= smallest * e2 * e2
        }
        for r in 0..<3 {
            for i in 0..<2 {
                let p = 2 * r + i
                for s in 0..<3 {
                    for j in 0..<2 {
                        let q = 2 * s + j
                        let pi = (r == s ? (i == j ? 2.0 / 3 : 0) : (i == j ? -1.0 / 3 : 0))
                        let minusProjector = 0.5 * pi - areaHessian(r, i, s, j) / root3
                        var value = c * minusProjector + b11 * u[p] * u[q]
                        if hasV {
                            value += -c * v[p] * v[q] + b12 * (u[p] * v[q] + v[p] * u[q]) + b22 * v[p] * v[q]
                        }
                        h[p * 6 + q] = value
                    }
                }
            }
        }
    }
}
