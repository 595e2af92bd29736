/// One key of the config schema: where it lives, what it means, how to read and write it.
///
/// The schema is the single source of truth for `jko config show` (keys, values and the
/// doc comments above them), for file and `--set` parsing (unknown keys, wrong types)
/// and for per-key range checks; cross-key checks live in `ExperimentConfig.validate()`.
public struct ConfigField: Sendable {
    /// Dotted key, e.g. `flow.time_step`; the part before the last dot is the TOML table.
    public let key: String
    /// One or two sentences for the comment above the key in `jko config show`.
    public let documentation: String
    /// Reads the current value from a config.
    public let get: @Sendable (ExperimentConfig) -> ConfigValue
    /// Checks the type and range of a value and writes it (throws ``ConfigError``).
    public let set: @Sendable (inout ExperimentConfig, ConfigValue) throws -> Void

    public var section: String {
        guard let dot = key.lastIndex(of: ".") else { return "" }
        return String(key[..<dot])
    }

    public var name: String {
        guard let dot = key.lastIndex(of: ".") else { return key }
        return String(key[key.index(after: dot)...])
    }

    public init(key: String, documentation: String,
                get: @escaping @Sendable (ExperimentConfig) -> ConfigValue,
                set: @escaping @Sendable (inout ExperimentConfig, ConfigValue) throws -> Void) {
        self.key = key
        self.documentation = documentation
        self.get = get
        self.set = set
    }
}

// MARK: - Typed field builders

extension ConfigField {
    /// A real number with an allowed range.
    public static func number(_ key: String, _ path: WritableKeyPath<ExperimentConfig, Double> & Sendable,
                              _ documentation: String, allowed: String,
                              where isAllowed: @escaping @Sendable (Double) -> Bool) -> ConfigField {
        ConfigField(key: key, documentation: documentation, get: { .number($0[keyPath: path]) }) { config, value in
            guard let d = value.doubleValue else {
                throw ConfigError.wrongType(key: key, expected: "a number", found: value.kindDescription, value: value.description)
            }
            guard isAllowed(d) else { throw ConfigError.outOfRange(key: key, value: value.description, allowed: allowed) }
            config[keyPath: path] = d
        }
    }

    /// An integer with an allowed range.
    public static func integer(_ key: String, _ path: WritableKeyPath<ExperimentConfig, Int> & Sendable,
                               _ documentation: String, allowed: String,
                               where isAllowed: @escaping @Sendable (Int) -> Bool) -> ConfigField {
        ConfigField(key: key, documentation: documentation, get: { .integer($0[keyPath: path]) }) { config, value in
            guard case let .integer(i) = value else {
                throw ConfigError.wrongType(key: key, expected: "an integer", found: value.kindDescription, value: value.description)
            }
            guard isAllowed(i) else { throw ConfigError.outOfRange(key: key, value: value.description, allowed: allowed) }
            config[keyPath: path] = i
        }
    }

