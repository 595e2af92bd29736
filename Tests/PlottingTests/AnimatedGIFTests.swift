import Foundation
import Plotting
import XCTest

/// The GIF writer, read back by an independent parser written here (header, palette, the
/// block structure, frame delays, and the LZW-coded pixels), and by Python's PIL when it is
/// installed.
final class AnimatedGIFTests: XCTestCase {
    private let palette = [Color.black, Color.white, Color.okabeIto[1], Color.okabeIto[5]]

    private func frames(width: Int, height: Int, count: Int) -> [[UInt8]] {
        (0..<count).map { f in (0..<(width * height)).map { p in UInt8((p % width + p / width + f) % 4) } }
    }

    func testFramesSizePaletteDelaysAndPixelsReadBack() throws {
        let (w, h) = (9, 5)
        let gif = AnimatedGIF(width: w, height: h, palette: palette, frames: frames(width: w, height: h, count: 3), delayCentiseconds: 25)
        let parsed = try GIFReader(Array(try gif.encoded()))
        XCTAssertEqual(parsed.version, "GIF89a")
        XCTAssertEqual(parsed.width, w)
        XCTAssertEqual(parsed.height, h)
        XCTAssertEqual(parsed.palette.count, 256, "padded to 256 entries")
        XCTAssertEqual(Array(parsed.palette.prefix(4)).map { [$0.0, $0.1, $0.2] },
                       [[0, 0, 0], [255, 255, 255], [0xE6, 0x9F, 0x00], [0x00, 0x72, 0xB2]])
        XCTAssertTrue(parsed.loops, "NETSCAPE2.0 loop extension present")
        XCTAssertEqual(parsed.delays, [25, 25, 25])
        XCTAssertEqual(parsed.frames.count, 3)
        XCTAssertEqual(parsed.frames, frames(width: w, height: h, count: 3), "LZW-decoded indices are the written ones")
    }

    func testQuantizerKeepsColormapAndMethodColoursExactly() {
        let palette = ColorQuantizer.palette(for: .viridis)
        XCTAssertEqual(palette.count, 256)
        let quantizer = ColorQuantizer(palette: palette)
        let v = Colormap.viridis.color(at: 0.5).bytes
        // Position 0.5 of the map is between two of the 216 entries: within one table step of it.
        let index = Int(quantizer.nearest(red: Int(v.red), green: Int(v.green), blue: Int(v.blue)))
        XCTAssertLessThan(abs(index - 108), 2)
        let orange = Color.okabeIto[1].bytes
        XCTAssertEqual(palette[Int(quantizer.nearest(red: Int(orange.red), green: Int(orange.green), blue: Int(orange.blue)))], Color.okabeIto[1])
        XCTAssertEqual(palette[Int(quantizer.nearest(red: 255, green: 255, blue: 255))], Color.white)
        // A transparent pixel is composited over white.
        let image = RGBAImage(width: 2, height: 1, bytes: [0, 0, 0, 0, 0, 0, 0, 255])
        let indices = quantizer.indices(of: image)
        XCTAssertEqual(palette[Int(indices[0])], Color.white)
        XCTAssertEqual(palette[Int(indices[1])], Color.black)
    }

    func testPythonImagingLibraryReadsTheAnimationWhenInstalled() throws {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import PIL"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { throw XCTSkip("python3 not found") }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { throw XCTSkip("PIL is not installed; the header and block checks above cover the file") }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gif-\(UUID().uuidString).gif")
        defer { try? FileManager.default.removeItem(at: url) }
        try AnimatedGIF(width: 9, height: 5, palette: palette, frames: frames(width: 9, height: 5, count: 3), delayCentiseconds: 25).write(to: url)
        let read = Process()
        read.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        read.arguments = ["python3", "-c", "from PIL import Image; im = Image.open('\(url.path)'); print(im.size[0], im.size[1], im.n_frames)"]
        let pipe = Pipe()
        read.standardOutput = pipe
        try read.run()
        read.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), "9 5 3")
    }
}

/// A minimal GIF89a reader: global palette, extensions, image descriptors and GIF's LZW.
struct GIFReader {
    var version = "", width = 0, height = 0
    var palette: [(UInt8, UInt8, UInt8)] = []
    var loops = false
    var delays: [Int] = []
    var frames: [[UInt8]] = []

    struct Malformed: Error { let what: String }

    init(_ bytes: [UInt8]) throws {
        guard bytes.count > 13 else { throw Malformed(what: "too short") }
        version = String(decoding: bytes[0..<6], as: UTF8.self)
        width = Int(bytes[6]) | Int(bytes[7]) << 8
        height = Int(bytes[8]) | Int(bytes[9]) << 8
        var p = 13
        if bytes[10] & 0x80 != 0 {
            let count = 1 << (Int(bytes[10] & 7) + 1)
            palette = (0..<count).map { (bytes[13 + 3 * $0], bytes[14 + 3 * $0], bytes[15 + 3 * $0]) }
            p += 3 * count
        }
        func subBlocks() -> [UInt8] {
            var data: [UInt8] = []
            while p < bytes.count, bytes[p] != 0 {
                let n = Int(bytes[p])
                data += bytes[(p + 1)..<min(bytes.count, p + 1 + n)]
                p += 1 + n
            }
            p += 1
            return data
        }
        while p < bytes.count {
            switch bytes[p] {
            case 0x21:
                let label = bytes[p + 1]
                p += 2
                let data = subBlocks()
                if label == 0xF9, data.count == 4 { delays.append(Int(data[1]) | Int(data[2]) << 8) }
                if label == 0xFF, data.starts(with: Array("NETSCAPE2.0".utf8)) { loops = true }
            case 0x2C:
                let w = Int(bytes[p + 5]) | Int(bytes[p + 6]) << 8, h = Int(bytes[p + 7]) | Int(bytes[p + 8]) << 8
                guard bytes[p + 9] & 0x80 == 0 else { throw Malformed(what: "unexpected local palette") }
                let minimum = Int(bytes[p + 10])
                p += 11
                frames.append(try Self.lzw(subBlocks(), minimumCodeSize: minimum, count: w * h))
            case 0x3B:
                return
            default:
                throw Malformed(what: "unknown block 0x\(String(bytes[p], radix: 16)) at \(p)")
            }
        }
        throw Malformed(what: "no trailer")
    }

    /// GIF's variable-width LZW (codes LSB first; clear = 2^m, end = 2^m + 1).
    static func lzw(_ data: [UInt8], minimumCodeSize m: Int, count: Int) throws -> [UInt8] {
        let clear = 1 << m, end = clear + 1
        var table: [[UInt8]] = [], size = m + 1
        func reset() { table = (0..<clear).map { [UInt8($0)] } + [[], []]; size = m + 1 }
        reset()
        var out: [UInt8] = [], previous: [UInt8]?
        var buffer = 0, bits = 0, position = 0
        while out.count < count {
            while bits < size {
                guard position < data.count else { throw Malformed(what: "pixel data ended early") }
                buffer |= Int(data[position]) << bits
                bits += 8
                position += 1
            }
            let code = buffer & ((1 << size) - 1)
            buffer >>= size
            bits -= size
            if code == clear { reset(); previous = nil; continue }
            if code == end { break }
            let entry: [UInt8]
            if code < table.count { entry = table[code] }
            else if let last = previous, code == table.count { entry = last + [last[0]] }
            else { throw Malformed(what: "bad code \(code)") }
            out += entry
            if let last = previous, table.count < 4096 { table.append(last + [entry[0]]) }
            previous = entry
            if table.count == 1 << size, size < 12 { size += 1 }
        }
        return out
    }
}
