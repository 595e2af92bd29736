import Foundation
import NumericalCore

/// A run folder (DESIGN.md §3):
///
///     runs/NAME/
///       config.toml            resolved config (seed included), readable by `jko run FILE`
///       run.json               tool version, seed, source preset/file, command, methods
///       log.txt                timestamped log lines
///       metrics.csv            one row per JKO step: step,t,…
///       samples/step-KKKK.npy  samples [n, d] float64 of the reference method (the first
///                              entry of `methods`); other methods in samples/METHOD/
///       density/step-KKKK.npy  ρ_k on the grid, when a method reports it (RunFolder+Density)
///       checkpoints/METHOD/step-KKKK.safetensors
///                              each method's full state after step k, the two latest
///                              steps only (RunFolder+Checkpoints, MethodCheckpoint)
///       figures/               `jko plot` output
///
/// Every file is written atomically (temporary file, then rename). Step k is complete
/// when its `metrics.csv` row and every method's checkpoint exist and read back;
/// `jko run … --resume` continues from the last complete step
/// (``ExperimentRunner/resume(command:progress:)``).
///
/// Creating a folder that already exists is refused unless `force` is set, so nothing
/// already written is lost by accident.
public struct RunFolder: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    public enum RunFolderError: Error, CustomStringConvertible {
        case exists(String)
        case notARun(String)
        case missingStep(path: String, step: Int, method: String)

        public var description: String {
            switch self {
            case let .exists(path):
                return "the run folder \(path) already exists; pass --force to overwrite it or --out to choose another folder"
            case let .notARun(path):
                return "\(path) is not a run folder (no config.toml); give a folder written by 'jko run'"
            case let .missingStep(path, step, method):
                return "the run \(path) has no samples for step \(step) of method '\(method)'; check the step range in metrics.csv"
            }
        }
    }

    /// Makes a fresh run folder; an existing one is removed only when `force` is set.
    public static func create(at url: URL, force: Bool) throws -> RunFolder {
        let fm = FileManager.default
        if fm.fileExists(atPath: url.path) {
            guard force else { throw RunFolderError.exists(url.path) }
            try fm.removeItem(at: url)
        }
        try fm.createDirectory(at: url.appendingPathComponent("samples"), withIntermediateDirectories: true)
        return RunFolder(url: url)
    }

    /// An existing run folder (must hold `config.toml`).
    public static func open(_ url: URL) throws -> RunFolder {
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.toml").path) else {
            throw RunFolderError.notARun(url.path)
        }
        return RunFolder(url: url)
    }

    public var configURL: URL { url.appendingPathComponent("config.toml") }
    public var manifestURL: URL { url.appendingPathComponent("run.json") }
    public var metricsURL: URL { url.appendingPathComponent("metrics.csv") }
    public var logURL: URL { url.appendingPathComponent("log.txt") }
    public var figuresURL: URL { url.appendingPathComponent("figures") }

    /// The resolved config of the run.
    public func config() throws -> ExperimentConfig { try ConfigLoader.load(file: configURL.path) }

    /// The run's manifest (version, seed, methods).
    public func manifest() throws -> RunManifest {
        try JSONDecoder().decode(RunManifest.self, from: Data(contentsOf: manifestURL))
    }

    /// `samples/step-KKKK.npy` for the reference method, `samples/METHOD/step-KKKK.npy` otherwise.
    public func samplesURL(step: Int, method: String, reference: String) -> URL {
        let name = String(format: "step-%04d.npy", step)
        let folder = url.appendingPathComponent("samples")
        return method == reference ? folder.appendingPathComponent(name)
                                   : folder.appendingPathComponent(method).appendingPathComponent(name)
    }

    /// Writes samples `[n, d]` of one step and method (atomically).
    public func saveSamples(_ points: Matrix, step: Int, method: String, reference: String) throws {
        try NPYArray(points).write(to: samplesURL(step: step, method: method, reference: reference))
    }

    /// Reads the samples of one step and method.
    public func loadSamples(step: Int, method: String, reference: String) throws -> Matrix {
        let file = samplesURL(step: step, method: method, reference: reference)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw RunFolderError.missingStep(path: url.path, step: step, method: method)
        }
        return try NPYArray(contentsOf: file).matrix()
    }

    /// Appends a timestamped line to `log.txt`.
    public func log(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        let text = "\(stamp) \(line)\n"
        if let handle = try? FileHandle(forWritingTo: logURL) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        } else {
            try? Data(text.utf8).write(to: logURL)
        }
    }
}

/// What `run.json` records about a run.
public struct RunManifest: Codable, Equatable, Sendable {
    public var toolVersion: String
    public var seed: Int
    public var source: String
    public var command: String
    public var created: String
    public var methods: [String]
    /// The method whose samples sit directly in `samples/` (the first of `methods`).
    public var referenceMethod: String
    /// What each method's `density/…/step-KKKK.npy` holds (point values at cell centres or
    /// cell averages, its total mass, what the covariance columns include); nil in runs
    /// written before this field existed.
    public var densityFiles: [String: String]?

    enum CodingKeys: String, CodingKey {
        case toolVersion = "tool_version", seed, source, command, created, methods, referenceMethod = "reference_method"
        case densityFiles = "density_files"
    }

    /// The convention of each method's density files (``densityFiles``).
    public static func densityConvention(of method: String) -> String? {
        switch method {
        case "analytic", "gaussian-jko":
            return "point values of the closed-form density at the cell centres (not cell averages, not renormalised)"
        case "finite-volume":
            return "cell averages (the finite-volume unknowns, total mass 1); its cov_* metrics include the within-cell variance dx²/12"
        case "particle-jko":
            return "cell averages of the piecewise-constant particle density; total mass (N−1)/N for N particles (the two end half-masses lie outside the particle range)"
        case "mesh-jko":
            return "point values of the mesh's piecewise-constant density (triangle mass / area) at the cell centres"
        default:
            return nil
        }
    }

    public init(config: ExperimentConfig, source: String, command: String) {
        toolVersion = JKOKitVersion.current
        seed = config.seed
        self.source = source
        self.command = command
        created = ISO8601DateFormatter().string(from: Date())
        methods = config.methods
        referenceMethod = config.methods.first ?? "analytic"
        let conventions = Dictionary(config.methods.compactMap { m in Self.densityConvention(of: m).map { (m, $0) } },
                                     uniquingKeysWith: { first, _ in first })
        densityFiles = conventions.isEmpty ? nil : conventions
    }

    public func write(to folder: RunFolder) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: folder.manifestURL)
    }
}

/// The toolkit's version, recorded in every run.
public enum JKOKitVersion {
    public static let current = "0.1.0"
}
