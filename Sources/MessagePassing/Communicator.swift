import Foundation
#if canImport(CMPI)
import CMPI
#endif

/// The processes of a data-parallel job and every message between them: the only file of
/// JKOKit that calls MPI (Open MPI 4, Debian `libopenmpi-dev`, through the `CMPI` shim).
///
/// Under `mpirun -np P jko …` each process is one *rank* r ∈ {0, …, P − 1} of the world
/// communicator; ``start()`` initialises MPI with `MPI_Init_thread` at the level the
/// engine needs and checks what the library provides. The engine needs **FUNNELED**: its
/// worker threads (``DataParallel`` shards, OpenBLAS) never call MPI; every call below is
/// made by the thread that called ``start()``, after the parallel work has joined (each
/// call checks this). Started without `mpirun` (or built without Open MPI: `JKO_MPI=0`),
/// the process is ``single``, rank 0 of 1, and every collective is the identity, so the
/// single-process tool needs no MPI at all.
///
/// Collectives (every rank must make the same calls in the same order, or the job hangs):
/// - ``allReduceSum(_:)`` in place on a flat `[Float]` / `[Double]` buffer of n values
///   (`MPI_Allreduce` with `MPI_IN_PLACE`; ring or tree inside Open MPI: about
///   2(P − 1)/P · 4n bytes sent per rank for Float), ``allReduceAverage(_:)`` (sum / P),
///   ``allReduceMaximum(_:)``;
/// - ``broadcast(_:root:)`` of a buffer whose length may differ on the root (the count is
///   sent first), and of one `Int`;
/// - ``gather(_:root:)`` (root gets every rank's buffer concatenated in rank order, others
///   get `[]`) and ``allGather(_:)`` (everyone gets it), with per-rank lengths;
/// - ``barrier()``.
///
/// Failure: ``fail(_:code:)`` prints the message with the rank and calls `MPI_Abort`, which
/// ends every rank of the job with that exit code (no rank waits forever for a rank that
/// has stopped); in a single process it prints and exits.
///
/// ``statistics`` counts the all-reduce calls, bytes and wall time of this rank (for
/// `jko bench scaling`).
public final class Communicator: @unchecked Sendable {
    /// r, this process's rank (0 is the root, the only one that writes files).
    public let rank: Int
    /// P, the number of ranks.
    public let size: Int
    /// Whether collectives go through MPI (false: the single process).
    public let usesMPI: Bool
    /// The thread that initialised MPI (FUNNELED: the only one allowed to call it).
    private let owner: pthread_t?

    /// All-reduce calls, bytes (values × value size, per call as passed by this rank) and
    /// seconds spent in them by this rank.
    public struct Statistics: Sendable {
        public var allReduceCalls = 0
        public var allReduceBytes = 0
        public var allReduceSeconds = 0.0
    }

    public private(set) var statistics = Statistics()

    private init(rank: Int, size: Int, usesMPI: Bool, owner: pthread_t?) {
        self.rank = rank
        self.size = size
        self.usesMPI = usesMPI
        self.owner = owner
    }

    /// Rank 0 of 1, no MPI.
    public static let single = Communicator(rank: 0, size: 1, usesMPI: false, owner: nil)

    /// The job's communicator, set once by ``start()`` (``single`` before and without it).
    public static var world: Communicator {
        worldLock.lock(); defer { worldLock.unlock() }
        return storedWorld
    }
    nonisolated(unsafe) private static var storedWorld = Communicator.single
    private static let worldLock = NSLock()

    /// True on rank 0.
    public var isRoot: Bool { rank == 0 }

    /// This rank's contiguous share of `0..<count`: the ranks' shares cover it in rank order,
    /// the first `count % P` one longer (as `Parallel.shardRanges`); empty when count < P
    /// for the last ranks.
    public func slice(of count: Int) -> Range<Int> {
        let base = count / size, extra = count % size
        let lower = rank * base + min(rank, extra)
        return lower..<(lower + base + (rank < extra ? 1 : 0))
    }

    /// Whether this binary was built with Open MPI (`JKO_MPI=1`, or found by Package.swift).
    public static var isAvailable: Bool {
        #if canImport(CMPI)
        return true
        #else
        return false
        #endif
    }

    /// P as told by the launcher's environment (`mpirun` sets `OMPI_COMM_WORLD_SIZE`,
    /// PMIx launchers `PMIX_RANK` with the size unknown here: 0), or nil outside any launcher.
    public static var launcherSize: Int? {
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["OMPI_COMM_WORLD_SIZE"] { return Int(text) ?? 0 }
        if environment["PMIX_RANK"] != nil || environment["PMI_RANK"] != nil { return 0 }
        return nil
    }

