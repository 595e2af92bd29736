import Foundation

/// File-system primitives on POSIX calls, so every failure has an `errno` and becomes a
/// ``FileAccessError`` naming the path (Foundation's own errors name neither cause nor fix).
public enum FileSystem {
    /// Whether `path` exists, and whether it is a folder (symbolic links followed).
    public static func kind(_ path: String) -> (exists: Bool, isFolder: Bool) {
        var info = stat()
        guard stat(path, &info) == 0 else { return (false, false) }
        return (true, (info.st_mode & S_IFMT) == S_IFDIR)
    }

    /// The whole file; a folder, a missing file or an unreadable one throws.
    public static func read(_ url: URL) throws -> Data {
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileAccessError(path: path, operation: .read, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileAccessError(path: path, operation: .read, errno: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileAccessError(path: path, operation: .read, errno: EISDIR) }
        var data = Data()
        if info.st_size > 0 { data.reserveCapacity(Int(info.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileAccessError(path: path, operation: .read, errno: errno)
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return data
    }

    /// Makes a folder and its missing parents (like `mkdir -p`).
    public static func makeFolder(_ url: URL) throws {
        let path = url.standardizedFileURL.path
        let state = kind(path)
        if state.isFolder { return }
        if state.exists { throw FileAccessError(path: path, operation: .createFolder, errno: ENOTDIR) }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeFolder(URL(fileURLWithPath: parent)) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw FileAccessError(path: path, operation: .createFolder, errno: errno)
        }
    }

    /// Writes `data` to a new file at `path` (replacing one), reporting short writes.
    static func writeNew(_ data: Data, path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileAccessError(path: path, operation: .write, errno: errno) }
        var failure: Int32?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0 && failure == nil { failure = errno }
        if let failure { throw FileAccessError(path: path, operation: .write, errno: failure) }
    }
}

/// Atomic file writes: write a temporary file next to the target, then rename over it,
/// so a reader (or a resumed run) never sees half a file. Failures throw
/// ``FileAccessError`` naming the target (a full disk, a read-only or missing folder, a
/// folder in the target's place) and leave no temporary file behind.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileSystem.makeFolder(folder)
        if FileSystem.kind(url.path).isFolder { throw FileAccessError(path: url.path, operation: .write, errno: EISDIR) }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileSystem.writeNew(data, path: temporary.path)
        } catch let error as FileAccessError {
            unlink(temporary.path)
            throw FileAccessError(path: url.path, operation: .write, reason: error.reason, fix: error.fix, code: error.code)
        }
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            unlink(temporary.path)
            throw FileAccessError(path: url.path, operation: .write, errno: code)
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
