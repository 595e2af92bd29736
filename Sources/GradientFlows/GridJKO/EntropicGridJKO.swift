import Foundation
import NumericalCore
import Probability

/// Peyré's entropic JKO scheme on the finite-volume grid (G. Peyré, *Entropic approximation
/// of Wasserstein gradient flows*, SIAM J. Imaging Sci. 8, 2015), for F(ρ) = KL(ρ‖e^{−V}/Z).
///
/// With p the cell masses of ρ_k (`[n]` or `[n₀, n₁]` row-major, the grid's flat order)
/// and C_ij = |xᵢ − x_j|² between cell centres, one step solves
///
///   min over π ≥ 0 with π1 = p of  ⟨C, π⟩ + ε KL(π | p ⊗ 1) + 2h F(πᵀ1),
///
/// i.e. ρ_{k+1} = argmin_q W_ε(p, q)/(2h) + F(q), W_ε the entropic transport cost. The
/// coupling is π_ij = exp((fᵢ + g_j − C_ij)/ε) and the iterations of the paper alternate
/// (in the log domain, every kernel product by dgemm on per-line scalings with an exact
/// log-sum-exp wherever those would underflow: ``SeparableLogKernel``),
///
///   f = ε log p − ε log K⊙e^{g/ε}                      (row marginal = p),
///   g = κ (−ε log Kᵀ⊙e^{f/ε} − εV),  κ = 2h/(2h + ε)    (the KL prox of 2hF),
///
/// accelerated by the dual's exact maximum along the translation (f + t, g − t) and by
/// over-relaxation with a safeguard (EntropicGridJKO+Iterations.swift), and
/// warm-started from the previous step's potentials. Stopping: the L¹ row-marginal error
/// Σᵢ |π1 − p|ᵢ (evaluated with the log-sum-exp the next f-update needs) ≤ `tolerance`;
/// the step is `converged: false` when `maximumIterations` is reached first.
///
/// **Bias.** The entropic blur adds diffusion: the fixed point is ν_ε ∝ ν^{1/(1 + ε/(4h))}
/// to first order (the self-transport potentials are g ≈ (ε/2) log ρ), so covariances are
/// inflated by the factor ≈ 1 + ε/(4h) at equilibrium and the scheme is O(h + ε/h) from
/// the Fokker–Planck flow: ε must shrink faster than h (default ε = Δx²).
/// **Energy inequality.** Comparing with π = diag(p) (q = p, cost 0, KL(π|p⊗1) = 0), the
/// minimiser satisfies F(ρ_{k+1}) + W_ε(p, q)/(2h) ≤ F(ρ_k) with
/// W_ε = ⟨C, π⟩ + ε KL(π | p ⊗ 1) = Σ pᵢfᵢ + Σ q_j g_j − ε Σ pᵢ log pᵢ (≤ ⟨C, π⟩; it can
/// be negative). Reported per step with the energy and the iterations.
public struct EntropicGridJKO: Sendable {
    public let grid: FiniteVolumeGrid
    public let potential: any Potential
    public let timeStep: Double
    /// ε in units of the squared distance.
    public let epsilon: Double
    /// Stop when the L¹ marginal error is ≤ this.
    public let tolerance: Double
    public let maximumIterations: Int
    let kernel: SeparableLogKernel
    /// Every kernel product by the exact log-sum-exp, no BLAS (the reference of tests).
    public var exactKernelProducts = false
    /// Translation and over-relaxation on (default); off: the paper's plain alternation.
    public var accelerate = true
    /// ω after the probe instead of Young's estimate (tests of the safeguard); nil: estimate.
    public var relaxationOverride: Double?
    /// V at the cell centres.
    let potentialValues: [Double]

    /// - Parameter epsilon: ε > 0; `nil` gives the default Δx².
    public init(grid: FiniteVolumeGrid, potential: any Potential, timeStep: Double, epsilon: Double? = nil,
                tolerance: Double = 1e-9, maximumIterations: Int = 20000) throws {
        guard timeStep > 0, timeStep.isFinite else { throw GradientFlowError.invalidTimeStep(timeStep) }
        guard potential.dimension == grid.dimension else {
            throw GradientFlowError.dimensionMismatch("the grid is \(grid.dimension)D but the potential has dimension \(potential.dimension); give a potential of the grid's dimension")
        }
        let eps = epsilon ?? grid.spacing * grid.spacing
        guard eps > 0, eps.isFinite, tolerance > 0, maximumIterations >= 1 else {
            throw GradientFlowError.invalidGrid("the entropic JKO needs ε > 0, a tolerance > 0 and at least one iteration; got ε = \(eps), tolerance \(tolerance), \(maximumIterations) iterations")
        }
        do { try potential.checkConfinement() } catch { throw GradientFlowError.potentialNotConfining("\(error)") }
        self.grid = grid
        self.potential = potential
        self.timeStep = timeStep
        self.epsilon = eps
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        kernel = SeparableLogKernel(counts: grid.cellCounts, spacing: grid.spacing, epsilon: eps)
        potentialValues = grid.potentialValues(potential)
    }

    /// F(ρ) = Σ (ρᵢ log ρᵢ + ρᵢVᵢ) Δxᵈ + log Z for cell masses (the finite volumes' energy).
    public func energy(ofMasses masses: [Double]) -> Double {
        grid.energy(masses.map { $0 / grid.cellVolume }, potential: potential)
    }