    /// Why a job could not start (one sentence).
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Initialises MPI when this process was started by an MPI launcher, and makes the
    /// result ``world``; otherwise ``world`` stays ``single``. Call once, from the main
    /// thread, before any other work. Throws when launched as one of several ranks by a
    /// binary built without Open MPI (every rank would run the whole job alone), or when the
    /// library cannot provide the FUNNELED threading level.
    @discardableResult
    public static func start() throws -> Communicator {
        guard let launched = launcherSize else { return world }
        _ = launched
        #if canImport(CMPI)
        var provided: Int32 = 0
        let required = Int32(MPI_THREAD_FUNNELED)
        guard MPI_Init_thread(nil, nil, required, &provided) == jko_mpi_success() else {
            throw StartError(description: "MPI_Init_thread failed; check the mpirun line and the Open MPI installation (libopenmpi-dev, openmpi-bin)")
        }
        guard provided >= required else {
            MPI_Abort(jko_mpi_comm_world(), 1)
            throw StartError(description: "this Open MPI provides thread level \(provided), below MPI_THREAD_FUNNELED (\(required)) that the engine needs")
        }
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(jko_mpi_comm_world(), &rank)
        MPI_Comm_size(jko_mpi_comm_world(), &size)
        let communicator = Communicator(rank: Int(rank), size: Int(size), usesMPI: true, owner: pthread_self())
        worldLock.lock(); storedWorld = communicator; worldLock.unlock()
        return communicator
        #else
        if launched == 1 { return world }
        throw StartError(description: "this jko was built without Open MPI, so under mpirun every rank would run the whole job alone; install libopenmpi-dev and rebuild with make (JKO_MPI=1), or run jko without mpirun")
        #endif
    }

    /// Ends MPI (`MPI_Finalize`) after a successful job; a no-op for ``single``.
    public func finish() {
        guard usesMPI else { return }
        checkThread()
        #if canImport(CMPI)
        MPI_Finalize()
        #endif
    }

    /// Prints `message` on standard error (prefixed with the rank when P > 1) and ends the
    /// whole job with exit code `code`: `MPI_Abort` on the world communicator, so every rank
    /// stops within moments; `exit(code)` in a single process.
    public func fail(_ message: String, code: Int32 = 1) -> Never {
        let prefix = size > 1 ? "rank \(rank) of \(size): " : ""
        FileHandle.standardError.write(Data((prefix + message + "\n").utf8))
        #if canImport(CMPI)
        if usesMPI { MPI_Abort(jko_mpi_comm_world(), code) }
        #endif
        exit(code)
    }

    /// Waits until every rank has reached this call.
    public func barrier() {
        guard usesMPI else { return }
        checkThread()
        #if canImport(CMPI)
        check(MPI_Barrier(jko_mpi_comm_world()), "MPI_Barrier")
        #endif
    }

    /// values ← Σ over ranks of values, elementwise and in place (every rank passes the same
    /// count n and gets the same sums).
    public func allReduceSum<Scalar: MessageScalar>(_ values: inout [Scalar]) {
        allReduce(&values, maximum: false)
    }

    /// values ← (1/P) Σ over ranks of values.
    public func allReduceAverage<Scalar: MessageScalar & BinaryFloatingPoint>(_ values: inout [Scalar]) {
        allReduce(&values, maximum: false)
        guard size > 1 else { return }
        let scale = 1 / Scalar(size)
        for i in values.indices { values[i] *= scale }
    }

    /// values ← elementwise maximum over ranks.
    public func allReduceMaximum<Scalar: MessageScalar>(_ values: inout [Scalar]) {
        allReduce(&values, maximum: true)
    }

    private func allReduce<Scalar: MessageScalar>(_ values: inout [Scalar], maximum: Bool) {
        guard usesMPI, size > 1 else { return }
        checkThread()
        let started = DispatchTime.now().uptimeNanoseconds
        #if canImport(CMPI)
        let count = Self.count(values.count)
        values.withUnsafeMutableBytes { buffer in
            check(MPI_Allreduce(jko_mpi_in_place(), buffer.baseAddress, count, Scalar.messageKind.datatype,
                                maximum ? jko_mpi_max() : jko_mpi_sum(), jko_mpi_comm_world()), "MPI_Allreduce")
        }
        #endif
        statistics.allReduceCalls += 1
        statistics.allReduceBytes += values.count * MemoryLayout<Scalar>.stride
        statistics.allReduceSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9
    }

    /// Makes `values` on every rank equal to the root's (its length included).
    public func broadcast<Scalar: MessageScalar>(_ values: inout [Scalar], root: Int = 0) {
        guard usesMPI, size > 1 else { return }
        checkThread()
        let count = broadcast(values.count, root: root)
        if rank != root { values = [Scalar](repeating: Scalar.zero, count: count) }
        #if canImport(CMPI)
        values.withUnsafeMutableBytes { buffer in
            check(MPI_Bcast(buffer.baseAddress, Self.count(count), Scalar.messageKind.datatype, Int32(root), jko_mpi_comm_world()), "MPI_Bcast")
        }
        #endif
    }

