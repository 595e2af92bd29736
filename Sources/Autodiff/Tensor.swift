import NumericalCore

/// An n-dimensional array of `Scalar` with reverse-mode differentiation.
///
/// Storage is contiguous and row-major: element (i₀, …, i_{r−1}) of a tensor of shape
/// `[d₀, …, d_{r−1}]` sits at offset Σₖ iₖ·strideₖ with strideₖ = Π_{j>k} dⱼ. A rank-0
/// tensor (shape `[]`) holds one scalar, as a loss does.
///
/// Tensors are values: operations return new tensors and never change their operands.
/// Inside ``valueWithGradient(at:of:)`` every operation whose operands depend on the
/// differentiation inputs is recorded on a tape (invisible to model code), and the
/// backward sweep returns the gradients. Outside it, operations record nothing.
public struct Tensor<Scalar: TensorScalar>: CustomStringConvertible {
    /// Extent of each axis, outermost first.
    public let shape: [Int]
    @usableFromInline var storage: TensorBuffer<Scalar>
    /// Identity of the tape that recorded this value (0: not recorded) and its entry there.
    var tapeGeneration = 0
    var tapeIndex = -1

    /// Wraps storage whose element count matches `shape`.
    init(shape: [Int], storage: TensorBuffer<Scalar>) {
        assert(shape.reduce(1, *) == storage.count, "shape \(shape) does not match \(storage.count) scalars")
        self.shape = shape
        self.storage = storage
    }

    /// Uninitialised storage of the given shape, for kernels that write every element.
    init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorBuffer(count: shape.reduce(1, *)))
    }

    /// A tensor of the given shape from row-major `scalars` (count must be Π shape).
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative extent")
        precondition(shape.reduce(1, *) == scalars.count,
                     "Tensor of shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        let storage = TensorBuffer<Scalar>(count: scalars.count)
        scalars.withUnsafeBufferPointer { storage.base.initialize(from: $0.baseAddress!, count: scalars.count) }
        self.init(shape: shape, storage: storage)
    }

    /// A rank-0 tensor holding `value`.
    public init(_ value: Scalar) {
        self.init(shape: [], storage: TensorBuffer(count: 1, repeating: value))
    }

    /// A tensor of the given shape with every element equal to `value`.
    public init(repeating value: Scalar, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative extent")
        self.init(shape: shape, storage: TensorBuffer(count: shape.reduce(1, *), repeating: value))
    }

    /// All zeros, shape `shape`.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// All ones, shape `shape`.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// Number of elements, Π shape.
    public var scalarCount: Int { storage.count }

    /// A copy of the elements in row-major order.
    public var scalars: [Scalar] { Array(UnsafeBufferPointer(start: storage.base, count: storage.count)) }

    /// The single element of a tensor with one element (a loss).
    public var scalar: Scalar {
        precondition(scalarCount == 1, "scalar needs a one-element tensor, shape is \(shape)")
        return storage.base[0]
    }

    /// The elements converted to `Double`, row-major (for tests and reports).
    public var doubles: [Double] { (0..<scalarCount).map { Double(storage.base[$0]) } }

    /// Element at a full multi-index (slow; for tests and small reads).
    public subscript(_ index: Int...) -> Scalar {
        precondition(index.count == rank, "index \(index) has the wrong rank for shape \(shape)")
        var offset = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(index) out of range for shape \(shape)")
            offset = offset * shape[axis] + i
        }
        return storage.base[offset]
    }

    /// Read access to the contiguous row-major elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// In-place write access (optimisers, loaders). Copies the storage first if another
    /// tensor shares it. The tensor is detached from any tape: in-place writes are not
    /// differentiated.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = TensorBuffer<Scalar>(count: storage.count)
            copy.base.initialize(from: storage.base, count: storage.count)
            storage = copy
        }
        tapeGeneration = 0
        tapeIndex = -1
        var buffer = storage.buffer
        return try body(&buffer)
    }

    /// The same values, not recorded on any tape (PyTorch's `detach()`): gradients
    /// do not flow through the result.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// The same values converted to another scalar type (not differentiated).
    public func converted<Other: TensorScalar>(to _: Other.Type) -> Tensor<Other> {
        let result = Tensor<Other>(uninitializedShape: shape)
        for i in 0..<scalarCount { result.storage.base[i] = Other(storage.base[i]) }
        return result
    }

    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)[\(shown)\(scalarCount > 8 ? ", …" : "")]"
    }
}

/// Row-major strides of `shape`: strideₖ = Π_{j>k} shapeⱼ.
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}
