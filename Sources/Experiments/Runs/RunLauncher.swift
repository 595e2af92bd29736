import Foundation

/// The shared set-up of `jko run` and `jko demo`: resolve the config (preset or file,
/// overrides, seed), validate it before any work, and make the run folder.
public enum RunLauncher {
    /// - Parameters:
    ///   - source: a preset name or a TOML file path.
    ///   - overrides: `key=value` strings applied in order.
    ///   - seed: replaces the config's seed when given.
    ///   - out: the run folder; defaults to `runs/NAME`.
    ///   - force: overwrite an existing folder.
    public static func prepare(source: String, overrides: [String], seed: Int?, out: String?,
                               force: Bool) throws -> (config: ExperimentConfig, folder: RunFolder) {
        let (config, url) = try resolve(source: source, overrides: overrides, seed: seed, out: out)
        return (config, try RunFolder.create(at: url, force: force))
    }

    /// The validated config and the run folder's path.
    static func resolve(source: String, overrides: [String], seed: Int?, out: String?) throws -> (ExperimentConfig, URL) {
        var all = overrides
        if let seed { all.append("seed=\(seed)") }
        let config = try ConfigLoader.resolve(source, overrides: all)
        if let out, out.trimmingCharacters(in: .whitespaces).isEmpty {
            throw OutError.empty
        }
        return (config, URL(fileURLWithPath: out ?? "runs/\(config.name)"))
    }

    /// The set-up of `jko run … --resume`: resolve the config as ``prepare`` does, then
    /// open the existing run folder and check that its config.toml is that config.
    ///
    /// - Throws: ``ResumeError/missingFolder(path:)`` when there is no folder,
    ///   ``RunFolder/RunFolderError/notARun(_:)`` when it holds no config.toml,
    ///   ``ResumeError/configDiffers(path:key:saved:requested:)`` naming the first key
    ///   that differs (another preset, override or seed).
    public static func prepareResume(source: String, overrides: [String], seed: Int?,
                                     out: String?) throws -> (config: ExperimentConfig, folder: RunFolder) {
        let (config, url) = try resolve(source: source, overrides: overrides, seed: seed, out: out)
        guard FileManager.default.fileExists(atPath: url.path) else { throw ResumeError.missingFolder(path: url.path) }
        let folder = try RunFolder.open(url).locked()
        if let difference = try folder.config().firstDifference(from: config) {
            throw ResumeError.configDiffers(path: url.path, key: difference.key, saved: difference.value, requested: difference.otherValue)
        }
        return (config, folder)
    }

    /// The demo's folder may be replaced only when it holds an earlier demo run (its
    /// run.json says so); any other folder at that path is left alone.
    public static func prepareDemo(out: String, overrides: [String]) throws -> (config: ExperimentConfig, folder: RunFolder) {
        let url = URL(fileURLWithPath: out)
        var replace = false
        if FileManager.default.fileExists(atPath: url.path) {
            let manifest = try? RunFolder(url: url).manifest()
            guard manifest?.source == "demo" else {
                throw DemoError.foreignFolder(url.path)
            }
            replace = true
        }
        let config = try ConfigLoader.resolve("ou-2d", overrides: overrides)
        return (config, try RunFolder.create(at: url, force: replace))
    }

    /// `--out ''` (often an unset shell variable): it would name the current folder.
    public enum OutError: Error, CustomStringConvertible {
        case empty
        public var description: String {
            "--out is empty (an unset shell variable?); give the run folder's path, e.g. --out runs/my-run"
        }
    }

    public enum DemoError: Error, CustomStringConvertible {
        case foreignFolder(String)
        public var description: String {
            "\(path) exists and was not written by 'jko demo'; move it away or pass --out to choose another folder"
        }
        var path: String { if case let .foreignFolder(p) = self { return p }; return "" }
    }
}
