import Foundation
import MessagePassing

/// Progress of long work: on a terminal, one line rewritten in place (step, iteration,
/// rate, time left); otherwise plain lines at most every `plainInterval` seconds. Under
/// `mpirun` only rank 0 reports (the ranks progress in step).
public final class ProgressReporter: @unchecked Sendable {
    public let label: String
    public let total: Int
    let isTerminal: Bool
    let plainInterval: TimeInterval
    /// False on ranks other than 0 of an `mpirun` job.
    let reports = Communicator.world.isRoot
    let started = Date()
    var lastPrint = Date.distantPast
    var finished = false
    /// Units done before this process started (a resumed run), left out of the rate.
    var doneBefore = 0

    /// - Parameters:
    ///   - total: units of work (e.g. JKO steps × iterations per step).
    ///   - isTerminal: defaults to whether standard error is a terminal.
    public init(label: String, total: Int, isTerminal: Bool = isatty(2) != 0, plainInterval: TimeInterval = 5) {
        // A label is a run name (up to 100 characters); progress lines show at most 40.
        self.label = label.count > 40 ? label.prefix(39) + "…" : label
        self.total = max(total, 1)
        self.isTerminal = isTerminal
        self.plainInterval = plainInterval
    }

    /// The line for `done` units of work out of `total`, with an optional detail
    /// (e.g. "step 3/20, iteration 120/500, loss 0.12"). `done` may be fractional: a step
    /// in progress counts as the part of its iterations already run, so the rate and the
    /// time left move during a long step instead of growing with it.
    public func line(done: Double, detail: String) -> String {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? (done - Double(doneBefore)) / elapsed : 0
        let left = rate > 0 ? (Double(total) - done) / rate : .nan
        let percent = 100 * done / Double(total)
        return String(format: "%@ %5.1f%% %@ | %.1f/s | %@ left", label, percent, detail, rate, ProgressReporter.duration(left))
    }

    /// Says that `done` units were finished before this reporter started (a resumed run
    /// starts at its first missing step), so the rate and the time left count only the
    /// work done since.
    public func begin(at done: Int) {
        doneBefore = done
    }

    public func update(done: Int, detail: String) {
        update(done: Double(done), detail: detail)
    }

    /// As ``update(done:detail:)-(Int,_)`` with a fractional count: `k − 1 + i/n` during
    /// iteration i of n of step k.
    public func update(done: Double, detail: String) {
        guard reports else { return }
        let now = Date()
        if isTerminal {
            guard now.timeIntervalSince(lastPrint) >= 0.1 || done >= Double(total) else { return }
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line(done: done, detail: detail)).utf8))
        } else {
            guard now.timeIntervalSince(lastPrint) >= plainInterval || done >= Double(total) else { return }
            FileHandle.standardError.write(Data((line(done: done, detail: detail) + "\n").utf8))
        }
        lastPrint = now
    }

    /// Ends the in-place line (a newline on a terminal).
    public func finish() {
        guard !finished else { return }
        finished = true
        if isTerminal && reports { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
             : s >= 60 ? String(format: "%dm%02ds", s / 60, s % 60) : "\(s)s"
    }
}
