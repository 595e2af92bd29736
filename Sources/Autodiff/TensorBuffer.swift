import Foundation

/// Contiguous storage of a ``Tensor``: one heap block of `count` scalars.
///
/// Blocks of 4 KiB and more come from ``BufferPool`` and go back to it when the buffer
/// dies, so a training loop that repeats the same shapes stops calling `malloc` (and
/// stops touching fresh pages) after its first iteration; resident memory stays flat.
@usableFromInline
final class TensorBuffer<Scalar: TensorScalar> {
    @usableFromInline let count: Int
    @usableFromInline let base: UnsafeMutablePointer<Scalar>

    /// Uninitialised storage for `count` scalars (every kernel writes all of them).
    init(count: Int) {
        self.count = count
        let bytes = max(1, count) * MemoryLayout<Scalar>.stride
        base = BufferPool.shared.take(bytes: bytes).bindMemory(to: Scalar.self, capacity: max(1, count))
    }

    /// Storage filled with `value` (zeros by `memset`; other values by a loop specialised
    /// for Float and Double: the generic `initialize(repeating:)` copies element by element
    /// through the runtime).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    convenience init(count: Int, repeating value: Scalar) {
        self.init(count: count)
        if value == 0 {
            UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<Scalar>.stride)
        } else {
            for i in 0..<count { base[i] = value }
        }
    }

    deinit {
        BufferPool.shared.give(UnsafeMutableRawPointer(base), bytes: max(1, count) * MemoryLayout<Scalar>.stride)
    }

    var buffer: UnsafeMutableBufferPointer<Scalar> { UnsafeMutableBufferPointer(start: base, count: count) }
}

/// A size-keyed free list of raw blocks shared by all tensors (thread-safe).
///
/// Holds at most `capacityBytes` of idle memory; blocks beyond that are freed. The cap is
/// above the working set of a `fashion-mnist` iteration at batch 128 (≈ 1.5 GB): at 512 MiB
/// the blocks beyond it went back to malloc and came back as fresh pages every iteration
/// (twice the page faults, a higher peak RSS from fragmentation). Runs drain the pool
/// after every JKO step (``TensorMemory/releaseIdle()``).
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()

    /// Blocks smaller than this bypass the pool (glibc's small-block bins are fast).
    let minimumPooledBytes = 4096
    let capacityBytes = 2 << 30
    private var idle: [Int: [UnsafeMutableRawPointer]] = [:]
    private var idleBytes = 0
    private let lock = NSLock()

    func take(bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= minimumPooledBytes {
            lock.lock()
            if let block = idle[bytes]?.popLast() {
                idleBytes -= bytes
                lock.unlock()
                return block
            }
            lock.unlock()
        }
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    /// Bytes of the idle blocks.
    var idleByteCount: Int {
        lock.lock(); defer { lock.unlock() }
        return idleBytes
    }

    /// Frees every idle block.
    func drain() {
        lock.lock()
        let blocks = idle.values.flatMap { $0 }
        idle.removeAll()
        idleBytes = 0
        lock.unlock()
        for block in blocks { block.deallocate() }
    }

    func give(_ block: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= minimumPooledBytes {
            lock.lock()
            if idleBytes + bytes <= capacityBytes {
                idle[bytes, default: []].append(block)
                idleBytes += bytes
                lock.unlock()
                return
            }
            lock.unlock()
        }
        block.deallocate()
    }
}
