/// A pre-check of TOML text for the inputs that trip an assertion (a process abort) inside
/// toml++ 3.x, the C++ parser under TOMLKit, instead of giving a parse error. Found by
/// `jko bench fuzz`:
///
/// - a table header whose `[` or `[[` is not followed by a key (`[=x]`, `[[{`, `[` ending
///   its line): toml++ asserts in `parse_key`;
/// - a value that starts with a terminator (`a = }`, `[1, }x]`, `[1,,2]`): it asserts in
///   `parse_value`; likewise a key in an inline table that starts with one (`{a = 1, =2}`).
///
/// The scan follows strings, comments and the nesting of arrays and inline tables, so it
/// rejects only text that is not valid TOML anyway, with the line it is on.
enum TOMLHeaderCheck {
    /// Throws ``ConfigError/syntax(source:line:message:)`` at the first such place.
    static func check(_ text: String, source: String) throws {
        let chars = Array(text.unicodeScalars)
        var i = 0, line = 1, atLineStart = true
        var nesting = [Unicode.Scalar]()   // "[" arrays and "{" inline tables, innermost last
        func fail(_ message: String) -> ConfigError { .syntax(source: source, line: line, message: message) }
        func isKeyStart(_ c: Unicode.Scalar) -> Bool {
            ("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == "-" || c == "\"" || c == "'"
        }
        /// The next character that is not blank (nor, inside arrays, a newline or comment).
        func nextSignificant(from start: Int, acrossLines: Bool) -> Unicode.Scalar? {
            var j = start
            while j < chars.count {
                let c = chars[j]
                if c == " " || c == "\t" || c == "\r" || (acrossLines && c == "\n") { j += 1; continue }
                if acrossLines && c == "#" { while j < chars.count && chars[j] != "\n" { j += 1 }; continue }
                return c
            }
            return nil
        }
        let terminators: Set<Unicode.Scalar> = ["]", "}", ",", "#", "\n"]
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { line += 1; atLineStart = true; i += 1; continue }
            if atLineStart && (c == " " || c == "\t") { i += 1; continue }
            if atLineStart && nesting.isEmpty && c == "[" {
                var j = i + 1
                if j < chars.count && chars[j] == "[" { j += 1 }
                while j < chars.count && (chars[j] == " " || chars[j] == "\t") { j += 1 }
                if j >= chars.count || !isKeyStart(chars[j]) { throw fail("a table header must start with a key name, e.g. [flow]") }
                while i < chars.count && chars[i] != "\n" && chars[i] != "#" { i += 1 }
                atLineStart = false
                continue
            }
            atLineStart = false
            let inArray = nesting.last == "["
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
            case "=":
                if let next = nextSignificant(from: i + 1, acrossLines: false), terminators.contains(next) || next == "=" {
                    throw fail("a value is missing after '='")
                }
                if nextSignificant(from: i + 1, acrossLines: false) == nil { throw fail("a value is missing after '='") }
            case "[", ",":
                if c == "[" { nesting.append("[") }
                if c == "[" || inArray {
                    if let next = nextSignificant(from: i + 1, acrossLines: true), next == "}" || next == "," || next == "=" {
                        throw fail("an array element is missing or starts with '\(next)'")
                    }
                } else if nesting.last == "{" {
                    if let next = nextSignificant(from: i + 1, acrossLines: false), !isKeyStart(next) {
                        throw fail("a key is missing in the inline table")
                    }
                }
            case "{":
                nesting.append("{")
                if let next = nextSignificant(from: i + 1, acrossLines: false), !isKeyStart(next) && next != "}" {
                    throw fail("a key is missing in the inline table")
                }
            case "]", "}":
                if !nesting.isEmpty { nesting.removeLast() }
            default: break
            }
            i += 1
        }
    }
}
