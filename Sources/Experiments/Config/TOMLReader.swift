import TOMLKit

/// Reads TOML text into `(key path, value)` pairs: the only file that talks to TOMLKit.
///
/// Nested tables flatten into dotted keys (`[flow]` + `time_step` → `flow.time_step`), in
/// document order of the tables' keys as TOMLKit returns them.
enum TOMLReader {
    static func read(_ text: String, source: String) throws -> [(key: String, value: ConfigValue)] {
        try TOMLHeaderCheck.check(text, source: source)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError.syntax(source: source, line: error.source.begin.line, message: error.description)
        }
        var out = [(key: String, value: ConfigValue)]()
        try flatten(table, prefix: "", into: &out, source: source)
        return out
    }

    /// Parses the right-hand side of `--set key=value`; a bare word that is not valid TOML
    /// (`--set name=my-run`) is taken as a string.
    static func readValue(_ text: String) -> ConfigValue {
        if (try? TOMLHeaderCheck.check("v = " + text, source: "--set")) != nil, let table = try? TOMLTable(string: "v = " + text), let v = table["v"], let value = try? convert(v, key: "v") {
            return value
        }
        // A number TOML cannot hold as a Double (1e400, -1e999) is still a number, so the
        // key's range check names it, instead of calling it a string.
        if let number = Double(text), text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true {
            return .number(number)
        }
        return .string(text)
    }

    private static func flatten(_ table: TOMLTable, prefix: String, into out: inout [(key: String, value: ConfigValue)], source: String) throws {
        for key in table.keys {
            guard let value = table[key] else { continue }
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let sub = value.table {
                try flatten(sub, prefix: path, into: &out, source: source)
            } else {
                out.append((path, try convert(value, key: path)))
            }
        }
    }

    private static func convert(_ value: TOMLValueConvertible, key: String) throws -> ConfigValue {
        switch value.type {
        case .int: return .integer(value.int ?? 0)
        case .double: return .number(value.double ?? .nan)
        case .string: return .string(value.string ?? "")
        case .bool: return .bool(value.bool ?? false)
        case .array:
            guard let array = value.array else { return .array([]) }
            return .array(try array.map { try convert($0, key: key) })
        default:
            throw ConfigError.wrongType(key: key, expected: "a number, string, boolean or array", found: "a \(value.type)", value: "\(value)")
        }
    }
}
