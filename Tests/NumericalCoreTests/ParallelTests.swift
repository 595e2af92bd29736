import NumericalCore
import XCTest

/// Chunked loops, shard regions and their nesting rules.
final class ParallelTests: XCTestCase {
    func testShardRangesCoverTheIndicesOnceInOrder() {
        for (count, shards) in [(10, 3), (7, 7), (3, 5), (400, 2), (1, 2)] {
            let ranges = Parallel.shardRanges(count: count, shards: shards)
            XCTAssertEqual(ranges.first?.lowerBound, 0)
            XCTAssertEqual(ranges.last?.upperBound, count)
            for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
            XCTAssertEqual(ranges.count, min(count, shards))
            XCTAssertLessThanOrEqual(ranges.map(\.count).max()! - ranges.map(\.count).min()!, 1)
        }
        XCTAssertEqual(Parallel.shardRanges(count: 10, shards: 3), [0..<4, 4..<7, 7..<10])
    }

    /// Shards run inside a region: nested loops run inline, BLAS runs one thread per
    /// caller, and the previous BLAS thread count comes back afterwards.
    func testShardsReturnResultsInOrderAndRunNestedLoopsInline() {
        let saved = BLAS.threadCount
        BLAS.threadCount = 2
        defer { BLAS.threadCount = saved }
        XCTAssertFalse(Parallel.isInsideRegion)
        let results = Parallel.shards(count: 1_000_000, shards: 4) { shard, range -> (Int, Int, Bool, Int) in
            var total = 0
            let lock = NSLock()
            Parallel.forEachChunk(count: range.count, minimumChunk: 1) { r in lock.lock(); total += r.count; lock.unlock() }
            return (shard, total, Parallel.isInsideRegion, Parallel.coreCount > 1 ? BLAS.threadCount : 1)
        }
        XCTAssertEqual(results.map(\.0), [0, 1, 2, 3])
        XCTAssertEqual(results.map(\.1), [250_000, 250_000, 250_000, 250_000])
        if Parallel.coreCount > 1 {
            XCTAssertEqual(results.map(\.2), [true, true, true, true])
            XCTAssertEqual(results.map(\.3), [1, 1, 1, 1])
        }
        XCTAssertFalse(Parallel.isInsideRegion)
        XCTAssertEqual(BLAS.threadCount, 2)
        // A parallel sum gives the same value as the serial one (fixed chunking).
        let s = Parallel.sum(count: 100_000, minimumChunk: 1000) { r in r.reduce(0.0) { $0 + Double($1) } }
        XCTAssertEqual(s, 4_999_950_000)
    }
}
