import Foundation
import NumericalCore
import Plotting

/// The figures of a run folder (`jko plot RUN_DIR`), written to `RUN_DIR/figures/`:
///
/// | file                  | what it shows |
/// |-----------------------|---------------|
/// | `density-trajectory`  | 1D: ρ_t curves coloured by time + a space–time heatmap; 2D: density snapshots (heatmap + contours), one row per method |
/// | `transport-maps`      | 1D: the monotone map T_k: ρ₀ → ρ_k and its displacement; 2D: the maps themselves (the affine Gaussian JKO map per step and from ρ₀, the moving mesh's node displacement), else discrete OT arrows |
/// | `samples`             | samples per step over the reference density (target ν dashed) |
/// | `metrics`             | gaps to the reference per step (W₂, SymKL), each over the noise floor of its own estimator, or moments |
/// | `energy`              | KL(ρ_k‖ν) against t (log axis) per method, and the discrete energy-inequality slack |
/// | `lagrangian-paths`    | 1D particle runs: every n-th particle's path x_i(t) over the space–time density |
/// | `velocity-field`      | 2D: the potential V beside ν, and ρ_t with the velocity −∇(V + log ρ_t) |
/// | `losses`              | training losses, when the run wrote `losses.csv` files |
/// | `image-grid`          | sample images per step, for runs whose dimension is a square image |
/// | `neural-densities`    | neural runs: exact density rows, the neural flow's (KDE) under them, difference maps (1D: curves and difference) |
/// | `neural-losses`       | neural runs: L_v and L_T against the iteration, one curve per JKO step |
/// | `neural-map`          | neural runs: the learned potential v with ∇v arrows, and the learned map T beside the exact one |
/// | `noise-to-samples`    | image runs: fixed prior draws (rows) through the saved sampler of each step (columns), noise to images |
///
/// Figures a run cannot support (no losses, not images) are skipped, never faked.
public enum RunFigures {
    public enum Kind: String, CaseIterable, Sendable {
        case densityTrajectory = "density-trajectory"
        case transportMaps = "transport-maps"
        case samples
        case metrics
        case energy
        case lagrangianPaths = "lagrangian-paths"
        case velocityField = "velocity-field"
        case losses
        case imageGrid = "image-grid"
        case neuralDensities = "neural-densities"
        case neuralLosses = "neural-losses"
        case neuralMap = "neural-map"
        case noiseToSamples = "noise-to-samples"
    }

    /// Renders every figure the run supports into `RUN/figures/NAME.FORMAT`; returns the files written.
    @discardableResult
    public static func writeAll(run url: URL, format: ImageFormat = .png, options: FigureOptions = FigureOptions()) throws -> [URL] {
        let data = try RunFigureData(folder: RunFolder.open(url).locked())
        guard !data.completedSteps.isEmpty else {
            throw FigureError.noSamples(url.path)
        }
        try FileSystem.makeFolder(data.folder.figuresURL)
        var written: [URL] = []
        for kind in Kind.allCases {
            guard let figure = try figure(kind, of: data, options: options) else { continue }
            let file = data.folder.figuresURL.appendingPathComponent("\(kind.rawValue).\(format.rawValue)")
            try figure.write(to: file, format: format)
            written.append(file)
        }
        return written
    }

    /// One figure of a run, or nil when the run holds nothing it could show.
    public static func figure(_ kind: Kind, of data: RunFigureData, options: FigureOptions = FigureOptions()) throws -> Figure? {
        guard data.dimension == 1 || data.dimension == 2 || kind == .metrics || kind == .losses || kind == .imageGrid
            || kind == .neuralLosses || kind == .noiseToSamples else {
            return nil
        }
        let built: Figure?
        switch kind {
        case .densityTrajectory: built = data.dimension == 1 ? densityCurves1D(data) : densitySnapshots2D(data, options)
        case .transportMaps: built = data.dimension == 1 ? transport1D(data, options) : transport2D(data, options)
        case .samples: built = data.dimension == 1 ? samples1D(data, options) : samples2D(data, options)
        case .metrics: built = metricsFigure(data)
        case .energy: built = energyFigure(data)
        case .lagrangianPaths: built = data.dimension == 1 ? lagrangianPaths(data) : nil
        case .velocityField: built = data.dimension == 2 ? velocityField(data, options) : nil
        case .losses: built = lossesFigure(data)
        case .imageGrid: built = imageGrid(data, options)
        case .neuralDensities: built = neuralDensities(data, options)
        case .neuralLosses: built = neuralLosses(data)
        case .neuralMap: built = neuralMap(data)
        case .noiseToSamples: built = noiseToSamples(data, options)
        }
        return built.map(options.apply)
    }

