import Foundation
import NumericalCore

/// The record of one differentiable computation: a list of entries in the order the
/// operations ran, so reversing the list is a topological order for the backward sweep.
///
/// Each entry keeps the operation's result, the tape indices of its recorded operands
/// (−1 for a constant operand) and its pullback: a closure that maps the adjoint ḡ of the
/// result to the adjoints of the operands, written with ``Tensor`` operations. While the
/// tape records (``isRecording``), those operations are recorded too, so a backward sweep
/// run with recording on (a nested ``valueWithGradient(at:of:)``) yields gradients that
/// can themselves be differentiated. A first-order sweep turns recording off and costs
/// only the arithmetic.
///
/// A tape serves one thread (each thread has its own active tape); model code never sees it.
final class Tape<Scalar: TensorScalar> {
    /// Maps (ḡ, result, which operands need an adjoint) to the operands' adjoints.
    typealias Pullback = (_ adjoint: Tensor<Scalar>, _ result: Tensor<Scalar>, _ needs: [Bool]) -> [Tensor<Scalar>?]

    struct Entry {
        let result: Tensor<Scalar>
        let inputs: [Int]
        let pullback: Pullback?
    }

    /// Distinguishes tensors recorded here from tensors of earlier, finished tapes.
    let generation: Int
    private(set) var entries: [Entry] = []
    /// False during a first-order backward sweep: operations then record nothing.
    var isRecording = true

    init() {
        generation = TapeRegistry.nextGeneration()
        entries.reserveCapacity(1024)
    }

    /// The active tape of this scalar type, if it records.
    static var recording: Tape? {
        guard let tape = TapeRegistry.active as? Tape, tape.isRecording else { return nil }
        return tape
    }

    /// Appends an entry and returns `result` marked as recorded here.
    func append(_ result: Tensor<Scalar>, inputs: [Int], pullback: Pullback?) -> Tensor<Scalar> {
        var tracked = result.detached()
        tracked.tapeGeneration = generation
        tracked.tapeIndex = entries.count
        entries.append(Entry(result: tracked, inputs: inputs, pullback: pullback))
        return tracked
    }

    /// The tape index of `tensor`, or nil when it was not recorded on this tape.
    func index(of tensor: Tensor<Scalar>) -> Int? {
        tensor.tapeGeneration == generation ? tensor.tapeIndex : nil
    }

    /// Reverse sweep from the entry `output` (seeded with ones of its shape) down to the
    /// lowest of `targets`; returns the accumulated adjoint of each target (nil when the
    /// output does not depend on it).
    ///
    /// Only entries that depend on a target are pulled back, and a pullback is asked
    /// only for the operands that depend on one: a nested gradient with respect to the
    /// data computes no weight adjoints.
    ///
    /// With `createGraph`, the pullbacks record onto this tape, so the returned adjoints
    /// are recorded values; without it they are plain tensors.
    func adjoints(of output: Int, at targets: [Int], createGraph: Bool) -> [Tensor<Scalar>?] {
        guard let lowest = targets.min(), lowest <= output else { return targets.map { _ in nil } }
        var adjoint = [Tensor<Scalar>?](repeating: nil, count: output + 1)
        adjoint[output] = Tensor.ones(entries[output].result.shape)
        var kept = [Bool](repeating: false, count: output + 1)
        for t in targets where t <= output { kept[t] = true }
        // reaches[i]: entry i is a target or depends on one.
        var reaches = kept
        for i in lowest...output where !reaches[i] {
            reaches[i] = entries[i].inputs.contains { $0 >= lowest && reaches[$0] }
        }

        let wasRecording = isRecording
        isRecording = createGraph
        defer { isRecording = wasRecording }

        for i in stride(from: output, through: lowest, by: -1) {
            guard let ḡ = adjoint[i], let pullback = entries[i].pullback else { continue }
            if !kept[i] { adjoint[i] = nil }
            let entry = entries[i]
            let needs = entry.inputs.map { $0 >= lowest && reaches[$0] }
            guard needs.contains(true) else { continue }
            let operandAdjoints = pullback(ḡ, entry.result, needs)
            assert(operandAdjoints.count == entry.inputs.count, "pullback returned a wrong number of adjoints")
            for (k, input) in entry.inputs.enumerated() where needs[k] {
                guard let contribution = operandAdjoints[k] else { continue }
                precondition(contribution.shape == entries[input].result.shape,
                             "backward sweep: adjoint of shape \(contribution.shape) "
                             + "for a value of shape \(entries[input].result.shape)")
                accumulate(contribution, into: &adjoint[input], inPlace: !createGraph)
            }
        }
        return targets.map { $0 <= output ? adjoint[$0] : nil }
    }

    /// slot ← slot + contribution (the "+=" that makes a value used twice get both terms).
    private func accumulate(_ contribution: Tensor<Scalar>, into slot: inout Tensor<Scalar>?, inPlace: Bool) {
        guard var existing = slot else { slot = contribution; return }
        slot = nil
        if inPlace && isKnownUniquelyReferenced(&existing.storage) {
            addInPlace(existing.storage.base, contribution.storage.base, count: existing.scalarCount)
            slot = existing
        } else {
            slot = existing + contribution
        }
    }
}

/// The active tape of the calling thread (of any scalar type) and the generation counter.
///
/// Each thread has its own active tape (a pthread key), so separate threads may
/// differentiate separate computations at the same time.
enum TapeRegistry {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
    private static let counterLock = NSLock()
    nonisolated(unsafe) private static var counter = 0

    /// The calling thread's active tape (retained while set).
    static var active: AnyObject? {
        get { pthread_getspecific(key).map { Unmanaged<AnyObject>.fromOpaque($0).takeUnretainedValue() } }
        set {
            let old = pthread_getspecific(key)
            pthread_setspecific(key, newValue.map { Unmanaged.passRetained($0).toOpaque() })
            if let old { Unmanaged<AnyObject>.fromOpaque(old).release() }
        }
    }

    /// A generation number never handed out before (process-wide).
    static func nextGeneration() -> Int {
        counterLock.lock()
        defer { counterLock.unlock() }
        counter += 1
        return counter
    }
}

/// y ← y + x over `count` contiguous scalars.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func addInPlace<Scalar: TensorScalar>(_ y: UnsafeMutablePointer<Scalar>, _ x: UnsafePointer<Scalar>, count: Int) {
    Parallel.forEachChunk(count: count, minimumChunk: KernelChunk.cheap) { range in
        for i in range { y[i] += x[i] }
    }
}
