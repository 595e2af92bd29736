import Experiments
import XCTest

/// `jko bench engine --quick` runs end to end and reports its figures; the FLOP count of
/// the toy iteration is checked against a hand count.
final class EngineBenchmarkTests: XCTestCase {
    func testQuickEngineBenchmarkReportsEveryFigure() throws {
        let report = try EngineBenchmark.run(quick: true)
        XCTAssertEqual(report.suite, "engine")
        for key in ["toy_iterations_per_second", "toy_achieved_gflops", "sgemm_peak_gflops", "conv_ms_per_step",
                    "rss_mib_after_20", "rss_mib_after_60"] {
            let value = try XCTUnwrap(report.value(key), key)
            XCTAssertTrue(value.isFinite && value > 0, "\(key) = \(value)")
        }
        XCTAssertNotNil(report.value("rss_growth_percent"))
        // Hand count per sample (Linear in → out: 2·in·out + out FLOPs):
        // T = input 640 + 9 hidden × 32 896 + noise (640 + 32 896) + head (32 896 + 514) + noise add 128 = 363 778;
        // v = 640 + 9 × 32 896 + head (32 896 + 257) = 329 857; iteration = 5T + 8v = 4 457 746.
        XCTAssertEqual(try XCTUnwrap(report.value("toy_gflop_per_iteration")), 4_457_746 * 100 * 1e-9, accuracy: 1e-12)
        XCTAssertTrue(report.json.contains("\"toy_iterations_per_second\""))
    }
}
