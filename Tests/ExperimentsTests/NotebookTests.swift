@testable import Experiments
import Foundation
import XCTest

/// `jko notebook`: the markdown model, the command-line words, the output comparison, and
/// check / run / verify through the real executable on small notebooks.
final class NotebookTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jko-notebook-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    static let sample = """
        # Title

        ```jko
        jko config list
        ```

        ```output
        old
        ```

        ```sh
        for h in 1 2; do jko run ou-2d; done
        ```

        ```jko
        jko run ou-1d \\
          --set flow.steps=1
        jko config show ou-2d
        ```
        ![energy](../figures/ou-2d-energy.png) *Regenerate: `jko figure ou-2d-energy`.*
        An example in code, not a figure: `![x](../figures/ID.png)`.

        """

    /// Parsing and writing back changes nothing; command blocks pair with the output block
    /// after them (blank lines between allowed); `sh` blocks are prose; continuation lines
    /// join; captions are found on the image's line.
    func testDocumentRoundTripsAndPairsOutputBlocks() throws {
        let document = try NotebookDocument(text: Self.sample)
        XCTAssertEqual(document.text, Self.sample)
        let blocks = try document.commandBlocks()
        XCTAssertEqual(blocks.count, 2)
        XCTAssertEqual(blocks[0].commands.map(\.arguments), [["config", "list"]])
        XCTAssertEqual(blocks[0].line, 3)
        XCTAssertNotNil(blocks[0].output)
        XCTAssertNil(blocks[1].output)
        XCTAssertEqual(blocks[1].commands.map(\.arguments), [["run", "ou-1d", "--set", "flow.steps=1"], ["config", "show", "ou-2d"]])
        XCTAssertEqual(blocks[1].commands.map(\.line), [16, 18])
        let figures = document.figures()
        XCTAssertEqual(figures.map(\.path), ["../figures/ou-2d-energy.png"])
        XCTAssertEqual(figures.first?.line, 20)
        XCTAssertTrue(figures[0].caption.contains("`jko figure ou-2d-energy`"))

        var edited = document
        edited.setOutput(of: blocks[1], to: ["new"])
        edited.setOutput(of: blocks[0], to: ["one", "two"])
        XCTAssertTrue(edited.text.contains("```output\none\ntwo\n```\n\n```sh"), edited.text)
        XCTAssertTrue(edited.text.contains("jko config show ou-2d\n```\n\n```output\nnew\n```\n![energy]"), edited.text)
        XCTAssertEqual(try NotebookDocument(text: edited.text).commandBlocks().compactMap(\.output).count, 2)
    }

    /// An output block after prose, an unclosed fence and a bad info string are errors naming the line.
    func testMalformedNotebooksNameTheLine() throws {
        XCTAssertThrowsError(try NotebookDocument(text: "text\n\n```output\n1\n```\n").commandBlocks()) {
            XCTAssertEqual($0 as? NotebookError, .orphanOutput(line: 3))
        }
        XCTAssertThrowsError(try NotebookDocument(text: "a\n```jko\njko config list\n")) {
            XCTAssertEqual($0 as? NotebookError, .unclosedFence(line: 2))
        }
        XCTAssertThrowsError(try NotebookDocument(text: "```jko\njko config list\n```\n```output mc\n```\n").commandBlocks()) {
            XCTAssertEqual($0 as? NotebookError, .badOutputInfo(line: 4, info: "output mc"))
        }
    }

    /// Words split like a shell (quotes, backslashes); shell operators and non-jko lines are refused.
    func testCommandWordsSplitLikeAShell() throws {
        XCTAssertEqual(try NotebookCommandLine.split(#"jko run x --set 'methods=["a","b"]' --set "name=a \"b\"" c\ d"#, line: 1),
                       ["jko", "run", "x", "--set", #"methods=["a","b"]"#, "--set", #"name=a "b""#, "c d"])
        XCTAssertEqual(try NotebookCommandLine.split("jko 'a|b' \"x>y\"", line: 1), ["jko", "a|b", "x>y"])
        XCTAssertThrowsError(try NotebookCommandLine.split("jko run ou-2d | tail -1", line: 7)) {
            XCTAssertEqual($0 as? NotebookError, .shellSyntax(line: 7, character: "|"))
        }
        XCTAssertThrowsError(try NotebookCommandLine.split("jko run 'ou-2d", line: 2)) {
            XCTAssertEqual($0 as? NotebookError, .unclosedQuote(line: 2))
        }
        XCTAssertThrowsError(try NotebookCommandLine.parse(block: ["ls runs"], firstLine: 4)) {
            XCTAssertEqual($0 as? NotebookError, .notAJKOCommand(line: 4, text: "ls runs"))
        }
        XCTAssertThrowsError(try NotebookCommandLine.parse(block: ["", "jko notebook a.md"], firstLine: 4)) {
            XCTAssertEqual($0 as? NotebookError, .nestedNotebook(line: 5))
        }
    }

    /// Exact blocks compare text (one digit differs: fails); mc blocks compare the text
    /// without numbers and each number within max(atol, rtol·max(|a|, |b|)).
    func testOutputComparisonExactAndMonteCarlo() throws {
        let committed = ["step  w2", "   1  0.04135", "wrote runs/x"]
        let exact = try OutputExpectation(info: "output", line: 1)
        XCTAssertNil(exact.firstDifference(committed: committed, fresh: committed + ["", ""]))
        let oneDigit = ["step  w2", "   1  0.04136", "wrote runs/x"]
        XCTAssertEqual(exact.firstDifference(committed: committed, fresh: oneDigit)?.index, 1)
        XCTAssertEqual(exact.firstDifference(committed: committed, fresh: Array(committed.prefix(2)))?.index, 2)

        let mc = try OutputExpectation(info: "output mc rtol=0.05", line: 1)
        XCTAssertEqual(mc.relativeTolerance, 0.05)
        // 0.0420 vs 0.04135: |Δ| = 6.5e-4 ≤ 0.05 · 0.042 = 2.1e-3; a wider column still matches.
        XCTAssertNil(mc.firstDifference(committed: committed, fresh: ["step  w2", "   1   0.0420", "wrote runs/x"]))
        // 0.0450: |Δ| = 3.65e-3 > 0.05 · 0.045 = 2.25e-3.
        XCTAssertEqual(mc.firstDifference(committed: committed, fresh: ["step  w2", "   1  0.0450", "wrote runs/x"])?.index, 1)
        XCTAssertEqual(mc.firstDifference(committed: committed, fresh: ["step  w2", "   1  0.04135", "wrote runs/y"])?.index, 2)
        let absolute = try OutputExpectation(info: "output mc atol=1e-3", line: 1)
        XCTAssertNil(absolute.firstDifference(committed: ["x 0.0"], fresh: ["x 9e-4"]))
        XCTAssertNotNil(absolute.firstDifference(committed: ["x 0.0"], fresh: ["x 1.1e-3"]))
        for bad in ["output rtol=0.1", "output mc rtol=-1", "output mc tol=1", "output fast"] {
            XCTAssertThrowsError(try OutputExpectation(info: bad, line: 3), bad)
        }
    }

    // MARK: - Through the executable

    var executable: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent()].map { $0.appendingPathComponent("jko") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    func jko(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = scratch
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Run fills the output blocks (relative paths, the run's numbers), verify then passes,
    /// a changed digit makes verify fail naming the line, and a Monte-Carlo block within its
    /// tolerance passes.
    func testRunThenVerifyAndATamperedDigitFails() throws {
        let notebook = """
            # Tiny

            ```jko
            jko run ou-1d --set flow.steps=2 --set 'methods=["analytic","gaussian-jko"]' --columns step,t,gaussian_jko_mean_1 --every 1 --out r
            ```

            ```jko
            jko config list
            ```

            """
        let file = scratch.appendingPathComponent("tiny.md")
        try notebook.write(to: file, atomically: true, encoding: .utf8)
        let ran = try jko(["notebook", file.path])
        XCTAssertEqual(ran.status, 0, ran.output)
        let text = try String(contentsOf: file, encoding: .utf8)
        // Gaussian JKO mean after one step of h = 0.05 from −2 towards 1 with A = 2:
        // m′ = (m + hAb)/(1 + hA) = −1.9/1.1 = −1.72727; after two: (−1.72727 + 0.1)/1.1 = −1.47934.
        XCTAssertTrue(text.contains("   1  0.05000             -1.72727\n   2  0.10000             -1.47934\nwrote r\n```"), text)
        XCTAssertTrue(text.contains("```output\nou-1d "), text)
        XCTAssertFalse(text.contains(scratch.path), text)
        XCTAssertFalse(text.contains("/tmp/"), text)

        XCTAssertEqual(try jko(["notebook", "--check", file.path]).status, 0)
        let verified = try jko(["notebook", "--verify", file.path])
        XCTAssertEqual(verified.status, 0, verified.output)

        try text.replacingOccurrences(of: "-1.47934", with: "-1.47935").write(to: file, atomically: true, encoding: .utf8)
        let tampered = try jko(["notebook", "--verify", file.path])
        XCTAssertEqual(tampered.status, 1)
        XCTAssertTrue(tampered.output.contains("tiny.md:11: the output of 'jko run ou-1d"), tampered.output)
        XCTAssertTrue(tampered.output.contains("committed '   2  0.10000             -1.47935', now '   2  0.10000             -1.47934'"), tampered.output)

        try text.replacingOccurrences(of: "-1.47934", with: "-1.47935").replacingOccurrences(of: "```output\n   step", with: "```output mc atol=1e-4\n   step")
            .replacingOccurrences(of: "```output\nstep", with: "```output mc atol=1e-4\nstep")
            .write(to: file, atomically: true, encoding: .utf8)
        let withinTolerance = try jko(["notebook", "--verify", file.path])
        XCTAssertEqual(withinTolerance.status, 0, withinTolerance.output)
    }

    /// --check reports, each with its line: a command that fails the tool's own validation,
    /// a command without an output block, a missing figure, a caption without its command,
    /// and an unknown recipe; a failing command in a plain run leaves the file unchanged.
    func testCheckFindsEveryKindOfProblem() throws {
        let figures = scratch.appendingPathComponent("figures")
        try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
        try Data([0x89]).write(to: figures.appendingPathComponent("ou-2d-energy.png"))
        let notebook = """
            ```jko
            jko run ou-2d --flow-steps 3
            ```

            ```output
            ```

            ```jko
            jko figure ou-2d-energy
            ```

            ![a](figures/ou-2d-metrics.png) *Regenerate: `jko figure ou-2d-metrics`.*

            ![b](figures/ou-2d-energy.png)

            The energy.

            ![c](figures/no-such-recipe.png) `jko figure no-such-recipe`

            """
        let file = scratch.appendingPathComponent("bad.md")
        try notebook.write(to: file, atomically: true, encoding: .utf8)
        let checked = try jko(["notebook", "--check", file.path])
        XCTAssertEqual(checked.status, 1)
        let lines = checked.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, checked.output)
        XCTAssertTrue(lines[0].hasPrefix("bad.md:2: 'jko run ou-2d --flow-steps 3' does not parse: "), lines[0])
        XCTAssertTrue(lines[0].contains("--flow-steps"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("bad.md:8: this ```jko block has no ```output block"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("bad.md:12: the figure 'figures/ou-2d-metrics.png' does not exist"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("bad.md:14: the caption of 'figures/ou-2d-energy.png' does not name"), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("bad.md:18: no figure recipe 'no-such-recipe'"), lines[4])

        let failing = "```jko\njko run no-such-preset\n```\n\n```output\nkept\n```\n"
        try failing.write(to: file, atomically: true, encoding: .utf8)
        let ran = try jko(["notebook", "--no-figures", file.path])
        XCTAssertNotEqual(ran.status, 0)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), failing)
    }

    /// A notebook's `jko run PRESET` is drawn by the figure recipes of PRESET only when it is
    /// that preset exactly (config and seed) and complete: anything else is trained afresh.
    func testRecipesReuseOnlyCompleteRunsOfTheUnmodifiedPreset() throws {
        let runs = scratch.appendingPathComponent("runs")
        let preset = "ou-1d"
        let config = try ConfigLoader.resolve(preset, overrides: [])
        let folder = try RunFolder.create(at: runs.appendingPathComponent(preset), force: false)
        try ExperimentRunner(config: config, folder: folder).run(source: preset, command: "test")
        let context = try RecipeContext(reusing: runs)
        defer { context.cleanUp() }
        let reused = try XCTUnwrap(context.reusableRun(preset: preset, config: config), "the preset's own complete run")
        XCTAssertEqual(reused.folder.url.standardizedFileURL.path, folder.url.standardizedFileURL.path)
        XCTAssertNil(context.reusableRun(preset: preset, config: try ConfigLoader.resolve(preset, overrides: ["flow.steps=5"])), "another config")
        var reseeded = config
        reseeded.seed &+= 1
        XCTAssertNil(context.reusableRun(preset: preset, config: reseeded), "another seed")
        try FileManager.default.removeItem(at: folder.samplesURL(step: config.flow.steps, method: config.methods[0], reference: config.methods[0]))
        XCTAssertNil(context.reusableRun(preset: preset, config: config), "a step's samples missing")
        XCTAssertNil(try RecipeContext().reusableRun(preset: preset, config: config), "no folder to reuse from")
    }
}
