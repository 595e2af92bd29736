import Plotting

/// One look per method, the same in every figure: an Okabe–Ito colour, a dash pattern and a
/// marker (colour, dash and marker each tell the methods apart on their own, so curves stay
/// readable in gray print and for colour-blind readers).
///
/// The table is keyed by method name and already holds the methods still being built
/// (`grid-jko`, `neural-sjko`, `neural-chain`), so their figures use these looks as soon
/// as they land; a name not in the table gets a gray with its own dash and marker.
public struct MethodStyle: Equatable, Sendable {
    public let color: Color
    /// Dash pattern in points; empty for solid.
    public let dash: [Double]
    public let marker: MarkerShape

    /// The look of every known method.
    public static let table: [String: MethodStyle] = [
        "analytic": MethodStyle(color: Color.okabeIto[0], dash: [], marker: .circle),
        "gaussian-jko": MethodStyle(color: Color.okabeIto[5], dash: [5, 2], marker: .square),
        "particle-jko": MethodStyle(color: Color.okabeIto[1], dash: [], marker: .triangle),
        "finite-volume": MethodStyle(color: Color.okabeIto[3], dash: [2, 1.5], marker: .diamond),
        "mesh-jko": MethodStyle(color: Color.okabeIto[6], dash: [6, 2, 1.5, 2], marker: .invertedTriangle),
        "grid-jko": MethodStyle(color: Color.okabeIto[2], dash: [3, 2], marker: .plus),
        "neural-sjko": MethodStyle(color: Color.okabeIto[7], dash: [], marker: .cross),
        "neural-chain": MethodStyle(color: Color.okabeIto[4], dash: [1.5, 1.5], marker: .square),
    ]

    /// Looks for unknown methods, handed out in order of first appearance in a run.
    static let fallbacks: [MethodStyle] = [
        MethodStyle(color: Color(hex: "777777")!, dash: [4, 1.5], marker: .diamond),
        MethodStyle(color: Color(hex: "AAAAAA")!, dash: [1, 1], marker: .triangle),
    ]

    /// The style of `method`; `index` (its position in the run's method list) picks a
    /// fallback for names not in the table.
    public static func of(_ method: String, index: Int = 0) -> MethodStyle {
        table[method] ?? fallbacks[index % fallbacks.count]
    }

    /// A metrics column's method: "w2cloud_mesh_jko" → "mesh-jko",
    /// "w2exact_particle_jko_vs_analytic" → "particle-jko", "particle_jko_energy" → nil
    /// unless `prefixed` is false (then the leading method of the column).
    public static func method(ofColumn column: String, among methods: [String]) -> String? {
        let body: Substring
        if let underscore = column.firstIndex(of: "_"), ["w2", "w2fit", "w2cloud", "w2exact", "symkl", "symklfit"].contains(String(column[..<underscore])) {
            body = column[column.index(after: underscore)...]
        } else {
            body = Substring(column)
        }
        let tagged = body.replacingOccurrences(of: "_", with: "-")
        return methods.sorted { $0.count > $1.count }.first { tagged.hasPrefix($0) }
    }
}