    /// The start: cell masses of a density given by its log (normalised on the grid).
    public func start(logDensity: ([Double]) -> Double) -> EntropicGridJKOState {
        let masses = grid.project(logDensity: logDensity).map { $0 * grid.cellVolume }
        return EntropicGridJKOState(masses: masses, sourcePotential: nil, targetPotential: nil, stepIndex: 0, report: nil)
    }

    /// ρ_{k+1} from ρ_k; check `report.converged`.
    public func step(from state: EntropicGridJKOState) -> EntropicGridJKOState {
        let clock = ContinuousClock.now
        let p = state.masses, count = p.count
        let logP = p.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
        let eps = epsilon, kappa = 2 * timeStep / (2 * timeStep + eps)
        // Potentials scaled by 1/ε: a = f/ε, b = g/ε.
        let a0 = state.sourcePotential.map { $0.map { $0 / eps } } ?? [Double](repeating: 0, count: count)
        let b0 = state.targetPotential.map { $0.map { $0 / eps } } ?? potentialValues.map { -kappa * $0 }
        let inner = iterate(p: p, a0: a0, b0: b0, kappa: kappa)
        let a = inner.a, b = inner.b, iterations = inner.iterations, error = inner.error
        // q_j = exp(b_j + log Kᵀe^{a}) with the row marginal exact (a just updated).
        var q = [Double](repeating: 0, count: count)
        for j in 0..<count { q[j] = Foundation.exp(b[j] + inner.logColumn[j]) }
        let mass = q.reduce(0, +)
        var entropic = 0.0
        for i in 0..<count {
            if p[i] > 0 { entropic += p[i] * (eps * a[i] - eps * logP[i]) }
            if q[i] > 0 { entropic += q[i] * eps * b[i] }
        }
        let elapsed = ContinuousClock.now - clock
        let report = EntropicGridJKOReport(
            step: state.stepIndex + 1, iterations: iterations, marginalError: error, converged: error <= tolerance,
            energy: energy(ofMasses: q), previousEnergy: energy(ofMasses: p), entropicCost: entropic, mass: mass,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            relaxation: inner.relaxation, exactKernelFraction: inner.exactFraction)
        return EntropicGridJKOState(masses: q, sourcePotential: a.map { $0 * eps }, targetPotential: b.map { $0 * eps },
                                    stepIndex: state.stepIndex + 1, report: report)
    }
}

/// One iterate of ``EntropicGridJKO``: cell masses and the potentials that warm-start the next step.
public struct EntropicGridJKOState: Sendable {
    /// Cell masses, flat in the grid's order, summing to 1 (up to the marginal error).
    public let masses: [Double]
    /// f (units of the squared distance) of the step that produced this iterate.
    public let sourcePotential: [Double]?
    /// g of that step.
    public let targetPotential: [Double]?
    public let stepIndex: Int
    public let report: EntropicGridJKOReport?

    public init(masses: [Double], sourcePotential: [Double]?, targetPotential: [Double]?, stepIndex: Int,
                report: EntropicGridJKOReport?) {
        self.masses = masses
        self.sourcePotential = sourcePotential
        self.targetPotential = targetPotential
        self.stepIndex = stepIndex
        self.report = report
    }
}

/// How one entropic JKO step went.
public struct EntropicGridJKOReport: Sendable, Equatable {
    public let step: Int
    /// Sinkhorn-like iterations (f- and g-updates) taken.
    public let iterations: Int
    /// The final L¹ error of the row marginal, Σᵢ |π1 − p|ᵢ.
    public let marginalError: Double
    /// marginalError ≤ tolerance.
    public let converged: Bool
    /// F(ρ_{k+1}) and F(ρ_k) (``EntropicGridJKO/energy(ofMasses:)``).
    public let energy: Double
    public let previousEnergy: Double
    /// W_ε(ρ_k, ρ_{k+1}) = ⟨C, π⟩ + ε KL(π | p ⊗ 1): F + W_ε/(2h) ≤ F(ρ_k) at the minimiser.
    public let entropicCost: Double
    /// Σ q (1 up to the marginal error).
    public let mass: Double
    public let seconds: Double
    /// The over-relaxation ω of the step's last update (1: plain).
    public let relaxation: Double
    /// The share of kernel-pass entries the exact log-sum-exp recomputed (where the
    /// per-line scalings of the BLAS products would underflow).
    public let exactKernelFraction: Double
}

extension EntropicGridJKO {
    /// log(K ⊙ eᵘ) for log-values u on the grid (flat, the grid's order): the kernel the
    /// iterations apply (exposed for tests and benchmarks).
    public func logKernel(_ u: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: u.count), workspace = kernel.makeWorkspace()
        kernel.apply(u, into: &out, workspace: &workspace)
        return out
    }

    /// The same by the exact shifted log-sum-exp alone (no BLAS).
    public func logKernelByLogSumExp(_ u: [Double]) -> [Double] { kernel.applyExactly(u) }

    /// The share of pass entries ``logKernel(_:)`` recomputes by the exact log-sum-exp for u.
    public func exactKernelFraction(_ u: [Double]) -> Double {
        var out = [Double](repeating: 0, count: u.count), workspace = kernel.makeWorkspace()
        return Double(kernel.apply(u, into: &out, workspace: &workspace)) / Double(u.count * kernel.counts.count)
    }
}
