import ArgumentParser
import Experiments
import Foundation
import MessagePassing

/// The entry point of `jko`: starts MPI when launched by `mpirun` (``Communicator/start()``),
/// runs the parsed command, and ends the job.
///
/// Under `mpirun -np P` (P > 1): the ranks other than 0 discard their standard output (rank
/// 0 prints; error messages still reach standard error from any rank); only the commands
/// that split their work over ranks are accepted (`run`, `eval`, `sample`, `bench
/// scaling`); and an error on any rank prints its message with the rank and ends the whole
/// job through `MPI_Abort` with the command's non-zero exit code, so no rank waits forever
/// for one that stopped. In a single process everything is as without MPI.
@main
enum Main {
    static func main() {
        let world: Communicator
        do { world = try Communicator.start() } catch { Communicator.single.fail("Error: \(error)") }
        if world.size > 1 && !world.isRoot { _ = freopen("/dev/null", "w", stdout) }
        do {
            var command = try JKO.parseAsRoot()
            if world.size > 1 { try checkParallel(command) }
            try command.run()
        } catch {
            let code = JKO.exitCode(for: error)
            if world.size > 1 {
                if code == .success {
                    if world.isRoot { print(JKO.fullMessage(for: error)) }
                    world.finish()
                    exit(0)
                }
                world.fail(JKO.fullMessage(for: error), code: code.rawValue == 0 ? 1 : code.rawValue)
            }
            world.finish()
            JKO.exit(withError: error)
        }
        fflush(stdout)
        world.finish()
    }

    /// Refuses the commands that do not split their work over ranks (P copies would write
    /// the same files).
    static func checkParallel(_ command: ParsableCommand) throws {
        switch command {
        case is RunCommand, is EvalCommand, is SampleCommand: return
        case let bench as BenchCommand where bench.suite == "scaling": return
        default:
            let name = type(of: command).configuration.commandName ?? "this command"
            throw CommandFailure("jko \(name) runs in one process; start it without mpirun (under mpirun: jko run, eval, sample and bench scaling)")
        }
    }
}
