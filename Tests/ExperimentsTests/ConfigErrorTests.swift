import Experiments
import XCTest

/// Malformed configs and overrides fail before any work with one exact sentence.
final class ConfigErrorTests: XCTestCase {
    func assertOverrideError(_ overrides: [String], preset: String = "ou-2d", _ expected: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ConfigLoader.resolve(preset, overrides: overrides), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testNonPositiveTimeStep() {
        assertOverrideError(["flow.time_step=-0.1"],
                            "config key 'flow.time_step' = -0.1 is not allowed: the time step must be a finite number > 0")
        assertOverrideError(["flow.time_step=0"],
                            "config key 'flow.time_step' = 0 is not allowed: the time step must be a finite number > 0")
    }

    func testUnknownKeyWithSuggestion() {
        assertOverrideError(["flow.timestep=0.1"],
                            "unknown config key 'flow.timestep'; did you mean 'flow.time_step'? run 'jko config show NAME' to see every key")
    }

    func testWrongTypes() {
        assertOverrideError(["flow.steps=ten"],
                            "config key 'flow.steps' expects an integer, but got \"ten\" (a string)")
        assertOverrideError(["flow.steps=2.5"],
                            "config key 'flow.steps' expects an integer, but got 2.5 (a number)")
        assertOverrideError(["target.mean=1.0"],
                            "config key 'target.mean' expects an array of finite numbers, but got 1.0 (a number)")
    }

    func testStepsOutOfRange() {
        assertOverrideError(["flow.steps=0"],
                            "config key 'flow.steps' = 0 is not allowed: the number of steps must be between 1 and 100000")
    }

    func testCovarianceNotPositiveDefinite() {
        assertOverrideError(["target.covariance=[[1.0, 2.0], [2.0, 1.0]]"],
                            "config key 'target.covariance' = [[1.0, 2.0], [2.0, 1.0]] is not allowed: the covariance must be symmetric positive definite (its smallest eigenvalue is -1)")
    }

    func testCovarianceNotSymmetric() {
        assertOverrideError(["target.covariance=[[1.0, 0.5], [0.0, 1.0]]"],
                            "config key 'target.covariance' = [[1.0, 0.5], [0.0, 1.0]] is not allowed: the covariance must be symmetric positive definite (it is not symmetric)")
    }

    func testCovarianceWrongShape() {
        assertOverrideError(["target.covariance=[[1.0]]"],
                            "config key 'target.covariance' = [[1.0]] is not allowed: it must be a 2×2 matrix to match the dimension of target.mean")
    }

    func testWeightsNotSummingToOne() {
        assertOverrideError(["start.weights=[0.5, 0.6]"], preset: "ou-mixture-2d",
                            "config key 'start.weights' = [0.5, 0.6] is not allowed: the weights must sum to 1 (they sum to 1.1)")
    }

    func testNegativeWeight() {
        assertOverrideError(["start.weights=[1.5, -0.5]"], preset: "ou-mixture-1d",
                            "config key 'start.weights' = [1.5, -0.5] is not allowed: weights must be non-negative (found -0.5)")
    }

    func testMeanOfWrongLength() {
        assertOverrideError(["start.means=[[0.0, 1.0, 2.0]]"],
                            "config key 'start.means' = [0.0, 1.0, 2.0] is not allowed: each mean must have length 2, the dimension of target.mean")
    }

    func testUnknownMethod() {
        assertOverrideError(["methods=[\"analytic\", \"magic\"]"],
                            "config key 'methods' = [\"analytic\", \"magic\"] is not allowed: \"magic\" is not a method; use any of \"analytic\", \"gaussian-jko\", \"particle-jko\", \"mesh-jko\", \"finite-volume\", \"grid-jko\", \"neural-sjko\", \"neural-chain\", \"classifier\"")
    }

    func testGaussianJKORefusesMixtureStart() {
        assertOverrideError(["methods=[\"analytic\", \"gaussian-jko\"]"], preset: "ou-mixture-1d",
                            "config key 'methods' = [\"analytic\", \"gaussian-jko\"] is not allowed: \"gaussian-jko\" needs a single-Gaussian start (start.weights = [1.0]); remove it for mixture starts")
    }

    func testMalformedOverrideAndUnknownPreset() {
        assertOverrideError(["flow.time_step"], "the override 'flow.time_step' is not of the form key=value, e.g. --set flow.time_step=0.1")
        XCTAssertThrowsError(try ConfigLoader.resolve("ou-3d")) { error in
            XCTAssertEqual("\(error)", "no preset or config file named 'ou-3d'; use one of \(Presets.names.joined(separator: ", ")) or a path to a .toml file")
        }
    }

    func testFileWithUnknownKeyAndSyntaxError() {
        XCTAssertThrowsError(try ConfigLoader.parse("[flow]\nstep_size = 0.1\n", source: "my.toml")) { error in
            XCTAssertEqual("\(error)", "unknown config key 'flow.step_size'; run 'jko config show NAME' to see every key")
        }
        XCTAssertThrowsError(try ConfigLoader.parse("[flow]\ntime_step = = 0.1\n", source: "my.toml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("my.toml, line 2: "), "\(error)")
        }
    }

    /// Every preset renders to TOML that parses back to the same config.
    func testPresetsRoundTripThroughTOML() throws {
        for preset in Presets.all {
            let text = ConfigLoader.render(preset.config, header: "test")
            let parsed = try ConfigLoader.parse(text)
            XCTAssertEqual(parsed, preset.config, preset.name)
            XCTAssertNoThrow(try parsed.validate(), preset.name)
        }
    }

    func testOverridesApply() throws {
        let config = try ConfigLoader.resolve("ou-1d", overrides: ["flow.time_step=0.1", "flow.steps=5", "name=custom", "seed=9"])
        XCTAssertEqual(config.flow.timeStep, 0.1)
        XCTAssertEqual(config.flow.steps, 5)
        XCTAssertEqual(config.name, "custom")
        XCTAssertEqual(config.seed, 9)
    }
}
