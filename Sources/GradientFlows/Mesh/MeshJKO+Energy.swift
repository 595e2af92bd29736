import Foundation
import Probability

/// The free energy of a mesh iterate as a true KL divergence, and the mesh-quality guard.
extension MeshJKO {
    /// KL(ρ_h‖ν) of the piecewise-constant density ρ_h = mass_T/area_T, ν = e^{−V}/Z:
    ///
    ///   Σ_T mass_T log(mass_T/area_T) + Σ_T (mass_T/area_T) ∫_T V + log Z,
    ///
    /// with ∫_T V by Dunavant's 7-point degree-5 rule, exact for the quadratic and the
    /// double-well (quartic) potentials. Unlike ``energy(of:)`` (the scheme's energy, whose
    /// ∫ρV is lumped at the nodes and may fall below 0 on a degenerate mesh), this is a
    /// KL divergence between probability densities and so ≥ 0 up to the error of log Z and
    /// of the quadrature for non-polynomial V. +∞ for a tangled mesh; log Z as 0 when the
    /// potential does not know it.
    public func relativeEntropy(of state: MeshJKOState) -> Double {
        let a1 = 0.059715871789770, b1 = 0.470142064105115, w1 = 0.132394152788506
        let a2 = 0.797426985353087, b2 = 0.101286507323456, w2 = 0.125939180544827
        let rule: [(Double, Double, Double, Double)] = [
            (1.0 / 3, 1.0 / 3, 1.0 / 3, 0.225),
            (a1, b1, b1, w1), (b1, a1, b1, w1), (b1, b1, a1, w1),
            (a2, b2, b2, w2), (b2, a2, b2, w2), (b2, b2, a2, w2),
        ]
        let mesh = state.mesh, p = state.positions
        var points = [Double](repeating: 0, count: 14 * mesh.triangleCount)
        for t in 0..<mesh.triangleCount {
            let a = mesh.triangles[3 * t], b = mesh.triangles[3 * t + 1], c = mesh.triangles[3 * t + 2]
            for (k, (la, lb, lc, _)) in rule.enumerated() {
                points[14 * t + 2 * k] = la * p[2 * a] + lb * p[2 * b] + lc * p[2 * c]
                points[14 * t + 2 * k + 1] = la * p[2 * a + 1] + lb * p[2 * b + 1] + lc * p[2 * c + 1]
            }
        }
        var values = [Double](repeating: 0, count: 7 * mesh.triangleCount)
        points.withUnsafeBufferPointer { pp in
            values.withUnsafeMutableBufferPointer { vp in
                potential.evaluate(count: 7 * mesh.triangleCount, points: pp.baseAddress!, values: vp.baseAddress!,
                                   gradients: nil, hessians: nil)
            }
        }
        var total = 0.0
        for t in 0..<mesh.triangleCount {
            let area = mesh.area(of: t, in: p)
            guard area > 0 else { return .infinity }
            let m = state.triangleMasses[t]
            var meanV = 0.0
            for (k, rule) in rule.enumerated() { meanV += rule.3 * values[7 * t + k] }
            total += m * (Foundation.log(m / area) + meanV)
        }
        let kl = total + (potential.logPartitionFunction ?? 0)
        return kl.isFinite ? kl : .infinity
    }

    /// Throws ``GradientFlowError/meshDegenerate(step:angle:limit:)`` when `state`'s
    /// smallest angle is below ``minimumAngle`` (degrees; 0 turns the guard off).
    func checkQuality(_ state: MeshJKOState) throws {
        guard minimumAngle > 0 else { return }
        let angle = state.minimumAngle
        if !(angle >= minimumAngle) {
            throw GradientFlowError.meshDegenerate(step: state.stepIndex, angle: angle, limit: minimumAngle)
        }
    }
}
