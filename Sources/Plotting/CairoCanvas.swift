// The Cairo backend: the one file of the package that imports Cairo. Everything else
// draws through the `Canvas` protocol, so PNG, SVG and PDF come from the same code.

import CCairo
import Foundation
import NumericalCore

/// A `Canvas` drawing into a Cairo context. Units are points: PNG surfaces are scaled by
/// dpi/72 so that a figure of w × h inches is w·dpi × h·dpi pixels; SVG and PDF surfaces are
/// w·72 × h·72 points.
public final class CairoCanvas: Canvas {
    private let context: OpaquePointer
    /// Factor on every stroke width and dash length (`FigureStyle.lineScale`).
    private let lineScale: Double

    init(context: OpaquePointer, lineScale: Double = 1) {
        self.context = context
        self.lineScale = lineScale
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        if let options = cairo_font_options_create() {
            // Unhinted metrics: text widths are the same in PNG, SVG and PDF, so layouts agree.
            cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
            cairo_set_font_options(context, options)
            cairo_font_options_destroy(options)
        }
    }

    public func saveState() { cairo_save(context) }
    public func restoreState() { cairo_restore(context) }

    public func setColor(_ color: Color) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    public func setLineWidth(_ width: Double) { cairo_set_line_width(context, width * lineScale) }

    public func setDash(_ lengths: [Double]) {
        lengths.map { $0 * lineScale }.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
    }

    public func move(to point: Point) { cairo_move_to(context, point.x, point.y) }
    public func line(to point: Point) { cairo_line_to(context, point.x, point.y) }
    public func closePath() { cairo_close_path(context) }

    public func addRectangle(_ rect: Rect) {
        cairo_rectangle(context, rect.minX, rect.minY, rect.width, rect.height)
    }

    public func addCircle(center: Point, radius: Double) {
        cairo_new_sub_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_close_path(context)
    }

    public func fill() { cairo_fill(context) }
    public func stroke() { cairo_stroke(context) }

    public func clip(to rect: Rect) {
        cairo_new_path(context)
        addRectangle(rect)
        cairo_clip(context)
    }

    private func selectFont(_ style: TextStyle) {
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, style.fontSize)
    }

    public func measure(_ text: String, style: TextStyle) -> TextMetrics {
        selectFont(style)
        var textExtents = cairo_text_extents_t()
        var fontExtents = cairo_font_extents_t()
        cairo_text_extents(context, text, &textExtents)
        cairo_font_extents(context, &fontExtents)
        return TextMetrics(width: textExtents.x_advance, ascent: fontExtents.ascent, descent: fontExtents.descent)
    }

    public func drawText(_ text: String, at point: Point, style: TextStyle, anchor: TextAnchor, angle: Double) {
        let offset = anchor.originOffset(for: measure(text, style: style))
        cairo_save(context)
        cairo_translate(context, point.x, point.y)
        cairo_rotate(context, -angle)
        setColor(style.color)
        cairo_new_path(context)
        cairo_move_to(context, offset.x, offset.y)
        cairo_show_text(context, text)
        cairo_new_path(context)
        cairo_restore(context)
    }

    public func drawImage(_ image: RGBAImage, in rect: Rect, smooth: Bool) {
        guard rect.width > 0, rect.height > 0,
              let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(image.width), Int32(image.height))
        else { return }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        for y in 0..<image.height {
            let row = data.advanced(by: y * stride).withMemoryRebound(to: UInt32.self, capacity: image.width) { $0 }
            for x in 0..<image.width {
                let i = 4 * (y * image.width + x)
                let a = UInt32(image.bytes[i + 3])
                // ARGB32 is native-endian and premultiplied.
                let r = UInt32(image.bytes[i]) * a / 255
                let g = UInt32(image.bytes[i + 1]) * a / 255
                let b = UInt32(image.bytes[i + 2]) * a / 255
                row[x] = (a << 24) | (r << 16) | (g << 8) | b
            }
        }
        cairo_surface_mark_dirty(surface)
        cairo_save(context)
        cairo_new_path(context)
        cairo_rectangle(context, rect.minX, rect.minY, rect.width, rect.height)
        cairo_clip(context)
        cairo_translate(context, rect.minX, rect.minY)
        cairo_scale(context, rect.width / Double(image.width), rect.height / Double(image.height))
        cairo_set_source_surface(context, surface, 0, 0)
        let pattern = cairo_get_source(context)
        cairo_pattern_set_filter(pattern, smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)
        cairo_paint(context)
        cairo_restore(context)
    }
}

// MARK: - Rendering a figure to bytes and files

/// Collects the bytes Cairo streams out.
private final class ByteSink {
    var data = Data()
}

private let appendToSink: cairo_write_func_t = { closure, bytes, length in
    guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
    Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
    return CAIRO_STATUS_SUCCESS
}

/// A rendering failure, with the Cairo status text.
public struct RenderError: Error, CustomStringConvertible {
    public let description: String
}

extension Figure {
    /// Pixel size of the PNG rendering: inches × dpi, rounded.
    public var pixelSize: (width: Int, height: Int) {
        (max(1, Int((width * dpi).rounded())), max(1, Int((height * dpi).rounded())))
    }

