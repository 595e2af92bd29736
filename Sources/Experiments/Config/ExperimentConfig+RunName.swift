extension ExperimentConfig {
    /// The longest run name, in characters: names appear in folder names (`runs/NAME`) and
    /// on every progress line.
    public static let maximumNameLength = 100

    /// A run name is one path component, so `runs/NAME` stays inside `runs/`: not empty,
    /// no `/`, not `.` or `..`, no control characters, at most ``maximumNameLength``
    /// characters.
    public func validateName() throws {
        let shown = name.count > 40 ? "\"" + name.prefix(40) + "…\" (\(name.count) characters)" : ConfigValue.string(name).description
        func refuse(_ why: String) -> ConfigError {
            ConfigError.outOfRange(key: "name", value: shown, allowed: why + "; a run name is one folder name, e.g. \"my-run\"")
        }
        if name.isEmpty { throw refuse("the name is empty") }
        if name == "." || name == ".." { throw refuse("'.' and '..' name existing folders") }
        if name.contains("/") { throw refuse("it must not contain '/'") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { throw refuse("it must not contain control characters") }
        if name.count > Self.maximumNameLength { throw refuse("it must have at most \(Self.maximumNameLength) characters") }
    }
}
