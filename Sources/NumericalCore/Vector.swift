/// Vector helpers used throughout (plain arrays of Doubles).
public enum Vector {
    public static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "dot: length mismatch \(a.count) vs \(b.count)")
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }
    public static func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }
    public static func subtract(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 - $1 } }
    public static func scale(_ a: [Double], _ s: Double) -> [Double] { a.map { $0 * s } }
    public static func squaredNorm(_ a: [Double]) -> Double { dot(a, a) }
    public static func norm(_ a: [Double]) -> Double { squaredNorm(a).squareRoot() }
}
