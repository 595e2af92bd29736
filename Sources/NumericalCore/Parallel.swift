import Dispatch
import Foundation

/// Parallel loops over index ranges on all cores (`DispatchQueue.concurrentPerform`).
///
/// Work is cut into contiguous chunks of at least `minimumChunk` indices; small loops run
/// inline on the calling thread, so callers need not special-case them.
public enum Parallel {
    /// Active processor count (2 on the reference machine).
    public static let coreCount = ProcessInfo.processInfo.activeProcessorCount

    /// Calls `body` once per chunk with a half-open range; chunks cover `0..<count` exactly.
    public static func forEachChunk(count: Int, minimumChunk: Int = 4096, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(max(1, count / max(1, minimumChunk)), coreCount * 4)
        if chunks <= 1 || coreCount == 1 { body(0..<count); return }
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * size, hi = min(count, lo + size)
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Σ over chunks of `body(range)`, with the partial sums added in chunk order
    /// (deterministic for a fixed chunking).
    public static func sum(count: Int, minimumChunk: Int = 4096, _ body: (Range<Int>) -> Double) -> Double {
        guard count > 0 else { return 0 }
        let chunks = min(max(1, count / max(1, minimumChunk)), coreCount * 4)
        if chunks <= 1 || coreCount == 1 { return body(0..<count) }
        let size = (count + chunks - 1) / chunks
        var partial = [Double](repeating: 0, count: chunks)
        partial.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * size, hi = min(count, lo + size)
                base[c] = lo < hi ? body(lo..<hi) : 0
            }
        }
        return partial.reduce(0, +)
    }
}