    /// A string, optionally restricted to a list of choices.
    public static func string(_ key: String, _ path: WritableKeyPath<ExperimentConfig, String> & Sendable,
                              _ documentation: String, choices: [String]? = nil) -> ConfigField {
        ConfigField(key: key, documentation: documentation, get: { .string($0[keyPath: path]) }) { config, value in
            guard case let .string(s) = value else {
                throw ConfigError.wrongType(key: key, expected: "a string", found: value.kindDescription, value: value.description)
            }
            if let choices, !choices.contains(s) {
                throw ConfigError.outOfRange(key: key, value: value.description,
                                             allowed: "use one of " + choices.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            config[keyPath: path] = s
        }
    }

    /// A list of strings, each from `choices`.
    public static func stringList(_ key: String, _ path: WritableKeyPath<ExperimentConfig, [String]> & Sendable,
                                  _ documentation: String, choices: [String]) -> ConfigField {
        ConfigField(key: key, documentation: documentation, get: { .stringList($0[keyPath: path]) }) { config, value in
            guard let list = value.stringListValue else {
                throw ConfigError.wrongType(key: key, expected: "an array of strings", found: value.kindDescription, value: value.description)
            }
            if let bad = list.first(where: { !choices.contains($0) }) {
                throw ConfigError.outOfRange(key: key, value: value.description,
                                             allowed: "\"\(bad)\" is not a method; use any of " + choices.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            if let twice = list.enumerated().first(where: { list[..<$0.offset].contains($0.element) })?.element {
                throw ConfigError.outOfRange(key: key, value: value.description,
                                             allowed: "\"\(twice)\" is listed twice; list each method once")
            }
            config[keyPath: path] = list
        }
    }

    /// A vector of numbers (shape checked later, against the dimension).
    public static func vector(_ key: String, _ path: WritableKeyPath<ExperimentConfig, [Double]> & Sendable,
                              _ documentation: String) -> ConfigField {
        ConfigField(key: key, documentation: documentation, get: { .vector($0[keyPath: path]) }) { config, value in
            guard let v = value.vectorValue else {
                throw ConfigError.wrongType(key: key, expected: "an array of finite numbers", found: value.kindDescription, value: value.description)
            }
            try requireFinite(v, key: key, value: value)
            config[keyPath: path] = v
        }
    }

    /// A matrix as an array of rows (shape and definiteness checked later).
    public static func matrix(_ key: String, _ path: WritableKeyPath<ExperimentConfig, [[Double]]> & Sendable,
                              _ documentation: String) -> ConfigField {
        nestedNumbers(key, path, documentation, expected: "a matrix given as an array of rows of numbers")
    }

    /// A list of vectors (e.g. the means of mixture components).
    public static func vectorList(_ key: String, _ path: WritableKeyPath<ExperimentConfig, [[Double]]> & Sendable,
                                  _ documentation: String) -> ConfigField {
        nestedNumbers(key, path, documentation, expected: "an array of vectors (one per component)")
    }

    /// An array of arrays of finite numbers; `expected` names the shape in the type error.
    private static func nestedNumbers(_ key: String, _ path: WritableKeyPath<ExperimentConfig, [[Double]]> & Sendable,
                                      _ documentation: String, expected: String) -> ConfigField {
        ConfigField(key: key, documentation: documentation, get: { .matrix($0[keyPath: path]) }) { config, value in
            guard let m = value.matrixValue else {
                throw ConfigError.wrongType(key: key, expected: expected, found: value.kindDescription, value: value.description)
            }
            try requireFinite(m.flatMap { $0 }, key: key, value: value)
            config[keyPath: path] = m
        }
    }

    /// A list of matrices (e.g. the covariances of mixture components).
    public static func matrixList(_ key: String, _ path: WritableKeyPath<ExperimentConfig, [[[Double]]]> & Sendable,
                                  _ documentation: String) -> ConfigField {
        ConfigField(key: key, documentation: documentation, get: { .matrixList($0[keyPath: path]) }) { config, value in
            guard let m = value.matrixListValue else {
                throw ConfigError.wrongType(key: key, expected: "an array of matrices (one per component)", found: value.kindDescription, value: value.description)
            }
            try requireFinite(m.flatMap { $0.flatMap { $0 } }, key: key, value: value)
            config[keyPath: path] = m
        }
    }

    /// Entries must be finite: `inf` and `nan` parse as TOML numbers but describe no measure.
    private static func requireFinite(_ entries: [Double], key: String, value: ConfigValue) throws {
        if let bad = entries.first(where: { !$0.isFinite }) {
            throw ConfigError.outOfRange(key: key, value: value.description,
                                         allowed: "every entry must be a finite number (found \(ConfigValue.format(bad)))")
        }
    }
}

extension ConfigField {
    /// A boolean (`true` / `false`).
    public static func boolean(_ key: String, _ path: WritableKeyPath<ExperimentConfig, Bool> & Sendable,
                               _ documentation: String) -> ConfigField {
        ConfigField(key: key, documentation: documentation, get: { .bool($0[keyPath: path]) }) { config, value in
            guard case let .bool(b) = value else {
                throw ConfigError.wrongType(key: key, expected: "true or false", found: value.kindDescription, value: value.description)
            }
            config[keyPath: path] = b
        }
    }
}
