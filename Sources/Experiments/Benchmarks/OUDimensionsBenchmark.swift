import Foundation
import NumericalCore

/// `jko bench ou-dimensions` (long; outside the test suite): the `neural-ou-nd` problem
/// (N(0, I) to a seeded random Gaussian, h = 0.05) for d = 1, 2, 4, 6, 8, 10, 12, and per d
/// the log₁₀ symmetric KL between the Gaussian fit of 10⁵ fresh neural samples and (a) the
/// analytic OU marginal ρ_t, (b) the exact JKO iterate, at t = 0.5 and t = 0.9, beside the
/// exact JKO scheme's own distance to ρ_t (its time-discretisation floor, closed form) and
/// the published figures (log₁₀ SymKL against ρ_{0.9}): S-JKO (its Table 7) −2.4 / −1.2 /
/// −0.8 / −0.1 at d = 2 / 4 / 6 / 10; JKO-ICNN about −2.4 / −2.1 / −2.2 / −1.8; VWGF −3.34
/// (d = 2), −2.54 (d = 12). Each d is one ordinary run of the preset (its settings, the
/// default seed) into a temporary folder; wall time per d is reported. `quick`: d = 1, 2
/// with 200 + 50 iterations per step (a smoke run, not a measurement). The environment
/// variable `JKO_OU_DIMENSIONS` (e.g. `2,4,10`) runs other dimensions, in its order (each
/// full run takes minutes: on a shared machine, the ones beside published figures first).
public enum OUDimensionsBenchmark {
    static let published: [Int: (sjko: Double?, icnn: Double?, vwgf: Double?)] = [
        2: (-2.4, -2.4, -3.34), 4: (-1.2, -2.1, nil), 6: (-0.8, -2.2, nil), 10: (-0.1, -1.8, nil), 12: (nil, nil, -2.54),
    ]

    public static func run(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "ou-dimensions")
        let chosen = ProcessInfo.processInfo.environment["JKO_OU_DIMENSIONS"].map { text in
            text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 1 }
        }
        let dimensions = chosen.flatMap { $0.isEmpty ? nil : $0 } ?? (quick ? [1, 2] : [1, 2, 4, 6, 8, 10, 12])
        var lines = ["   d  t   neural-vs-OU  neural-vs-JKO  JKO-vs-OU(floor)  S-JKO(pub)  JKO-ICNN(pub)  VWGF(pub)  wall"]
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("jko-ou-dimensions-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for d in dimensions {
            var overrides = ["target.dimension=\(d)"]
            if quick { overrides += ["neural.first_step_iterations=200", "neural.later_step_iterations=50", "neural.fit_sample_count=20000"] }
            let (config, folder) = try RunLauncher.prepare(source: "neural-ou-nd", overrides: overrides, seed: nil,
                                                           out: root.appendingPathComponent("d\(d)").path, force: false)
            let started = Date()
            let table = try ExperimentRunner(config: config, folder: folder).run(source: "neural-ou-nd", command: "jko bench ou-dimensions")
            let wall = Date().timeIntervalSince(started)
            report.add("wall_seconds_d\(d)", wall, unit: "s")
            for (step, t) in [(10, "0.5"), (18, "0.9")] {
                func value(_ column: String) -> Double { log10(table.column(column)?[step] ?? .nan) }
                let toOU = value("neural_sjko_symkl_vs_analytic"), toJKO = value("neural_sjko_symkl_vs_gaussian_jko")
                let floor = value("symkl_gaussian_jko"), sampling = value("neural_sjko_symklfloor_vs_analytic")
                report.add("log10_symkl_neural_vs_ou_d\(d)_t\(t)", toOU, unit: "")
                report.add("log10_symkl_neural_vs_jko_d\(d)_t\(t)", toJKO, unit: "")
                report.add("log10_symkl_jko_vs_ou_d\(d)_t\(t)", floor, unit: "")
                report.add("log10_symkl_sampling_floor_d\(d)_t\(t)", sampling, unit: "")
                let p = t == "0.9" ? published[d] : nil
                func text(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "—" }
                lines.append(String(format: "%4d  %@  %12.2f  %13.2f  %16.2f  %10@  %13@  %9@  %4.0fs", d, t, toOU, toJKO, floor,
                                    text(p?.sjko), text(p?.icnn), text(p?.vwgf), wall))
            }
        }
        report.notes += lines
        report.notes.append("neural: the neural-ou-nd preset's settings; SymKL from the Gaussian fit of neural.fit_sample_count fresh samples (its sampling floor is in the log10_symkl_sampling_floor entries); JKO-vs-OU is exact (closed forms)")
        return report
    }
}
