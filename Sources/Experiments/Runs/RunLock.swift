import Foundation
import NumericalCore

/// The exclusive lock of a run folder: `flock(2)` on `RUN/.lock`, held from the moment a
/// command starts writing the folder (`jko run`, `--force`, `--resume`, `jko eval`,
/// `jko plot`) until the process ends, so two writers never interleave: the second gets
/// ``RunFolder/RunFolderError/inUse(path:process:)`` naming the process that holds it.
///
/// The kernel drops the lock when its process dies (a kill −9 included), so a stale lock
/// never blocks a resume; the file keeps the holder's process id only for the message.
public final class RunLock: @unchecked Sendable {
    /// The lock file's name inside a run folder.
    public static let fileName = ".lock"

    let descriptor: Int32
    public let folder: URL

    private init(descriptor: Int32, folder: URL) {
        self.descriptor = descriptor
        self.folder = folder
    }

    deinit { close(descriptor) }

    /// Takes the lock of the run folder at `folder` without waiting.
    ///
    /// - Returns: the lock, or nil when the folder is read-only to this process (nothing
    ///   can be written there, so there is nothing to protect; the first write names the
    ///   folder).
    /// - Throws: ``RunFolder/RunFolderError/inUse(path:process:)`` when another process
    ///   holds it; ``FileAccessError`` when the lock file cannot be made for another reason.
    public static func acquire(_ folder: URL) throws -> RunLock? {
        let path = folder.appendingPathComponent(fileName).standardizedFileURL.path
        registryLock.lock()
        defer { registryLock.unlock() }
        if let held = held[path]?.lock { return held }
        let lock = try take(folder, path: path)
        if let lock { held[path] = WeakLock(lock: lock) }
        return lock
    }

    /// The locks this process holds, by lock-file path: `flock` conflicts between two
    /// descriptors of one process, so a second request from this process shares the first.
    private struct WeakLock { weak var lock: RunLock? }
    nonisolated(unsafe) private static var held: [String: WeakLock] = [:]
    private static let registryLock = NSLock()

    private static func take(_ folder: URL, path: String) throws -> RunLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 {
            let code = errno
            if code == EACCES || code == EROFS || code == EPERM { return nil }
            throw FileAccessError(path: path, operation: .lock, errno: code)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            let holder = Self.recordedProcess(fd)
            close(fd)
            if code == EWOULDBLOCK { throw RunFolder.RunFolderError.inUse(path: folder.path, process: holder) }
            throw FileAccessError(path: path, operation: .lock, errno: code)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return RunLock(descriptor: fd, folder: folder)
    }

    /// The process id the holder wrote into the lock file, if readable.
    static func recordedProcess(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
