import Autodiff
import Foundation

/// The convex conjugate Ψ* of the f-divergence D_Ψ(ρ‖ν) = ∫Ψ(dρ/dν)dν that a neural JKO
/// step minimises beside the transport cost (DESIGN.md §1.3).
///
/// The semi-dual of the step is sup_v E_{x~μ_k}[v^c(x)] − E_{y~ν}[Ψ*(−v(y))], and at its
/// optimum dμ_{k+1}/dν = (Ψ*)′(−v) (``densityRatio(_:)``).
///
/// | case | Ψ(s) | Ψ*(t) | (Ψ*)′(t) |
/// |---|---|---|---|
/// | `kl` | s log s − s + 1 | eᵗ − 1 | eᵗ |
/// | `chi2` | (s − 1)² | y²/4 + y, y = max(t, −2) | y/2 + 1 (0 below −2) |
/// | `softplus` | (softplus family) | 2·softplus(t) − 2·softplus(0) | 2σ(t) |
/// | `linear` | balanced OT (ρ = ν) | t | 1 |
///
/// `kl` is the Fokker–Planck case: its JKO flow is ∂ₜρ = ∇·(ρ∇V) + Δρ for ν ∝ e^{−V}.
public enum Conjugate: String, CaseIterable, Sendable {
    case kl, chi2, softplus, linear

    /// Ψ*(t) elementwise, differentiable (any shape).
    public func callAsFunction<Scalar: TensorScalar>(_ t: Tensor<Scalar>) -> Tensor<Scalar> {
        switch self {
        case .kl: return t.expm1()
        case .chi2:
            let y = t.clamped(lowerBound: -2)
            return y * y * Scalar(0.25) + y
        case .softplus: return t.softplus() * Scalar(2) - Scalar(2 * log(2.0))
        case .linear: return t
        }
    }

    /// Ψ*(t) for one number (tests, closed forms).
    public func value(_ t: Double) -> Double {
        switch self {
        case .kl: return expm1(t)
        case .chi2:
            let y = max(t, -2)
            return y * y / 4 + y
        case .softplus: return 2 * Self.softplus(t) - 2 * log(2.0)
        case .linear: return t
        }
    }

    /// (Ψ*)′(t): the density ratio dμ_{k+1}/dν = (Ψ*)′(−v(y)) at the optimum.
    public func derivative(_ t: Double) -> Double {
        switch self {
        case .kl: return exp(t)
        case .chi2: return t > -2 ? t / 2 + 1 : 0
        case .softplus: return 2 / (1 + exp(-t))
        case .linear: return 1
        }
    }

    /// dμ_{k+1}/dν at a point where the potential is v: (Ψ*)′(−v).
    public func densityRatio(potential v: Double) -> Double { derivative(-v) }

    static func softplus(_ t: Double) -> Double { t > 30 ? t : log1p(exp(t)) }
}
