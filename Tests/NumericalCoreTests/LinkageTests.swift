import NumericalCore
import XCTest
import _TestSupport

final class LinkageTests: XCTestCase {
    /// GSL's CBLAS calls resolve to OpenBLAS, not to libgslcblas.
    func testGSLBLASCallsBindToOpenBLAS() throws {
        XCTAssertTrue(LinkedLibraries.resolves("cblas_dgemm", to: "libopenblas.so.0"))
        XCTAssertFalse(LinkedLibraries.resolves("cblas_dgemm", to: "libgslcblas.so.0"))
        // And GSL's own dgemm entry point computes the same product as ours.
        var rng = RandomGenerator(seed: 5)
        let n = 17
        let a = (0..<(n * n)).map { _ in rng.normal() }, b = (0..<(n * n)).map { _ in rng.normal() }
        let ours = Matrix(rows: n, columns: n, elements: a) * Matrix(rows: n, columns: n, elements: b)
        assertClose(LinkedLibraries.gslMatrixProduct(a, b, n: n), ours.elements, atol: 1e-12)
    }

    func testRandomGeneratorIsReproducibleAndUniform() {
        var a = RandomGenerator(seed: 11), b = RandomGenerator(seed: 11)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        var rng = RandomGenerator(seed: 12)
        let n = 100_000
        let u = (0..<n).map { _ in rng.uniform() }
        let mean = u.reduce(0, +) / Double(n)
        assertClose(mean, 0.5, atol: 5 * (1.0 / 12 / Double(n)).squareRoot())
        let z = (0..<n).map { _ in rng.normal() }
        let zm = z.reduce(0, +) / Double(n)
        let zv = z.reduce(0) { $0 + ($1 - zm) * ($1 - zm) } / Double(n - 1)
        assertClose(zm, 0, atol: 5 / Double(n).squareRoot())
        assertClose(zv, 1, atol: 5 * (2.0 / Double(n)).squareRoot())
    }

    /// A snapshot taken mid-stream (with a cached normal deviate) continues the stream bit
    /// for bit; malformed snapshots are refused.
    func testRandomGeneratorSnapshotContinuesTheStream() {
        var rng = RandomGenerator(seed: 0xDEAD_BEEF_0123_4567)
        _ = rng.normal()  // leaves the polar method's second deviate cached
        let snapshot = rng.snapshot
        XCTAssertEqual(snapshot.count, RandomGenerator.snapshotCount)
        XCTAssertEqual(snapshot[10], 1)
        guard var copy = RandomGenerator(snapshot: snapshot) else { return XCTFail("a valid snapshot was refused") }
        XCTAssertEqual(copy.seed, rng.seed)
        XCTAssertEqual((0..<7).map { _ in copy.normal().bitPattern }, (0..<7).map { _ in rng.normal().bitPattern })
        XCTAssertEqual((0..<5).map { _ in copy.next() }, (0..<5).map { _ in rng.next() })
        XCTAssertNil(RandomGenerator(snapshot: Array(snapshot.dropLast())))
        var broken = snapshot
        broken[3] = 0.5
        XCTAssertNil(RandomGenerator(snapshot: broken))
        broken = snapshot
        broken[10] = 2
        XCTAssertNil(RandomGenerator(snapshot: broken))
    }

    func testQuadratureAndODEAgainstClosedForms() throws {
        // ∫₀^∞ e^{−x²} dx = √π / 2.
        assertClose(try Quadrature().integrate(from: 0, to: .infinity) { exp(-$0 * $0) }.value, Double.pi.squareRoot() / 2, atol: 1e-10)
        // y' = −2y, y(0) = 1 → y(1) = e^{−2}.
        let y = try ODEIntegrator().integrate(from: 0, to: 1, initial: [1]) { _, y, dy in dy[0] = -2 * y[0] }
        assertClose(y[0], exp(-2), rtol: 1e-10)
    }
}
