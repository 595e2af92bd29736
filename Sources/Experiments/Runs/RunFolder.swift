import Foundation
import MessagePassing
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
/// Creating a folder that already exists is refused unless `force` is set, and `force`
/// replaces only a folder that is a run or empty (``create(at:force:)``), so nothing
/// else is lost by accident. A command writing the folder holds its ``RunLock``.
///
/// Under `mpirun` only rank 0 writes (``writes``): the other ranks compute the same run and
/// every write of theirs (files, log lines, the lock, `--force`'s replacing) is skipped.
public struct RunFolder: Sendable {
    public let url: URL
    /// The folder's exclusive lock, held by this process while the value lives
    /// (``locked()``); nil for a folder only read.
    public let lock: RunLock?

    public init(url: URL) {
        self.url = url
        self.lock = nil
    }

    init(url: URL, lock: RunLock?) {
        self.url = url
        self.lock = lock
    }

    /// Whether this process writes run folders: true in a single process and on rank 0 of
    /// an `mpirun` job, false on the other ranks (they read, never write).
    public var writes: Bool { Communicator.world.isRoot }

    /// This folder with its ``RunLock`` taken (another process writing it throws
    /// ``RunFolderError/inUse(path:process:)``); ranks other than 0 take no lock.
    public func locked() throws -> RunFolder {
        if lock != nil || !writes { return self }
        return RunFolder(url: url, lock: try RunLock.acquire(url))
    }

    /// An existing run folder (must hold `config.toml`).
    public static func open(_ url: URL) throws -> RunFolder {
        let state = FileSystem.kind(url.path)
        guard state.exists else { throw RunFolderError.missing(url.path) }
        guard state.isFolder else { throw RunFolderError.isFile(url.path) }
        guard FileSystem.kind(url.appendingPathComponent("config.toml").path).exists else {
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

    /// The run's manifest (version, seed, methods); a missing or unreadable `run.json` is
    /// ``RunFolderError/badManifest(path:reason:)``.
    public func manifest() throws -> RunManifest {
        let data: Data
        do { data = try FileSystem.read(manifestURL) } catch let error as FileAccessError {
            throw RunFolderError.badManifest(path: manifestURL.path, reason: error.code == ENOENT ? "it is missing" : error.reason)
        }
        do { return try JSONDecoder().decode(RunManifest.self, from: data) } catch {
            throw RunFolderError.badManifest(path: manifestURL.path, reason: "it is not the JSON 'jko run' writes (damaged or edited)")
        }
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
        guard writes else { return }
        try NPYArray(points).write(to: samplesURL(step: step, method: method, reference: reference))
    }

    /// Reads the samples of one step and method.
    public func loadSamples(step: Int, method: String, reference: String) throws -> Matrix {
        let file = samplesURL(step: step, method: method, reference: reference)
        guard FileSystem.kind(file.path).exists else {
            throw RunFolderError.missingStep(path: url.path, step: step, method: method)
        }
        return try NPYArray(contentsOf: file).matrix()
    }

    /// The samples of one step and method, checked: the file exists and reads, is
    /// `[n, dimension]` with n ≥ 1, and holds only finite numbers. Each failure is
    /// ``RunFolderError/badSamples(path:reason:)`` naming the file.
    public func checkedSamples(step: Int, method: String, reference: String, dimension: Int) throws -> Matrix {
        let file = samplesURL(step: step, method: method, reference: reference)
        guard FileSystem.kind(file.path).exists else {
            throw RunFolderError.badSamples(path: file.path, reason: "it is missing")
        }
        let points: Matrix
        do { points = try NPYArray(contentsOf: file).matrix() } catch let error as NPYError {
            let text = "\(error)"
            throw RunFolderError.badSamples(path: file.path, reason: text.hasPrefix(file.path + ": ") ? String(text.dropFirst(file.path.count + 2)) : text)
        }
        guard points.columns == dimension, points.rows >= 1 else {
            throw RunFolderError.badSamples(path: file.path, reason: "it holds a [\(points.rows), \(points.columns)] array, but the run's samples are [n, \(dimension)] with n ≥ 1")
        }
        if let bad = points.elements.firstIndex(where: { !$0.isFinite }) {
            throw RunFolderError.badSamples(path: file.path, reason: "row \(bad / dimension) holds \(points.elements[bad]), not a finite number")
        }
        return points
    }

    /// Appends a timestamped line to `log.txt`.
    public func log(_ line: String) {
        guard writes else { return }
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
        guard folder.writes else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: folder.manifestURL)
    }
}

/// The toolkit's version, recorded in every run.
public enum JKOKitVersion {
    public static let current = "0.1.0"
}
