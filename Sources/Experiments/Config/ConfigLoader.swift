import Foundation

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

    /// Parses a TOML file; keys it leaves out keep their defaults.
    public static func load(file path: String) throws -> ExperimentConfig {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        return try parse(text, source: path)
    }

    /// Parses TOML text over the defaults.
    public static func parse(_ text: String, source: String = "config") throws -> ExperimentConfig {
        var config = ExperimentConfig()
        for (key, value) in try TOMLReader.read(text, source: source) {
            try set(key, value, in: &config)
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
