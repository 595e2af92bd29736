// The giflib wrapper: the one file of the package that imports CGIF.

import CGIF
import Foundation
import NumericalCore

/// An animated GIF89a: equal-size frames of palette indices, one global palette of at most
/// 256 colours (padded with black to 256), a fixed delay per frame and an endless loop
/// (NETSCAPE2.0 extension), encoded through giflib (LZW, 8 bits per pixel).
///
/// Frames are `[height · width]` indices, row-major from the top row; `ColorQuantizer` maps
/// rendered figures (`RGBAImage`) to indices of a palette built from the figure's own colour
/// map (`ColorQuantizer.palette(for:)`).
public struct AnimatedGIF {
    public let width: Int
    public let height: Int
    public let palette: [Color]
    public let frames: [[UInt8]]
    /// Time each frame is shown, in hundredths of a second (GIF's unit).
    public let delayCentiseconds: Int

    /// - Precondition: at least one frame, each of `width · height` indices below `palette.count`.
    public init(width: Int, height: Int, palette: [Color], frames: [[UInt8]], delayCentiseconds: Int) {
        precondition(width > 0 && height > 0 && width < 65536 && height < 65536, "GIF sides are 1…65535 pixels")
        precondition(!palette.isEmpty && palette.count <= 256, "a GIF palette holds 1…256 colours")
        precondition(!frames.isEmpty && frames.allSatisfy { $0.count == width * height }, "every frame needs width × height indices")
        self.width = width
        self.height = height
        self.palette = palette
        self.frames = frames
        self.delayCentiseconds = max(1, min(65535, delayCentiseconds))
    }

    /// Rendered images quantised to `palette` (nearest colour), shown at `framesPerSecond`.
    public init(images: [RGBAImage], palette: [Color], framesPerSecond: Double) {
        precondition(!images.isEmpty, "an animation needs at least one frame")
        let quantizer = ColorQuantizer(palette: palette)
        self.init(width: images[0].width, height: images[0].height, palette: palette,
                  frames: images.map { quantizer.indices(of: $0) },
                  delayCentiseconds: Int((100 / max(framesPerSecond, 0.01)).rounded()))
    }

    /// The GIF file's bytes.
    public func encoded() throws -> Data {
        let sink = GIFSink()
        var status: Int32 = 0
        guard let file = EGifOpen(Unmanaged.passUnretained(sink).toOpaque(), gifWrite, &status) else {
            throw RenderError(description: "giflib could not start a GIF: \(Self.message(status))")
        }
        var closed = false
        defer { if !closed { EGifCloseFile(file, &status) } }
        EGifSetGifVersion(file, true)
        var colours = (0..<256).map { i -> GifColorType in
            let b = i < palette.count ? palette[i].bytes : Color.black.bytes
            return GifColorType(Red: b.red, Green: b.green, Blue: b.blue)
        }
        guard let map = GifMakeMapObject(256, &colours) else { throw RenderError(description: "giflib could not make the palette") }
        defer { GifFreeMapObject(map) }
        func check(_ result: Int32, _ what: String) throws {
            guard result == GIF_OK else { throw RenderError(description: "giflib failed to write the \(what): \(Self.message(file.pointee.Error))") }
        }
        try check(EGifPutScreenDesc(file, Int32(width), Int32(height), 8, 0, map), "screen descriptor")
        // NETSCAPE2.0 application extension: loop forever (count 0).
        try check(EGifPutExtensionLeader(file, APPLICATION_EXT_FUNC_CODE), "loop extension")
        try check(Array("NETSCAPE2.0".utf8).withUnsafeBytes { EGifPutExtensionBlock(file, 11, $0.baseAddress) }, "loop extension")
        try check([UInt8]([1, 0, 0]).withUnsafeBytes { EGifPutExtensionBlock(file, 3, $0.baseAddress) }, "loop extension")
        try check(EGifPutExtensionTrailer(file), "loop extension")
        // Graphics control: no transparency, disposal "leave in place", the delay (little-endian).
        let control: [UInt8] = [0x04, UInt8(delayCentiseconds & 0xFF), UInt8(delayCentiseconds >> 8), 0]
        for frame in frames {
            try check(control.withUnsafeBytes { EGifPutExtension(file, GRAPHICS_EXT_FUNC_CODE, 4, $0.baseAddress) }, "frame delay")
            try check(EGifPutImageDesc(file, 0, 0, Int32(width), Int32(height), false, nil), "image descriptor")
            var row = [GifPixelType](repeating: 0, count: width)
            for y in 0..<height {
                for x in 0..<width { row[x] = frame[y * width + x] }
                try check(EGifPutLine(file, &row, Int32(width)), "pixels")
            }
        }
        closed = true
        guard EGifCloseFile(file, &status) == GIF_OK else {
            throw RenderError(description: "giflib failed to finish the GIF: \(Self.message(status))")
        }
        withExtendedLifetime(sink) {}
        return sink.data
    }

    /// Writes the GIF atomically (temporary file, then rename).
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }

    private static func message(_ code: Int32) -> String {
        GifErrorString(code).map { String(cString: $0) } ?? "error \(code)"
    }
}

/// Collects the bytes giflib streams out.
private final class GIFSink {
    var data = Data()
}

private let gifWrite: OutputFunc = { file, bytes, length in
    guard let file, let user = file.pointee.UserData, let bytes, length >= 0 else { return 0 }
    Unmanaged<GIFSink>.fromOpaque(user).takeUnretainedValue().data.append(bytes, count: Int(length))
    return length
}
