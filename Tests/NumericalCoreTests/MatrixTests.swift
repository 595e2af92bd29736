import NumericalCore
import XCTest
import _TestSupport

final class MatrixTests: XCTestCase {
    func testProductMatchesHandComputation() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        assertClose(a * b, Matrix([[58, 64], [139, 154]]), atol: 1e-12)
        assertClose(a * [1, 0, -1], [-2, -2], atol: 1e-12)
    }

    func testEigenAndMatrixFunctions() throws {
        let s = Matrix([[2, 1], [1, 2]])
        let eigen = try s.symmetricEigen()
        assertClose(eigen.values, [1, 3], atol: 1e-12)
        let root = try s.symmetricSquareRoot()
        assertClose(root * root, s, atol: 1e-12)
        assertClose(try s.inverse() * s, Matrix.identity(2), atol: 1e-12)
        assertClose(try s.logDeterminantSPD(), log(3), atol: 1e-12)
        XCTAssertThrowsError(try Matrix([[1, 2], [2, 1]]).cholesky())
    }
}
