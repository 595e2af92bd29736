@testable import Autodiff
import XCTest

/// The pool keeps the blocks of dead tensors for reuse, and ``TensorMemory/releaseIdle()``
/// frees them.
final class TensorMemoryTests: XCTestCase {
    func testReleaseIdleEmptiesThePool() {
        do {
            let a = Tensor<Float>.zeros([1024, 64])   // 256 KiB: pooled when it dies
            XCTAssertEqual(a.scalarCount, 65_536)
        }
        XCTAssertGreaterThanOrEqual(TensorMemory.idleBytes, 65_536 * 4)
        TensorMemory.releaseIdle()
        XCTAssertEqual(TensorMemory.idleBytes, 0)
        // The pool still works afterwards.
        let b = Tensor<Float>(repeating: 2, shape: [1024, 64])
        XCTAssertEqual(b.scalars[65_535], 2)
    }
}