    /// Whether a run of `config` can have the figure (dimension, methods), without running it:
    /// the figure recipes list only these.
    public static func applies(_ kind: Kind, to config: ExperimentConfig) -> Bool {
        switch kind {
        case .densityTrajectory, .transportMaps, .samples: return config.dimension <= 2
        case .metrics: return true
        case .energy: return config.dimension <= 2
        case .lagrangianPaths: return config.dimension == 1 && config.methods.contains("particle-jko")
        case .velocityField: return config.dimension == 2
        case .losses, .imageGrid: return false
        case .neuralLosses: return config.methods.contains { $0.hasPrefix("neural-") }
        case .neuralDensities, .neuralMap: return config.dimension <= 2 && config.methods.contains { $0.hasPrefix("neural-") }
        case .noiseToSamples: return config.target.kind == "images" && config.methods.contains { $0.hasPrefix("neural-") }
        }
    }

    public enum FigureError: Error, CustomStringConvertible {
        case noSamples(String)

        public var description: String {
            switch self {
            case let .noSamples(path):
                return "the run \(path) has no saved samples yet (samples/step-0000.npy is missing); run 'jko run' to completion of at least one step first"
            }
        }
    }

    /// The line of a method in a line panel: its colour, dash and marker (`MethodStyle`).
    /// `markerOf`: a second method whose marker the line takes (pairs "A vs B": A's colour and
    /// dash, B's marker).
    static func methodLine(_ method: String, in data: RunFigureData, x: [Double], y: [Double], label: String?,
                           width: Double = 1.6, markers: Bool = true, markerOf second: String? = nil) -> LinePlot {
        let style = MethodStyle.of(method, index: data.methods.firstIndex(of: method) ?? 0)
        let marker = second.map { MethodStyle.of($0, index: data.methods.firstIndex(of: $0) ?? 0).marker } ?? style.marker
        return LinePlot(x: x, y: y, color: style.color, width: width, dash: style.dash, label: label,
                        marker: markers ? marker : nil, markerRadius: 2.4)
    }

    /// The target ν ∝ e^{−V} of a 2D run on a `size × size` grid of `box` (normalised on the
    /// box), as dashed contour lines at 1/4, 1/2 and 3/4 of its peak.
    static func targetContours(_ data: RunFigureData, box: [Interval], color: Color, size: Int = 80) -> ContourPlot? {
        guard data.dimension == 2, let potential = try? data.config.potential() else { return nil }
        var values = RunFigureData.grid(size: size, box: box) { p in p.withUnsafeBufferPointer { -potential.value(at: $0.baseAddress!) } }
        let top = values.elements.max() ?? 0
        for k in values.elements.indices { values.elements[k] = exp(values.elements[k] - top) }
        return ContourPlot(values: values, x: box[0], y: box[1], levels: [0.25, 0.5, 0.75], color: color,
                           width: 1.0, dash: [4, 3], label: "target ν (dashed)")
    }

    /// "t = 0.25 (k = 5)".
    static func stepTitle(_ data: RunFigureData, _ step: Int) -> String {
        "t = " + TickFormatter.compact(data.config.time(ofStep: step)) + " (k = \(step))"
    }

    /// Panel height (inches) for equal-aspect panels of a box, `width` inches wide, with room for
    /// a title and tick labels.
    static func panelHeight(width: Double, box: [Interval], extra: Double = 0.6) -> Double {
        let aspect = box.count == 2 && box[0].span > 0 ? box[1].span / box[0].span : 1
        return min(max((width - 0.45) * aspect + extra, 1.4), 3.6)
    }

    /// Columns and rows to inches: about 2.4 × 2.3 in per panel, plus room for a title.
    static func makeFigure(rows: Int, columns: Int, title: String, panelWidth: Double = 2.4, panelHeight: Double = 2.3) -> Figure {
        Figure(rows: rows, columns: columns, width: panelWidth * Double(columns) + 0.4,
               height: panelHeight * Double(rows) + 0.35, dpi: 150, title: title)
    }
}
