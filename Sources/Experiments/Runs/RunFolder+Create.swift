import Foundation
import NumericalCore

/// Making a run folder, and the rule for replacing one (`jko run … --force`).
extension RunFolder {
    /// Makes a fresh run folder and takes its lock.
    ///
    /// An existing path is replaced only when `force` is set and it is a folder that is
    /// recognisably a run (its `run.json` is there and parses) or empty. Never replaced:
    /// a regular file, a folder of other files, `/`, the home folder, the current folder or
    /// any folder above it. A run is replaced under its lock (a live run's folder is
    /// refused with ``RunFolderError/inUse(path:process:)``), by removing its entries one by
    /// one, the lock file last kept, so a second process can never slip in between.
    /// On ranks other than 0 of an `mpirun` job nothing is checked or made (rank 0 does it).
    public static func create(at url: URL, force: Bool) throws -> RunFolder {
        guard RunFolder(url: url).writes else { return RunFolder(url: url) }
        let path = url.standardizedFileURL.path
        let state = FileSystem.kind(path)
        if state.exists {
            guard state.isFolder else { throw RunFolderError.isFile(path) }
            if let protected = protectedReason(path) { throw RunFolderError.notReplaceable(path: path, reason: protected) }
            guard force else { throw RunFolderError.exists(path) }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let isEmpty = entries.allSatisfy { $0 == RunLock.fileName }
            if !isEmpty {
                guard (try? RunFolder(url: url).manifest()) != nil else {
                    throw RunFolderError.notReplaceable(path: path, reason: "it holds \(entries.count) entries but no readable run.json, so it is not a JKOKit run")
                }
            }
            let folder = try RunFolder(url: url).locked()
            for name in entries where name != RunLock.fileName {
                let item = url.appendingPathComponent(name)
                do { try FileManager.default.removeItem(at: item) } catch {
                    throw FileAccessError(path: item.path, operation: .remove, reason: "it could not be removed (permissions?)",
                                          fix: "check the folder's permissions or choose another --out")
                }
            }
            try FileSystem.makeFolder(url.appendingPathComponent("samples"))
            return folder
        }
        try FileSystem.makeFolder(url.appendingPathComponent("samples"))
        return try RunFolder(url: url).locked()
    }

    /// Why `path` may never be replaced, or nil: the root, the home folder, the current
    /// folder and its ancestors (symbolic links resolved).
    static func protectedReason(_ path: String) -> String? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        if resolved == "/" { return "it is the root folder" }
        let home = URL(fileURLWithPath: NSHomeDirectory()).resolvingSymlinksInPath().standardizedFileURL.path
        if resolved == home { return "it is your home folder" }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().standardizedFileURL.path
        if here == resolved { return "it is the current folder" }
        if here.hasPrefix(resolved.hasSuffix("/") ? resolved : resolved + "/") { return "it holds the current folder" }
        return nil
    }
}

extension RunFolder {
    /// A run folder that cannot be made, opened, replaced or read; each names the folder
    /// or file and what to do.
    public enum RunFolderError: Error, Equatable, CustomStringConvertible {
        case exists(String)
        case notARun(String)
        case missing(String)
        case isFile(String)
        case notReplaceable(path: String, reason: String)
        case inUse(path: String, process: Int?)
        case missingStep(path: String, step: Int, method: String)
        case badManifest(path: String, reason: String)
        case badSamples(path: String, reason: String)
        case badMetrics(path: String, reason: String)

        public var description: String {
            switch self {
            case let .exists(path):
                return "the run folder \(path) already exists; pass --force to overwrite it or --out to choose another folder"
            case let .notARun(path):
                return "\(path) is not a run folder (no config.toml); give a folder written by 'jko run'"
            case let .missing(path):
                return "there is no run folder \(path); give a folder written by 'jko run'"
            case let .isFile(path):
                return "\(path) is a file, not a run folder; move it away or choose another folder (--out)"
            case let .notReplaceable(path, reason):
                return "--force will not replace \(path): \(reason); --force replaces only a JKOKit run folder (with its run.json) or an empty folder, so move it away or choose another folder (--out)"
            case let .inUse(path, process):
                return "run folder \(path) is in use by process \(process.map(String.init) ?? "(unknown)"); wait for it to finish or stop it, then run the command again"
            case let .missingStep(path, step, method):
                return "the run \(path) has no samples for step \(step) of method '\(method)'; check the step range in metrics.csv"
            case let .badManifest(path, reason):
                return "cannot use \(path): \(reason); 'jko run CONFIG --resume --out FOLDER' (same config) writes it again"
            case let .badSamples(path, reason):
                return "cannot use the samples file \(path): \(reason); run 'jko run CONFIG --resume --out FOLDER' to recompute missing steps, or run the experiment again"
            case let .badMetrics(path, reason):
                return "cannot use \(path): \(reason)"
            }
        }
    }
}
