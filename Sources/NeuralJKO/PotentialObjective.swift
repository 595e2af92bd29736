import Autodiff

/// The loss the potential v of a neural JKO step is trained with, given target samples
/// y ~ ν and moved samples T(x) ~ ρ = T#μ (DESIGN.md §1.3). Both have, for the KL
/// divergence, the same optimum v = log(dν/dρ), so the map's loss and the step's fixed
/// point (T(x) − T_old(x))/h = ∇v(T(x)) do not change; they differ in how well a batch
/// estimates their gradients.
///
/// | case | L_v | optimum |
/// |---|---|---|
/// | `semi-dual` | E_ν[Ψ*(−v)] + E_ρ[v] | (Ψ*)′(−v) = dρ/dν (any Ψ*) |
/// | `logistic` | E_ν[softplus(−v)] + E_ρ[softplus(v)] | σ(v) = ν/(ν + ρ), v = log(dν/dρ) (KL only) |
///
/// The semi-dual is the official code's. Its target term for KL is E_ν[e^{−v}] with
/// e^{−v} = dρ/dν at the optimum: a mean of importance weights whose variance is χ²(ρ‖ν),
/// infinite when ρ has a heavier tail than ν in some direction (a start wider than a narrow
/// target: `neural-ou-nd`'s first steps), so batches mostly miss the weights that decide the
/// gradient and the potential, hence the map, lags. `logistic` is density-ratio estimation
/// by classification (ν against ρ, the logit being v): each sample's gradient is bounded by
/// σ, whatever the distance between ρ and ν. Means over the two sets, not sums, so the
/// classes weigh equally whatever the target batch.
public enum PotentialObjective: String, CaseIterable, Sendable {
    case semiDual = "semi-dual"
    case logistic

    /// L_v from v on the target samples `[m, 1]` and on the moved samples `[n, 1]` (a
    /// batch mean per set; differentiable).
    public func loss<Scalar: TensorScalar>(onTarget vy: Tensor<Scalar>, onMoved vx: Tensor<Scalar>,
                                          conjugate: Conjugate) -> Tensor<Scalar> {
        switch self {
        case .semiDual: return conjugate(-vy).mean() + vx.mean()
        case .logistic: return (-vy).softplus().mean() + vx.softplus().mean()
        }
    }
}
