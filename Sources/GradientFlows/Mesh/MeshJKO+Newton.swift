import Foundation

/// The damped Newton–CG minimiser of one mesh JKO step (see ``MeshJKO`` for the choices).
extension MeshJKO {
    struct NewtonResult {
        let positions: [Double]
        let iterations: Int
        let conjugateGradientIterations: Int
        let negativeCurvatureCount: Int
        let decrement: Double
        let residual: Double
    }

    /// A trial step may shrink no triangle below this fraction κ of its area (a guard
    /// against collapsing a light triangle in one step; the barrier's quadratic model is
    /// not trusted over a larger change).
    static let smallestAreaFraction = 0.01
    /// Armijo constant of the backtracking line search.
    static let armijoConstant = 1e-4
    /// The smallest nonzero Levenberg–Marquardt shift μ (relative to the kinetic metric
    /// diag(mᵢ/h)); below it μ is 0, the exact Newton step.
    static let smallestShift = 1e-3
    /// Factor by which μ grows after a rejected or cut step and shrinks after a full one.
    static let shiftFactor = 4.0
    /// Shifted solves tried per Newton iteration before the step fails.
    static let shiftAttempts = 30
    /// Halvings of the line search per shifted solve before μ is raised instead.
    static let backtrackingSteps = 8
    /// Relative size of a predicted decrease that the energy's rounding can hide.
    static let roundingLevel = 1e-13

