import NumericalCore

/// Seeded weight initialisers, with PyTorch's conventions for fans and gains.
///
/// For a weight of shape `[out, in, k₁, k₂, …]` (Linear `[out, in]`, Conv2d
/// `[out, in, kh, kw]`), fan_in = in·Πkᵢ and fan_out = out·Πkᵢ (`fans(ofWeightShape:)`).
///
/// | case            | distribution                               | PyTorch                              |
/// |-----------------|--------------------------------------------|--------------------------------------|
/// | kaimingUniform  | U(−b, b), b = gain·√(3/fan_in)             | `kaiming_uniform_` (gain √2: ReLU)   |
/// | kaimingNormal   | N(0, σ²), σ = gain/√fan_in                 | `kaiming_normal_`                    |
/// | xavierUniform   | U(−b, b), b = gain·√(6/(fan_in + fan_out)) | `xavier_uniform_`                    |
/// | xavierNormal    | N(0, σ²), σ = gain·√(2/(fan_in + fan_out)) | `xavier_normal_`                     |
/// | linearDefault   | U(−b, b), b = 1/√fan_in                    | `nn.Linear`/`nn.Conv2d` weight *and* bias |
///
/// (`linearDefault` is PyTorch's `kaiming_uniform_(a = √5)`, whose gain √(1/3) makes
/// b = 1/√fan_in; the bias uses the weight's fan_in.) Values are drawn in row-major order
/// from the given generator, so a seed fixes them exactly.
public enum Initializer: Sendable, Equatable {
    case zeros
    case constant(Double)
    /// U(−bound, bound).
    case uniform(bound: Double)
    /// N(0, standardDeviation²).
    case normal(standardDeviation: Double)
    case kaimingUniform(gain: Double = 2.0.squareRoot())
    case kaimingNormal(gain: Double = 2.0.squareRoot())
    case xavierUniform(gain: Double = 1)
    case xavierNormal(gain: Double = 1)
    case linearDefault

    /// (fan_in, fan_out) of a weight of the given shape (rank ≥ 2; rank 1 gives (n, n)).
    public static func fans(ofWeightShape shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(!shape.isEmpty, "a weight needs at least one dimension")
        if shape.count == 1 { return (shape[0], shape[0]) }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// `count` values drawn for a tensor whose fans are `fanIn`, `fanOut`.
    public func values<Scalar: BinaryFloatingPoint>(
        count: Int, fanIn: Int, fanOut: Int, generator: inout RandomGenerator
    ) -> [Scalar] {
        precondition(count >= 0 && fanIn > 0 && fanOut > 0, "initialiser needs positive fans")
        let fin = Double(fanIn), fout = Double(fanOut)
        switch self {
        case .zeros:
            return [Scalar](repeating: 0, count: count)
        case let .constant(c):
            return [Scalar](repeating: Scalar(c), count: count)
        case let .uniform(bound):
            return Self.uniform(count: count, bound: bound, generator: &generator)
        case let .normal(sigma):
            return Self.normal(count: count, standardDeviation: sigma, generator: &generator)
        case let .kaimingUniform(gain):
            return Self.uniform(count: count, bound: gain * (3 / fin).squareRoot(), generator: &generator)
        case let .kaimingNormal(gain):
            return Self.normal(count: count, standardDeviation: gain / fin.squareRoot(), generator: &generator)
        case let .xavierUniform(gain):
            return Self.uniform(count: count, bound: gain * (6 / (fin + fout)).squareRoot(), generator: &generator)
        case let .xavierNormal(gain):
            return Self.normal(count: count, standardDeviation: gain * (2 / (fin + fout)).squareRoot(), generator: &generator)
        case .linearDefault:
            return Self.uniform(count: count, bound: 1 / fin.squareRoot(), generator: &generator)
        }
    }

    /// Values for a weight of shape `shape`, fans from the shape.
    public func values<Scalar: BinaryFloatingPoint>(shape: [Int], generator: inout RandomGenerator) -> [Scalar] {
        let (fanIn, fanOut) = Self.fans(ofWeightShape: shape)
        return values(count: shape.reduce(1, *), fanIn: fanIn, fanOut: fanOut, generator: &generator)
    }

    private static func uniform<Scalar: BinaryFloatingPoint>(count: Int, bound: Double, generator: inout RandomGenerator) -> [Scalar] {
        var out = [Scalar](); out.reserveCapacity(count)
        for _ in 0..<count { out.append(Scalar(bound * (2 * generator.uniform() - 1))) }
        return out
    }

    private static func normal<Scalar: BinaryFloatingPoint>(count: Int, standardDeviation: Double, generator: inout RandomGenerator) -> [Scalar] {
        var out = [Scalar](); out.reserveCapacity(count)
        for _ in 0..<count { out.append(Scalar(standardDeviation * generator.normal())) }
        return out
    }
}
