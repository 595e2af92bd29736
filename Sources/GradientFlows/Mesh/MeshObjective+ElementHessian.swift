import Foundation

/// The 6×6 Hessian of one entropy element −M log A(x) over the local coordinates
/// (x_a, y_a, x_b, y_b, x_c, y_c), row-major.
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
/// an exact eigen-decomposition up to the 2×2 block: the element has the negative
/// eigenvalue −c = −(√3/2)·M/A (multiplicity 1, on P₊ − u uᵀ) and possibly one more from B,
/// which is where the step's non-convexity comes from (``MeshJKO`` shifts by μ·diag(mᵢ/h)).
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
}
