import Foundation
import NeuralNetworks
import NumericalCore

/// The checkpoints of a run: `checkpoints/METHOD/step-KKKK.safetensors`, one file per
/// method and step (``MethodCheckpoint``), written atomically after the step's samples,
/// densities and `metrics.csv` row. Only the two latest steps are kept: the latest is
/// what a resumed run continues from, the one before it is the fallback when the latest
/// is unreadable (a copy cut short, a damaged disk block; a kill cannot tear it, since
/// every file appears whole by rename). Disk use stays at two states per method.
extension RunFolder {
    /// How many steps' checkpoints a run keeps.
    public static let keptCheckpointSteps = 2

    public var checkpointsURL: URL { url.appendingPathComponent("checkpoints") }

    /// `checkpoints/METHOD/step-KKKK.safetensors` (every method, the reference included,
    /// in its own subfolder).
    public func checkpointURL(step: Int, method: String) -> URL {
        checkpointsURL.appendingPathComponent(method).appendingPathComponent(String(format: "step-%04d.safetensors", step))
    }

    /// Writes one method's checkpoint after `step` (atomically), then removes its
    /// checkpoints older than the ``keptCheckpointSteps`` latest steps.
    public func saveCheckpoint(_ checkpoint: MethodCheckpoint, step: Int, method: String) throws {
        guard writes else { return }
        try checkpoint.file(method: method, step: step).write(to: checkpointURL(step: step, method: method))
        for old in checkpointSteps(method: method) where old <= step - Self.keptCheckpointSteps {
            try FileManager.default.removeItem(at: checkpointURL(step: old, method: method))
        }
    }

    /// Reads and checks one method's checkpoint after `step` (its checksums, its method
    /// and step).
    public func loadCheckpoint(step: Int, method: String) throws -> MethodCheckpoint {
        try MethodCheckpoint(file: SafeTensorsFile(contentsOf: checkpointURL(step: step, method: method)), method: method, step: step)
    }

    /// The steps that have a checkpoint file of `method`, ascending.
    public func checkpointSteps(method: String) -> [Int] {
        steps(in: checkpointsURL.appendingPathComponent(method), fileExtension: "safetensors")
    }
}
