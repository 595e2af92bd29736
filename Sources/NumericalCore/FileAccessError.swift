import Foundation

/// A file or folder the toolkit could not read, write, create or remove: the one error type
/// of the file layer. It carries the path, the operation and the cause in words (from the
/// POSIX `errno`), and says what to do, so the command line prints it as one sentence:
///
///     cannot write /proc/run/config.toml: the folder does not exist and cannot be made
///     there; choose another folder (--out)
///
/// No Foundation error dump (`NSCocoaErrorDomain Code=512`) reaches the user.
public struct FileAccessError: Error, Equatable, CustomStringConvertible {
    /// What was being done to the file.
    public enum Operation: String, Sendable {
        case read, write
        case createFolder = "create the folder"
        case remove
        case lock
    }

    public let path: String
    public let operation: Operation
    /// The cause, e.g. "the disk is full".
    public let reason: String
    /// What the user can do about it.
    public let fix: String
    /// The POSIX error number behind it, when there is one.
    public let code: Int32?

    public init(path: String, operation: Operation, reason: String, fix: String, code: Int32? = nil) {
        self.path = path
        self.operation = operation
        self.reason = reason
        self.fix = fix
        self.code = code
    }

    /// The error for a failed system call that set `errno` to `code`.
    public init(path: String, operation: Operation, errno code: Int32) {
        let (reason, fix) = Self.explain(code, operation: operation)
        self.init(path: path, operation: operation, reason: reason, fix: fix, code: code)
    }

    public var description: String {
        "cannot \(operation.rawValue) \(path): \(reason); \(fix)"
    }

    /// The words for the common `errno` values; strerror for the rest.
    static func explain(_ code: Int32, operation: Operation) -> (reason: String, fix: String) {
        let writing = operation != .read
        switch code {
        case ENOSPC, EDQUOT:
            return ("the disk is full (no space left on the device)", "free some space and run the command again")
        case EROFS:
            return ("the file system is read-only", "choose a folder on a writable disk")
        case EACCES, EPERM:
            return ("permission denied", writing ? "choose a folder you may write to, or change its permissions"
                                                 : "check the file's permissions")
        case ENOENT:
            return writing ? ("a folder on the path does not exist and cannot be made there", "choose another folder")
                           : ("there is no such file", "check the path")
        case EISDIR:
            return ("it is a folder, not a file", writing ? "choose a file name that is not a folder" : "give the path of a file inside it")
        case ENOTDIR:
            return ("a part of the path is a regular file, not a folder", "move that file away or choose another path")
        case EEXIST:
            return ("a file of that name is in the way", "move it away or choose another path")
        case EIO:
            return ("the device reported an input/output error", "check the disk")
        case ENAMETOOLONG:
            return ("the path or one of its names is too long", "choose a shorter name")
        default:
            return (String(cString: strerror(code)).lowercased(), "check the path and its permissions")
        }
    }
}

