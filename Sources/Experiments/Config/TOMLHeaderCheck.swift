/// A pre-check of TOML text for the one input that trips an assertion (a process abort)
/// inside toml++ 3.x, the C++ parser under TOMLKit, instead of a parse error: a table
/// header whose `[` or `[[` is followed by a character that cannot start a key
/// (`[=x]`, `[[{`, `[.a]`, a `[` ending its line). Found by `jko bench fuzz`. The scan follows strings, comments
/// and bracket depth, so `[` lines inside a multi-line array value are not headers.
enum TOMLHeaderCheck {
    /// Throws ``ConfigError/syntax(source:line:message:)`` at the first such header.
    static func check(_ text: String, source: String) throws {
        let chars = Array(text.unicodeScalars)
        var i = 0, line = 1, depth = 0, atLineStart = true
        func isKeyStart(_ c: Unicode.Scalar) -> Bool {
            c.properties.isASCIIHexDigit || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == "-" || c == "\"" || c == "'" || c == "]"
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { line += 1; atLineStart = true; i += 1; continue }
            if atLineStart && (c == " " || c == "\t") { i += 1; continue }
            if atLineStart && depth == 0 && c == "[" {
                var j = i + 1
                if j < chars.count && chars[j] == "[" { j += 1 }
                while j < chars.count && (chars[j] == " " || chars[j] == "\t") { j += 1 }
                if j >= chars.count || !isKeyStart(chars[j]) {
                    throw ConfigError.syntax(source: source, line: line, message: "a table header must start with a key name, e.g. [flow]")
                }
                // Skip the header itself: it is not a value.
                while i < chars.count && chars[i] != "\n" && chars[i] != "#" { i += 1 }
                atLineStart = false
                continue
            }
            atLineStart = false
            switch c {
            case "#":
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            case "\"", "'":
                let triple = i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c
                i += triple ? 3 : 1
                while i < chars.count {
                    if chars[i] == "\\" && c == "\"" { i += 2; continue }
                    if chars[i] == "\n" { if !triple { break }; line += 1 }
                    if chars[i] == c && (!triple || (i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c)) {
                        i += triple ? 3 : 1
                        break
                    }
                    i += 1
                }
                continue
            case "[", "{": depth += 1
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
            i += 1
        }
    }
}
