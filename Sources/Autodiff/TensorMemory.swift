/// Memory held by the engine beyond live tensors: the idle blocks of the buffer pool
/// (``BufferPool``, up to 2 GiB), kept so that a training loop that repeats its shapes
/// stops allocating.
///
/// A run calls ``releaseIdle()`` at the end of every step: the step's evaluation passes
/// (10⁵-sample fits, large W₂ problems) would otherwise leave their high-water mark pooled
/// into the next step's training, and resident memory would measure the largest pass so
/// far rather than what the run holds.
public enum TensorMemory {
    /// Bytes of idle pooled blocks.
    public static var idleBytes: Int { BufferPool.shared.idleByteCount }

    /// Frees every idle pooled block and returns free heap pages to the system
    /// (glibc `malloc_trim`). Live tensors are untouched; the next pass allocates afresh.
    public static func releaseIdle() {
        BufferPool.shared.drain()
        _ = mallocTrim(0)
    }
}

@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
