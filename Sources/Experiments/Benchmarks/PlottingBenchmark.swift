import Plotting

/// Rendering time of the plotting layer's benchmark figure: a 2D density trajectory of
/// 8 panels of 200 × 200 heatmaps with 6 contour levels each (`FigureGallery.heatmapTrajectory`).
/// The goal (issue 6) is under 2 s for the PNG, end to end (build the figure, rasterise, encode).
public enum PlottingBenchmark {
    public static func run(quick: Bool) throws -> BenchmarkReport {
        var report = BenchmarkReport(suite: "plotting")
        let repeats = quick ? 1 : 3
        let panels = 8, size = quick ? 100 : 200
        var figure = FigureGallery.heatmapTrajectory(panelCount: panels, gridSize: size)
        let build = Stopwatch.best(repeats: repeats) { figure = FigureGallery.heatmapTrajectory(panelCount: panels, gridSize: size) }
        var bytes = 0
        let png = try Stopwatch.best(repeats: repeats) {
            bytes = try FigureGallery.heatmapTrajectory(panelCount: panels, gridSize: size).encoded(as: .png).count
        }
        let raster = Stopwatch.best(repeats: repeats) { _ = figure.rasterize() }
        let svg = try Stopwatch.best(repeats: repeats) { _ = try figure.encoded(as: .svg) }
        let pdf = try Stopwatch.best(repeats: repeats) { _ = try figure.encoded(as: .pdf) }
        report.add("trajectory_png_seconds", png, unit: "s", goal: "< 2 s (8 panels of 200×200)")
        report.add("figure_build_seconds", build, unit: "s")
        report.add("rasterize_seconds", raster, unit: "s")
        report.add("svg_seconds", svg, unit: "s")
        report.add("pdf_seconds", pdf, unit: "s")
        report.add("png_bytes", Double(bytes), unit: "B")
        let pixels = figure.pixelSize
        report.notes.append("\(panels) panels of \(size)×\(size) cells, 6 contour levels each; page \(pixels.width)×\(pixels.height) px at \(Int(figure.dpi)) dpi; best of \(repeats)")
        return report
    }
}