    /// The root's `value` on every rank.
    public func broadcast(_ value: Int, root: Int = 0) -> Int {
        guard usesMPI, size > 1 else { return value }
        var buffer = [Int64(value)]
        checkThread()
        #if canImport(CMPI)
        buffer.withUnsafeMutableBytes { bytes in
            check(MPI_Bcast(bytes.baseAddress, 1, jko_mpi_int64(), Int32(root), jko_mpi_comm_world()), "MPI_Bcast")
        }
        #endif
        return Int(buffer[0])
    }

    /// Every rank's `values` concatenated in rank order, on every rank (lengths may differ).
    public func allGather<Scalar: MessageScalar>(_ values: [Scalar]) -> [Scalar] {
        guard usesMPI, size > 1 else { return values }
        checkThread()
        let counts = allCounts(values.count)
        let offsets = Self.offsets(counts)
        var out = [Scalar](repeating: Scalar.zero, count: Int(counts.reduce(0, +)))
        #if canImport(CMPI)
        values.withUnsafeBytes { send in
            out.withUnsafeMutableBytes { receive in
                check(MPI_Allgatherv(send.baseAddress, Self.count(values.count), Scalar.messageKind.datatype,
                                     receive.baseAddress, counts, offsets, Scalar.messageKind.datatype, jko_mpi_comm_world()), "MPI_Allgatherv")
            }
        }
        #endif
        return out
    }

    /// On the root: every rank's `values` concatenated in rank order; elsewhere `[]`.
    public func gather<Scalar: MessageScalar>(_ values: [Scalar], root: Int = 0) -> [Scalar] {
        guard usesMPI, size > 1 else { return values }
        checkThread()
        let counts = allCounts(values.count)
        let offsets = Self.offsets(counts)
        var out = [Scalar](repeating: Scalar.zero, count: rank == root ? Int(counts.reduce(0, +)) : 0)
        #if canImport(CMPI)
        values.withUnsafeBytes { send in
            out.withUnsafeMutableBytes { receive in
                check(MPI_Gatherv(send.baseAddress, Self.count(values.count), Scalar.messageKind.datatype,
                                  receive.baseAddress, counts, offsets, Scalar.messageKind.datatype, Int32(root), jko_mpi_comm_world()), "MPI_Gatherv")
            }
        }
        #endif
        return out
    }

    /// Every rank's count (MPI counts are 32-bit).
    private func allCounts(_ count: Int) -> [Int32] {
        var counts = [Int32](repeating: 0, count: size)
        #if canImport(CMPI)
        var mine = Self.count(count)
        counts.withUnsafeMutableBytes { receive in
            check(MPI_Allgather(&mine, 1, jko_mpi_int32(), receive.baseAddress, 1, jko_mpi_int32(), jko_mpi_comm_world()), "MPI_Allgather")
        }
        #endif
        return counts
    }

    private static func offsets(_ counts: [Int32]) -> [Int32] {
        var offsets = [Int32](repeating: 0, count: counts.count)
        for i in counts.indices.dropFirst() { offsets[i] = offsets[i - 1] + counts[i - 1] }
        return offsets
    }

    private static func count(_ n: Int) -> Int32 {
        precondition(n <= Int(Int32.max), "one MPI message holds at most \(Int32.max) values, not \(n)")
        return Int32(n)
    }

    /// FUNNELED: only the thread that initialised MPI may call it.
    private func checkThread() {
        if let owner { precondition(pthread_equal(owner, pthread_self()) != 0, "MPI called from a thread other than the one that started it (FUNNELED)") }
    }

    private func check(_ code: Int32, _ call: String) {
        #if canImport(CMPI)
        if code != jko_mpi_success() { fail("\(call) failed with MPI error \(code)") }
        #endif
    }
}

/// A value type a ``Communicator`` sends: Float, Double, Int64, UInt8.
public protocol MessageScalar {
    static var zero: Self { get }
    static var messageKind: MessageKind { get }
}

/// The MPI datatype of a ``MessageScalar``.
public enum MessageKind: Sendable {
    case byte, float, double, int64

    #if canImport(CMPI)
    var datatype: MPI_Datatype {
        switch self {
        case .byte: return jko_mpi_byte()
        case .float: return jko_mpi_float()
        case .double: return jko_mpi_double()
        case .int64: return jko_mpi_int64()
        }
    }
    #endif
}

extension Float: MessageScalar { public static var messageKind: MessageKind { .float } }
extension Double: MessageScalar { public static var messageKind: MessageKind { .double } }
extension Int64: MessageScalar { public static var messageKind: MessageKind { .int64 } }
extension UInt8: MessageScalar { public static var messageKind: MessageKind { .byte } }