    /// Renders into an image surface and returns its pixels (straight RGBA, row 0 at top).
    public func rasterize() -> RGBAImage {
        let (w, h) = pixelSize
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(w), Int32(h))!
        defer { cairo_surface_destroy(surface) }
        drawRaster(on: surface)
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var bytes = [UInt8](repeating: 0, count: w * h * 4)
        for y in 0..<h {
            let row = data.advanced(by: y * stride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
            for x in 0..<w {
                let p = row[x]
                let a = (p >> 24) & 0xFF
                func unpremultiply(_ c: UInt32) -> UInt8 { a == 0 ? 0 : UInt8(min(255, c * 255 / a)) }
                let i = 4 * (y * w + x)
                bytes[i] = unpremultiply((p >> 16) & 0xFF)
                bytes[i + 1] = unpremultiply((p >> 8) & 0xFF)
                bytes[i + 2] = unpremultiply(p & 0xFF)
                bytes[i + 3] = UInt8(a)
            }
        }
        return RGBAImage(width: w, height: h, bytes: bytes)
    }

    /// The figure encoded as PNG (w·dpi × h·dpi pixels), SVG or PDF (w·72 × h·72 points).
    public func encoded(as format: ImageFormat) throws -> Data {
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let surface: OpaquePointer
        switch format {
        case .png:
            let (w, h) = pixelSize
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(w), Int32(h))
            drawRaster(on: surface)
            cairo_surface_write_to_png_stream(surface, appendToSink, closure)
        case .svg:
            surface = cairo_svg_surface_create_for_stream(appendToSink, closure, width * 72, height * 72)
            drawVector(on: surface)
        case .pdf:
            surface = cairo_pdf_surface_create_for_stream(appendToSink, closure, width * 72, height * 72)
            // A fixed creation date (Cairo 1.16 stamps the current time): the same figure gives
            // the same bytes, so committed PDFs only change when the drawing does.
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z")
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "JKOKit")
            drawVector(on: surface)
        }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        withExtendedLifetime(sink) {}
        guard status == CAIRO_STATUS_SUCCESS, !sink.data.isEmpty else {
            throw RenderError(description: "Cairo could not render the \(format.rawValue) figure: \(String(cString: cairo_status_to_string(status)))")
        }
        return sink.data
    }

    /// Writes the figure atomically (temporary file, then rename); the format comes from
    /// `format` or else from the file extension (png, svg, pdf).
    public func write(to url: URL, format: ImageFormat? = nil) throws {
        guard let chosen = format ?? ImageFormat(rawValue: url.pathExtension.lowercased()) else {
            throw RenderError(description: "cannot tell the image format of \(url.lastPathComponent): use a .png, .svg or .pdf name")
        }
        try AtomicFile.write(encoded(as: chosen), to: url)
    }

    private func drawRaster(on surface: OpaquePointer) {
        let context = cairo_create(surface)!
        defer { cairo_destroy(context) }
        cairo_scale(context, dpi / 72, dpi / 72)
        draw(on: CairoCanvas(context: context, lineScale: style.lineScale))
    }

    private func drawVector(on surface: OpaquePointer) {
        let context = cairo_create(surface)!
        defer { cairo_destroy(context) }
        draw(on: CairoCanvas(context: context, lineScale: style.lineScale))
    }
}

extension RGBAImage {
    /// Decodes a PNG file through Cairo (`cairo_image_surface_create_from_png`): any PNG
    /// colour type comes back as straight RGBA, row 0 at the top. Throws ``RenderError``
    /// with Cairo's status text for a missing, truncated or non-PNG file.
    public init(pngFile url: URL) throws {
        guard let surface = cairo_image_surface_create_from_png(url.path) else {
            throw RenderError(description: "Cairo returned no surface for \(url.path)")
        }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(description: String(cString: cairo_status_to_string(status)))
        }
        cairo_surface_flush(surface)
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let format = cairo_image_surface_get_format(surface)
        guard w > 0, h > 0, format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24,
              let data = cairo_image_surface_get_data(surface) else {
            throw RenderError(description: "an image of \(w)×\(h) pixels in an unsupported pixel format")
        }
        let opaque = format == CAIRO_FORMAT_RGB24
        let stride = Int(cairo_image_surface_get_stride(surface))
        var bytes = [UInt8](repeating: 0, count: w * h * 4)
        for y in 0..<h {
            let row = data.advanced(by: y * stride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
            for x in 0..<w {
                let p = row[x]
                let a = opaque ? 255 : (p >> 24) & 0xFF
                func unpremultiply(_ c: UInt32) -> UInt8 { a == 0 ? 0 : UInt8(min(255, c * 255 / a)) }
                let i = 4 * (y * w + x)
                bytes[i] = unpremultiply((p >> 16) & 0xFF)
                bytes[i + 1] = unpremultiply((p >> 8) & 0xFF)
                bytes[i + 2] = unpremultiply(p & 0xFF)
                bytes[i + 3] = UInt8(a)
            }
        }
        self.init(width: w, height: h, bytes: bytes)
    }

    /// The image as PNG bytes (one pixel per pixel, straight alpha kept).
    public func pngData() throws -> Data {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else {
            throw RenderError(description: "Cairo could not make a \(width)×\(height) surface")
        }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        for y in 0..<height {
            let row = data.advanced(by: y * stride).withMemoryRebound(to: UInt32.self, capacity: width) { $0 }
            for x in 0..<width {
                let i = 4 * (y * width + x)
                let a = UInt32(bytes[i + 3])
                row[x] = (a << 24) | (UInt32(bytes[i]) * a / 255) << 16 | (UInt32(bytes[i + 1]) * a / 255) << 8 | UInt32(bytes[i + 2]) * a / 255
            }
        }
        cairo_surface_mark_dirty(surface)
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let status = cairo_surface_write_to_png_stream(surface, appendToSink, closure)
        withExtendedLifetime(sink) {}
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(description: "Cairo could not encode the PNG: \(String(cString: cairo_status_to_string(status)))")
        }
        return sink.data
    }
}
