import Foundation
import NeuralNetworks
import NumericalCore

/// Mutation fuzzing of the toolkit's file readers (`jko bench fuzz`): `.npy`
/// (``NPYArray/init(data:name:)``), safetensors (``SafeTensorsFile/init(data:)``), TOML
/// configs (``ConfigLoader/parse(_:source:)`` then ``ExperimentConfig/validate()``) and
/// CSV metrics (``MetricsTable/init(csv:)`` then ``MetricsTable/render(columns:every:)``).
///
/// Each case takes a valid file and applies 1–8 random mutations (flip a bit, set a byte
/// to an interesting value — 0, 0xFF, a digit, `-`, `,`, `(`, a quote, a NUL —, insert,
/// delete, duplicate or truncate a span, or splice in a huge or negative number), seeded,
/// so every failure reproduces. A reader passes when each case either parses or throws;
/// a trap ends the process, so finishing is the test. The report counts the cases and
/// how many parsed.
public enum ReaderFuzzing {
    /// Cases per reader: 10⁵ (2000 with `--quick`).
    public static func run(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "fuzz")
        let cases = quick ? 2_000 : 100_000
        for reader in Reader.allCases {
            let start = DispatchTime.now().uptimeNanoseconds
            let accepted = fuzz(reader, cases: cases, seed: 11)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            report.add("\(reader.rawValue)_cases", Double(cases), unit: "cases", goal: quick ? nil : "≥ 100000, no trap")
            report.add("\(reader.rawValue)_parsed", Double(accepted), unit: "cases")
            report.add("\(reader.rawValue)_time", seconds, unit: "s")
        }
        report.notes.append("every case either parsed or threw an error with a message; none trapped (seed 11)")
        return report
    }

    public enum Reader: String, CaseIterable, Sendable {
        case npy, safetensors, toml, csv
    }

    /// Runs `cases` mutated inputs through one reader; returns how many parsed.
    public static func fuzz(_ reader: Reader, cases: Int, seed: UInt64) -> Int {
        var rng = RandomGenerator(seed: seed)
        let valid = seedFile(reader)
        var accepted = 0
        // JKO_FUZZ_DUMP=FILE keeps the case being read in FILE, to reproduce a trap.
        let dump = ProcessInfo.processInfo.environment["JKO_FUZZ_DUMP"]
        for _ in 0..<cases {
            let bytes = mutate(valid, using: &rng)
            if let dump { try? Data(bytes).write(to: URL(fileURLWithPath: dump)) }
            if read(reader, bytes) { accepted += 1 }
        }
        return accepted
    }

    /// Whether the reader accepted `bytes` (errors are the expected outcome).
    static func read(_ reader: Reader, _ bytes: [UInt8]) -> Bool {
        switch reader {
        case .npy:
            guard let array = try? NPYArray(data: Data(bytes)) else { return false }
            _ = try? array.matrix()
            return true
        case .safetensors:
            return (try? SafeTensorsFile(data: Data(bytes))) != nil
        case .toml:
            guard let text = String(bytes: bytes, encoding: .utf8), let config = try? ConfigLoader.parse(text, source: "fuzz.toml") else { return false }
            _ = try? config.validate()
            return true
        case .csv:
            guard let text = String(bytes: bytes, encoding: .utf8), let table = try? MetricsTable(csv: text) else { return false }
            _ = table.render(every: 2)
            _ = table.csv
            return true
        }
    }

    /// A small valid file of each format.
    static func seedFile(_ reader: Reader) -> [UInt8] {
        switch reader {
        case .npy:
            return [UInt8](NPYArray(shape: [4, 2], values: [0, 1, -2.5, 3, 1e-300, 5, 6, 7]).encoded())
        case .safetensors:
            let tensors = [StoredTensor(name: "w", shape: [2, 3], values: [Float](repeating: 0.5, count: 6)),
                           StoredTensor(name: "b", shape: [2], values: [1.0, 2.0])]
            return [UInt8](SafeTensorsFile(tensors: tensors, metadata: ["step": "3"]).encoded())
        case .toml:
            var config = Presets.named("ou-2d")!
            config.flow.steps = 2
            return Array(ConfigLoader.render(config).utf8)
        case .csv:
            return Array("step,t,analytic_mean_1,w2_gaussian_jko\n0,0,-2,0\n1,0.05,-1.5,1.2e-5\n2,0.1,-1.25,3e-5\n".utf8)
        }
    }

    static let interesting: [UInt8] = [0, 0xFF, 0x7F, 0x80, UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: ","),
                                       UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "'"), UInt8(ascii: "\""),
                                       UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "="), UInt8(ascii: "\n")]
    static let numbers = ["9223372036854775807", "-5", "1152921504606846976", "-9223372036854775808", "1e400", "nan", "inf", "0", "18446744073709551615"]

    static func mutate(_ input: [UInt8], using rng: inout RandomGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0...(Int(rng.next() % 8)) {
            let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 8 {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << (rng.next() % 8))
            case 1 where !bytes.isEmpty: bytes[position] = interesting[Int(rng.next() % UInt64(interesting.count))]
            case 2: bytes.insert(interesting[Int(rng.next() % UInt64(interesting.count))], at: position)
            case 3 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + 1 + Int(rng.next() % 16)))
            case 4 where !bytes.isEmpty:
                let span = bytes[position..<min(bytes.count, position + 1 + Int(rng.next() % 32))]
                bytes.insert(contentsOf: span, at: position)
            case 5: bytes = Array(bytes.prefix(position))
            case 6:
                let number = numbers[Int(rng.next() % UInt64(numbers.count))]
                let end = min(bytes.count, position + Int(rng.next() % 4))
                bytes.replaceSubrange(position..<end, with: Array(number.utf8))
            default:
                if !bytes.isEmpty { bytes[position] = UInt8(truncatingIfNeeded: rng.next()) }
            }
        }
        return bytes
    }
}
