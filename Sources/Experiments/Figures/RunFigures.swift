import Foundation
import NumericalCore
import Plotting

/// The figures of a run folder (`jko plot RUN_DIR`), written to `RUN_DIR/figures/`:
///
/// | file                  | what it shows |
/// |-----------------------|---------------|
/// | `density-trajectory`  | 1D: ρ_t curves coloured by time + a space–time heatmap; 2D: density snapshots (heatmap + contours), one row per method |
/// | `transport-maps`      | 1D: T(x) and T(x) − x for ρ₀ → ρ_k; 2D: arrows x → T(x) and the image of a regular grid |
/// | `samples`             | samples per step over the reference density |
/// | `metrics`             | gaps to the reference per step (W₂, SymKL) with the sampling noise floor, or moments |
/// | `losses`              | training losses, when the run wrote `losses.csv` files |
/// | `image-grid`          | sample images per step, for runs whose dimension is a square image |
///
/// Figures a run cannot support (no losses, not images) are skipped, never faked.
public enum RunFigures {
    public enum Kind: String, CaseIterable, Sendable {
        case densityTrajectory = "density-trajectory"
        case transportMaps = "transport-maps"
        case samples
        case metrics
        case losses
        case imageGrid = "image-grid"
    }

    /// Number of steps shown in the step-by-step rows.
    public static let snapshotCount = 5

    /// Renders every figure the run supports into `RUN/figures/NAME.FORMAT`; returns the files written.
    @discardableResult
    public static func writeAll(run url: URL, format: ImageFormat = .png) throws -> [URL] {
        let data = try RunFigureData(folder: RunFolder.open(url).locked())
        guard !data.completedSteps.isEmpty else {
            throw FigureError.noSamples(url.path)
        }
        try FileSystem.makeFolder(data.folder.figuresURL)
        var written: [URL] = []
        for kind in Kind.allCases {
            guard let figure = try figure(kind, of: data) else { continue }
            let file = data.folder.figuresURL.appendingPathComponent("\(kind.rawValue).\(format.rawValue)")
            try figure.write(to: file, format: format)
            written.append(file)
        }
        return written
    }

    /// One figure of a run, or nil when the run holds nothing it could show.
    public static func figure(_ kind: Kind, of data: RunFigureData) throws -> Figure? {
        guard data.dimension == 1 || data.dimension == 2 || kind == .metrics || kind == .losses || kind == .imageGrid else {
            return nil
        }
        switch kind {
        case .densityTrajectory: return data.dimension == 1 ? densityCurves1D(data) : densitySnapshots2D(data)
        case .transportMaps: return data.dimension == 1 ? transport1D(data) : transport2D(data)
        case .samples: return data.dimension == 1 ? samples1D(data) : samples2D(data)
        case .metrics: return metricsFigure(data)
        case .losses: return lossesFigure(data)
        case .imageGrid: return imageGrid(data)
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
