import Foundation
import NumericalCore

/// Turns a preset name or a TOML file plus `--set key=value` overrides into a validated
/// ``ExperimentConfig``, and a config back into commented TOML.
public enum ConfigLoader {
    /// A preset by name, else a TOML file at that path; then the overrides in order; then
    /// ``ExperimentConfig/validate()``. Throws ``ConfigError`` naming the first bad key.
    public static func resolve(_ presetOrPath: String, overrides: [String] = []) throws -> ExperimentConfig {
        var config: ExperimentConfig
        if let preset = Presets.named(presetOrPath) {
            config = preset
        } else if FileManager.default.fileExists(atPath: presetOrPath) {
            config = try load(file: presetOrPath)
        } else {
            throw ConfigError.unknownPreset(name: presetOrPath, available: Presets.names)
        }
        try apply(overrides: overrides, to: &config)
        try config.validate()
        return config
    }

    /// Parses a TOML file (see ``parse(_:source:)`` for what it must hold).
    public static func load(file path: String) throws -> ExperimentConfig {
        let data: Data
        do { data = try FileSystem.read(URL(fileURLWithPath: path)) } catch let error as FileAccessError {
            throw ConfigError.unreadableFile(path: path, reason: error.code == EISDIR
                ? "it is a folder, not a config file; give the path of a .toml file (jko config show NAME > my.toml writes one)"
                : "\(error.reason); \(error.fix)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError.unreadableFile(path: path, reason: "it is not UTF-8 text; give a TOML file (jko config show NAME > my.toml writes one)")
        }
        return try parse(text, source: path)
    }

    /// The top-level key that starts a file from a preset: `extends = "ou-2d"`.
    public static let extendsKey = "extends"

    /// Parses TOML text. A config names what it runs, so that an empty, comments-only or
    /// cut-short file cannot silently run a default experiment: it must set `name` (as
    /// every file `jko config show` prints does; keys it leaves out keep the built-in
    /// defaults) or `extends = "PRESET"` (it starts from that preset, and its keys
    /// override the preset's). A NUL byte is an error (a damaged or binary file).
    public static func parse(_ text: String, source: String = "config") throws -> ExperimentConfig {
        if let nul = text.firstIndex(of: "\0") {
            let line = text[..<nul].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            throw ConfigError.syntax(source: source, line: line, message: "a NUL byte is not allowed in a config file (the file is damaged or not text)")
        }
        let pairs = try TOMLReader.read(text, source: source)
        var config = ExperimentConfig()
        if let extends = pairs.first(where: { $0.key == extendsKey })?.value {
            guard case let .string(presetName) = extends else {
                throw ConfigError.wrongType(key: extendsKey, expected: "a preset name in quotes", found: extends.kindDescription, value: extends.description)
            }
            guard let preset = Presets.named(presetName) else {
                throw ConfigError.outOfRange(key: extendsKey, value: extends.description, allowed: "use one of " + Presets.names.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            config = preset
        }
        for (key, value) in pairs where key != extendsKey {
            try set(key, value, in: &config)
        }
        guard pairs.contains(where: { $0.key == "name" || $0.key == extendsKey }) else {
            throw ConfigError.namesNoExperiment(source: source, keyCount: pairs.count)
        }
        return config
    }

    /// Applies `key=value` overrides (values in TOML syntax; bare words are strings).
    public static func apply(overrides: [String], to config: inout ExperimentConfig) throws {
        for text in overrides {
            guard let eq = text.firstIndex(of: "=") else { throw ConfigError.malformedOverride(text) }
            let key = text[..<eq].trimmingCharacters(in: .whitespaces)
            let raw = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !raw.isEmpty else { throw ConfigError.malformedOverride(text) }
            try set(key, TOMLReader.readValue(raw), in: &config)
        }
    }

    static func set(_ key: String, _ value: ConfigValue, in config: inout ExperimentConfig) throws {
        guard let field = ExperimentConfig.field(forKey: key) else {
            throw ConfigError.unknownKey(key: key, suggestion: ExperimentConfig.suggestion(for: key))
        }
        try field.set(&config, value)
    }

    /// The config as TOML, each key preceded by its documentation; reading it back with
    /// ``parse(_:source:)`` gives the same config.
    public static func render(_ config: ExperimentConfig, header: String? = nil) -> String {
        var lines = [String]()
        if let header { lines += header.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }; lines.append("") }
        var currentSection = ""
        for field in ExperimentConfig.schema {
            if field.section != currentSection {
                currentSection = field.section
                lines.append("")
                lines.append("[\(currentSection)]")
            }
            lines.append("# " + field.documentation)
            lines.append("\(field.name) = \(field.get(config).description)")
            if field.key == "target.seed" { lines += generatedTargetComment(config) }
            if field.key == "images.potential_widths" { lines += ExperimentConfig.imageNetworksComment(config) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
