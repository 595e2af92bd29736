import Dispatch
import Foundation

/// Parallel loops over index ranges on all cores (`DispatchQueue.concurrentPerform`).
///
/// Work is cut into contiguous chunks of at least `minimumChunk` indices; small loops run
/// inline on the calling thread, so callers need not special-case them.
///
/// **Nesting.** A thread already running a chunk or a shard of a parallel region runs any
/// parallel loop it meets inline (serially): the outer region already occupies every core,
/// and splitting again would only add hand-offs.
public enum Parallel {
    /// The cores this process may run on (2 on the reference machine): the active
    /// processor count, or fewer when the process is bound to a subset of them (`taskset`,
    /// a batch scheduler, or `mpirun`, which binds each of 2 ranks to one core by default),
    /// so that ranks sharing a node do not start more threads than they have cores.
    public static let coreCount = min(ProcessInfo.processInfo.activeProcessorCount, allowedCoreCount ?? .max)

    /// The number of CPUs in this process's affinity mask (Linux `Cpus_allowed_list` of
    /// /proc/self/status, e.g. "0-3,6"), nil where it cannot be read.
    static var allowedCoreCount: Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        var count = 0
        for part in line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 1 { count += 1 } else if bounds.count == 2, bounds[1] >= bounds[0] { count += bounds[1] - bounds[0] + 1 } else { return nil }
        }
        return count > 0 ? count : nil
    }

    /// Calls `body` once per chunk with a half-open range; chunks cover `0..<count` exactly.
    public static func forEachChunk(count: Int, minimumChunk: Int = 4096, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(max(1, count / max(1, minimumChunk)), coreCount * 4)
        if chunks <= 1 || coreCount == 1 || isInsideRegion { body(0..<count); return }
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * size, hi = min(count, lo + size)
            if lo < hi { insideRegion { body(lo..<hi) } }
        }
    }

    /// Σ over chunks of `body(range)`, with the partial sums added in chunk order
    /// (deterministic for a fixed chunking).
    public static func sum(count: Int, minimumChunk: Int = 4096, _ body: (Range<Int>) -> Double) -> Double {
        guard count > 0 else { return 0 }
        let chunks = min(max(1, count / max(1, minimumChunk)), coreCount * 4)
        if chunks <= 1 || coreCount == 1 || isInsideRegion { return body(0..<count) }
        let size = (count + chunks - 1) / chunks
        var partial = [Double](repeating: 0, count: chunks)
        partial.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * size, hi = min(count, lo + size)
                base[c] = lo < hi ? insideRegion { body(lo..<hi) } : 0
            }
        }
        return partial.reduce(0, +)
    }

    /// The contiguous ranges that split `0..<count` into `shards` near-equal parts
    /// (the first `count % shards` parts one longer); empty parts are dropped.
    public static func shardRanges(count: Int, shards: Int) -> [Range<Int>] {
        let parts = max(1, min(shards, count))
        let base = count / parts, extra = count % parts
        var ranges = [Range<Int>](), lower = 0
        for p in 0..<parts {
            let upper = lower + base + (p < extra ? 1 : 0)
            if upper > lower { ranges.append(lower..<upper) }
            lower = upper
        }
        return ranges
    }

    /// Runs `body(shard, range)` for the shards of `0..<count`, one per core, all at once:
    /// data parallelism for work that is too fine-grained to split inside (a network pass
    /// over a batch of a few hundred rows, whose matrix products and elementwise loops are
    /// each a few tens of microseconds).
    ///
    /// Inside the region every nested parallel loop runs inline and OpenBLAS runs with one
    /// thread per caller, so each core works through its own shard without hand-offs; the
    /// previous BLAS thread count is restored afterwards. Called from inside another
    /// region, or with one core, the shards run one after another on the calling thread.
    /// Returns the shards' results in shard order.
    public static func shards<Result>(count: Int, shards: Int = coreCount,
                                      _ body: (_ shard: Int, _ range: Range<Int>) -> Result) -> [Result] {
        let ranges = shardRanges(count: count, shards: shards)
        if ranges.count <= 1 || coreCount == 1 || isInsideRegion {
            return ranges.enumerated().map { body($0.offset, $0.element) }
        }
        let savedThreads = BLAS.threadCount
        BLAS.threadCount = 1
        defer { BLAS.threadCount = savedThreads }
        var results = [Result?](repeating: nil, count: ranges.count)
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: ranges.count) { s in
                base[s] = insideRegion { body(s, ranges[s]) }
            }
        }
        return results.map { $0! }
    }

    // MARK: - Region marker (thread-local)

    private static let regionKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// True on a thread that is running a chunk or shard of a parallel region.
    public static var isInsideRegion: Bool { pthread_getspecific(regionKey) != nil }

    /// Runs `body` with this thread marked as inside a region (restoring the mark after).
    private static func insideRegion<R>(_ body: () -> R) -> R {
        let previous = pthread_getspecific(regionKey)
        pthread_setspecific(regionKey, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(regionKey, previous) }
        return body()
    }
}
