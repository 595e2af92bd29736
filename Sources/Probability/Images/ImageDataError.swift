/// A data file that cannot be used, with one sentence naming the file, what was expected
/// and what to do. Nothing is ever downloaded: the fix is always a path or a package.
public enum ImageDataError: Error, Equatable, CustomStringConvertible {
    /// The file (or folder) does not exist.
    case missing(file: String, expected: String)
    /// The file exists but cannot be read or decompressed.
    case unreadable(file: String, reason: String)
    /// The file's header or size is not what its format requires.
    case malformed(file: String, expected: String, found: String)
    /// Two files that belong together disagree (image and label counts).
    case mismatch(file: String, expected: String, found: String)
    /// A folder holds no usable image.
    case empty(folder: String, expected: String)

    public var description: String {
        switch self {
        case let .missing(file, expected):
            return "\(file) does not exist: expected \(expected) there; install it (the Makefile installs dataset-fashion-mnist) or point --data at the folder that holds it"
        case let .unreadable(file, reason):
            return "\(file) cannot be read: \(reason); replace the file with an intact copy"
        case let .malformed(file, expected, found):
            return "\(file) is not a valid data file: expected \(expected), found \(found); replace the file with an intact copy"
        case let .mismatch(file, expected, found):
            return "\(file) does not match its companion file: expected \(expected), found \(found); use files of the same release"
        case let .empty(folder, expected):
            return "\(folder) holds no usable image: expected \(expected)"
        }
    }
}