    func minimise(_ objective: MeshObjective, stepNumber: Int) throws -> NewtonResult {
        let mesh = objective.mesh
        let n = mesh.nodeCount
        var hessian = SparseSymmetricMatrix(neighbourhoods: mesh.nodeNeighbourhoods())
        let diagonal = hessian.diagonalBlockIndices()
        var slots = [Int](repeating: 0, count: 9 * mesh.triangleCount)
        for t in 0..<mesh.triangleCount {
            for r in 0..<3 {
                for s in 0..<3 {
                    slots[9 * t + 3 * r + s] = hessian.blockIndex(row: mesh.triangles[3 * t + r], column: mesh.triangles[3 * t + s])
                }
            }
        }
        let metric = objective.nodeMasses.map { $0 / objective.timeStep }
        var x = objective.previous
        var gradient = [Double](repeating: 0, count: 2 * n)
        var trial = x
        var cgTotal = 0, negativeCount = 0
        var decrement = Double.infinity, residual = Double.infinity
        // μ of H + μ·diag(mᵢ/h), carried between iterations: raised by a cut or rejected
        // step or negative curvature, lowered by a full step.
        var shift = 0.0
        for iteration in 0..<maximumNewtonIterations {
            let value = objective.evaluate(x, gradient: &gradient, hessian: &hessian, slots: slots, diagonal: diagonal)
            guard value.isFinite, gradient.allSatisfy(\.isFinite) else {
                throw GradientFlowError.meshSolveFailed(step: stepNumber, iterations: iteration, residual: residual,
                                                        reason: "the energy or its gradient is not finite (\(value))")
            }
            residual = displacementResidual(gradient, objective)
            if residual <= tolerance {
                return NewtonResult(positions: x, iterations: iteration, conjugateGradientIterations: cgTotal,
                                    negativeCurvatureCount: negativeCount, decrement: decrement, residual: residual)
            }
            let rightHandSide = gradient.map { -$0 }
            var metNegativeCurvature = false
            var accepted = false
            for _ in 0..<MeshJKO.shiftAttempts {
                var shifted = hessian
                if shift > 0 {
                    for i in 0..<n {
                        let k = 4 * diagonal[i]
                        shifted.values[k] += shift * metric[i]
                        shifted.values[k + 3] += shift * metric[i]
                    }
                }
                let preconditioner = BlockJacobiPreconditioner(shifted, diagonal: diagonal, fallback: metric)
                let cg = conjugateGradient(shifted, rightHandSide: rightHandSide, preconditioner: preconditioner)
                cgTotal += cg.iterations
                if cg.negativeCurvature {
                    // H + μD is not positive definite along a CG direction: raise μ.
                    metNegativeCurvature = true
                    shift = max(MeshJKO.shiftFactor * shift, MeshJKO.smallestShift)
                    continue
                }
                let direction = cg.solution
                let slope = zip(gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
                guard slope < 0 else {
                    shift = max(MeshJKO.shiftFactor * shift, MeshJKO.smallestShift)
                    continue
                }
                // Backtracking from the longest step that keeps every area above κ of its
                // value (orientation kept, never a flip), Armijo on Φ.
                let longest = min(1, maximumFeasibleStep(mesh, x, direction))
                var alpha = longest
                for _ in 0..<MeshJKO.backtrackingSteps {
                    for k in 0..<(2 * n) { trial[k] = x[k] + alpha * direction[k] }
                    let trialValue = objective.value(trial)
                    if trialValue <= value + MeshJKO.armijoConstant * alpha * slope
                        || (trialValue.isFinite && -alpha * slope <= MeshJKO.roundingLevel * max(1, abs(value))) {
                        accepted = true
                        break
                    }
                    alpha *= 0.5
                }
                guard accepted else {
                    shift = max(MeshJKO.shiftFactor * shift, MeshJKO.smallestShift)
                    continue
                }
                decrement = -0.5 * slope
                // A full step trusts the model more next time, a cut one less.
                if alpha == 1 {
                    shift = shift / MeshJKO.shiftFactor < MeshJKO.smallestShift ? 0 : shift / MeshJKO.shiftFactor
                } else if alpha < 0.5 {
                    shift = max(MeshJKO.shiftFactor * shift, MeshJKO.smallestShift)
                }
                break
            }
            if metNegativeCurvature { negativeCount += 1 }
            guard accepted else {
                throw GradientFlowError.meshSolveFailed(step: stepNumber, iterations: iteration + 1, residual: residual,
                                                        reason: "no decrease was found along \(MeshJKO.shiftAttempts) Levenberg–Marquardt directions (last shift μ = \(shift))")
            }
            swap(&x, &trial)
        }
        _ = objective.evaluate(x, gradient: &gradient, hessian: &hessian, slots: slots, diagonal: diagonal)
        residual = displacementResidual(gradient, objective)
        if residual <= tolerance {
            return NewtonResult(positions: x, iterations: maximumNewtonIterations, conjugateGradientIterations: cgTotal,
                                negativeCurvatureCount: negativeCount, decrement: decrement, residual: residual)
        }
        throw GradientFlowError.meshSolveFailed(step: stepNumber, iterations: maximumNewtonIterations, residual: residual,
                                                reason: "the iteration limit was reached above the tolerance \(tolerance)")
    }

    /// h·(Σᵢ |∂Φ/∂xᵢ|²/mᵢ)^{1/2}: the L²(ρ) norm of the residual displacement of the
    /// Euler–Lagrange equation xᵢ − xᵢⁿ + h∇V(xᵢ) + h∇ᵢ(entropy)/mᵢ = 0.
    func displacementResidual(_ gradient: [Double], _ objective: MeshObjective) -> Double {
        var s = 0.0
        for i in 0..<objective.mesh.nodeCount {
            s += (gradient[2 * i] * gradient[2 * i] + gradient[2 * i + 1] * gradient[2 * i + 1]) / objective.nodeMasses[i]
        }
        return objective.timeStep * s.squareRoot()
    }

    /// The largest α such that every area stays above ``smallestAreaFraction`` of its
    /// current value on [x, x + α d] (∞ if none shrinks that far): per triangle,
    /// 2A(x + αd) − 2κA(x) = c₀ + c₁α + c₂α² with c₀ = 2(1 − κ)A(x) > 0; the first positive root.
    func maximumFeasibleStep(_ mesh: TriangleMesh, _ x: [Double], _ d: [Double]) -> Double {
        var best = Double.infinity
        let tri = mesh.triangles
        for t in 0..<mesh.triangleCount {
            let a = tri[3 * t], b = tri[3 * t + 1], c = tri[3 * t + 2]
            let ux = x[2 * b] - x[2 * a], uy = x[2 * b + 1] - x[2 * a + 1]
            let vx = x[2 * c] - x[2 * a], vy = x[2 * c + 1] - x[2 * a + 1]
            let dux = d[2 * b] - d[2 * a], duy = d[2 * b + 1] - d[2 * a + 1]
            let dvx = d[2 * c] - d[2 * a], dvy = d[2 * c + 1] - d[2 * a + 1]
            let c0 = (1 - MeshJKO.smallestAreaFraction) * (ux * vy - uy * vx)
            let c1 = ux * dvy - uy * dvx + dux * vy - duy * vx
            let c2 = dux * dvy - duy * dvx
            best = min(best, smallestPositiveRoot(c0, c1, c2))
        }
        return best
    }

    /// The smallest α > 0 with c₀ + c₁α + c₂α² = 0 (c₀ > 0), or ∞.
    private func smallestPositiveRoot(_ c0: Double, _ c1: Double, _ c2: Double) -> Double {
        if abs(c2) <= 1e-14 * (abs(c1) + c0) {
            return c1 < 0 ? -c0 / c1 : .infinity
        }
        let disc = c1 * c1 - 4 * c2 * c0
        guard disc >= 0 else { return .infinity }
        // Stable roots: q = −½(c₁ + sign(c₁)√disc), roots q/c₂ and c₀/q.
        let q = -0.5 * (c1 + (c1 >= 0 ? 1 : -1) * disc.squareRoot())
        var root = Double.infinity
        for r in [q / c2, q != 0 ? c0 / q : .infinity] where r > 0 { root = min(root, r) }
        return root
    }

    struct ConjugateGradientResult {
        let solution: [Double]
        let iterations: Int
        let negativeCurvature: Bool
    }

    /// Preconditioned CG on H d = b from d = 0, relative residual (in the P-norm) below
    /// η = min(0.1, √(bᵀPb)) (superlinear inexact Newton). At a direction p with pᵀHp ≤ 0
    /// it returns the current iterate (or P b on the first iteration).
    func conjugateGradient(_ h: SparseSymmetricMatrix, rightHandSide b: [Double],
                           preconditioner: BlockJacobiPreconditioner) -> ConjugateGradientResult {
        let count = b.count
        var d = [Double](repeating: 0, count: count)
        var r = b
        var z = [Double](repeating: 0, count: count)
        preconditioner.apply(r, into: &z)
        var p = z
        var q = [Double](repeating: 0, count: count)
        var rz = dot(r, z)
        let target = min(0.01, rz) * rz  // η² · r₀ᵀPr₀ with η = min(0.1, √(r₀ᵀPr₀))
        for j in 0..<maximumConjugateGradientIterations {
            h.multiply(p, into: &q)
            let curvature = dot(p, q)
            if !(curvature > 0) {
                return ConjugateGradientResult(solution: j == 0 ? z : d, iterations: j + 1, negativeCurvature: true)
            }
            let alpha = rz / curvature
            for k in 0..<count { d[k] += alpha * p[k]; r[k] -= alpha * q[k] }
            preconditioner.apply(r, into: &z)
            let rzNew = dot(r, z)
            if rzNew <= target { return ConjugateGradientResult(solution: d, iterations: j + 1, negativeCurvature: false) }
            let beta = rzNew / rz
            for k in 0..<count { p[k] = z[k] + beta * p[k] }
            rz = rzNew
        }
        return ConjugateGradientResult(solution: d, iterations: maximumConjugateGradientIterations, negativeCurvature: false)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for k in a.indices { s += a[k] * b[k] }
        return s
    }
}
