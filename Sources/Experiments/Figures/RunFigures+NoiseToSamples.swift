import Foundation
import NumericalCore
import Plotting

extension RunFigures {
    /// How many noise images the strip follows (its rows).
    static let noiseToSamplesRows = 6
    /// The seed of the strip's noise: the same x ~ μ₀ and latent z at every step.
    static let noiseToSamplesSeed = 20_240_301

    /// Image runs: a strip from noise to samples. Row i follows one fixed draw (x_i, z_i) of
    /// the prior through the flow — column k shows T_k(x_i, z_i) from the step's saved sampler
    /// weights (`samplers/neural-sjko/step-KKKK.safetensors`, EMA weights when the run keeps an
    /// EMA), so column 0 is the noise x_i itself and the last column is a generated image.
    /// Pixels are drawn on the data range [−1, 1] in every column (no per-panel stretch), so
    /// the fading of the noise is what the eye sees.
    static func noiseToSamples(_ data: RunFigureData, _ options: FigureOptions) -> Figure? {
        guard data.config.target.kind == "images", let method = data.methods.first(where: { $0.hasPrefix("neural-") }) else { return nil }
        let steps = data.chosenSteps(count: max(options.snapshotCount, 2)).filter {
            FileManager.default.fileExists(atPath: data.folder.samplerURL(step: $0, method: method).path)
        }
        guard steps.count >= 2 else { return nil }
        let images = data.config.images
        let side = images.size, channels = images.channels
        var columns: [[RGBAImage]] = []
        for step in steps {
            guard let samples = try? SampleExport.samples(of: data.folder, step: step, count: noiseToSamplesRows, seed: noiseToSamplesSeed, method: method)
            else { return nil }
            columns.append((0..<samples.rows).map { i in
                stripImage(samples.row(i), channels: channels, side: side)
            })
        }
        // Wide enough for the title however few steps the run has.
        let figure = makeFigure(rows: 1, columns: steps.count, title: "Noise to samples, \(data.config.name): a prior draw per row",
                                panelWidth: max(1.05, 5.2 / Double(steps.count)), panelHeight: 0.95 * Double(noiseToSamplesRows) + 0.45)
        for (column, step) in steps.enumerated() {
            let axes = figure[0, column]
            axes.showImageGrid(columns[column], columns: 1)
            axes.title = step == 0 ? "noise, k = 0" : "k = \(step)"
        }
        return figure
    }

    /// One image of C-order channel planes in [−1, 1] (`channels` 1 or 3) as RGBA.
    static func stripImage(_ values: [Double], channels: Int, side: Int) -> RGBAImage {
        let plane = side * side
        var bytes = [UInt8](repeating: 255, count: plane * 4)
        for p in 0..<plane {
            for c in 0..<3 {
                let v = values[(channels == 1 ? 0 : c) * plane + p]
                bytes[4 * p + c] = UInt8(((min(1, max(-1, v)) + 1) * 127.5).rounded())
            }
        }
        return RGBAImage(width: side, height: side, bytes: bytes)
    }
}
