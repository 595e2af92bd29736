import Foundation
import MessagePassing
import XCTest

/// Runs an executable of the build folder under `mpirun -np P --oversubscribe` (plus
/// `--allow-run-as-root` as root), for the multi-process tests. Tests call
/// ``requireMPI()`` first: it skips (XCTSkip) when this build has no Open MPI or `mpirun`
/// is not on the PATH. Every run is killed after `timeout` seconds, so a hung job fails
/// the test instead of the suite.
public enum MPIRun {
    /// The `mpirun` on the PATH, or nil.
    public static var launcher: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    public static func requireMPI() throws {
        guard Communicator.isAvailable else { throw XCTSkip("this build has no Open MPI (JKO_MPI=0)") }
        guard launcher != nil else { throw XCTSkip("mpirun is not on the PATH (apt-get install openmpi-bin)") }
    }

    /// `name` in the folder of the test bundle (the build products).
    public static func product(_ name: String) -> URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    public struct Result {
        public let status: Int32
        public let output: String
        public let seconds: Double
        public let timedOut: Bool
    }

    /// `mpirun -np ranks … executable arguments` in `folder` (stdout and stderr together).
    /// ranks = 0 runs the executable directly, without mpirun.
    public static func run(_ executable: URL, _ arguments: [String], ranks: Int, in folder: URL? = nil,
                           timeout: Double = 90) throws -> Result {
        let process = Process()
        if ranks > 0 {
            process.executableURL = launcher
            var options = ["-np", "\(ranks)", "--oversubscribe"]
            if getuid() == 0 { options.append("--allow-run-as-root") }
            process.arguments = options + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        if let folder { process.currentDirectoryURL = folder }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("mpirun-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = handle
        process.standardError = handle
        let started = Date()
        try process.run()
        var timedOut = false
        while process.isRunning {
            if Date().timeIntervalSince(started) > timeout {
                timedOut = true
                process.terminate()
                Thread.sleep(forTimeInterval: 1)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        try? handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, output: text, seconds: seconds, timedOut: timedOut)
    }
}
