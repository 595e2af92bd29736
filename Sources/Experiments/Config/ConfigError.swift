/// A config problem, reported before any work starts as one sentence naming the key, the
/// value and what is allowed.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unknownPreset(name: String, available: [String])
    case unreadableFile(path: String, reason: String)
    case syntax(source: String, line: Int, message: String)
    case unknownKey(key: String, suggestion: String?)
    case malformedOverride(String)
    case wrongType(key: String, expected: String, found: String, value: String)
    case outOfRange(key: String, value: String, allowed: String)
    /// A config file that sets neither `name` nor `extends` (empty, comments only, cut short).
    case namesNoExperiment(source: String, keyCount: Int)

    public var description: String {
        switch self {
        case let .unknownPreset(name, available):
            return "no preset or config file named '\(name)'; use one of \(available.joined(separator: ", ")) or a path to a .toml file"
        case let .unreadableFile(path, reason):
            return "cannot read the config file \(path): \(reason)"
        case let .syntax(source, line, message):
            return "\(source), line \(line): \(message); fix the TOML syntax there"
        case let .unknownKey(key, suggestion):
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            return "unknown config key '\(key)'; \(hint)run 'jko config show NAME' to see every key"
        case let .malformedOverride(text):
            return "the override '\(text)' is not of the form key=value, e.g. --set flow.time_step=0.1"
        case let .wrongType(key, expected, found, value):
            return "config key '\(key)' expects \(expected), but got \(value) (\(found))"
        case let .outOfRange(key, value, allowed):
            return "config key '\(key)' = \(value) is not allowed: \(allowed)"
        case let .namesNoExperiment(source, keyCount):
            let what = keyCount == 0 ? "sets no keys (it is empty or holds only comments)" : "sets neither 'name' nor 'extends'"
            return "the config file \(source) \(what), so it names no experiment; start from 'jko config show PRESET > \(source)' (a full config with its name), or add extends = \"ou-2d\" (any preset) and the keys to change"
        }
    }
}
