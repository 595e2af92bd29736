import Foundation
import GradientFlows
import NumericalCore

extension RunFolder {
    /// `density/step-KKKK.npy` for the reference method, `density/METHOD/step-KKKK.npy`
    /// otherwise: ρ_k at the cells of the config's grid, shape `[cells]` (1D) or
    /// `[cells, cells]` (2D, row index along x₁). The cell centres are in
    /// `density/axis-1.npy` (and `density/axis-2.npy`).
    public func densityURL(step: Int, method: String, reference: String) -> URL {
        let name = String(format: "step-%04d.npy", step)
        let folder = url.appendingPathComponent("density")
        return method == reference ? folder.appendingPathComponent(name)
                                   : folder.appendingPathComponent(method).appendingPathComponent(name)
    }

    /// Writes one step's grid density (atomically), and the axes on first use.
    public func saveDensity(_ density: [Double], grid: FiniteVolumeGrid, step: Int, method: String, reference: String) throws {
        guard writes else { return }
        let target = densityURL(step: step, method: method, reference: reference)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let axes = url.appendingPathComponent("density")
        for axis in 0..<grid.dimension {
            let file = axes.appendingPathComponent("axis-\(axis + 1).npy")
            if !FileManager.default.fileExists(atPath: file.path) {
                let centres = grid.centres(axis: axis)
                try NPYArray(shape: [centres.count], values: centres).write(to: file)
            }
        }
        try NPYArray(shape: grid.cellCounts, values: density).write(to: target)
    }
}
