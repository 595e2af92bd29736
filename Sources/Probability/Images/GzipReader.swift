import CZlib
import Foundation

/// Reads a whole file through zlib's `gzread`, which inflates gzip members and passes a
/// plain (uncompressed) file through unchanged. The only file of the toolkit that talks
/// to zlib: C pointers and `Int32` lengths stop here.
enum GzipReader {
    /// The decompressed bytes of `url`. A missing file, a damaged or truncated gzip stream
    /// ("unexpected end of file") becomes an ``ImageDataError`` naming the file.
    static func contents(of url: URL) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ImageDataError.missing(file: url.path, expected: "a data file") }
        guard let file = gzopen(url.path, "rb") else {
            throw ImageDataError.unreadable(file: url.path, reason: "it could not be opened (\(String(cString: strerror(errno))))")
        }
        defer { gzclose(file) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
                throw ImageDataError.unreadable(file: url.path, reason: "its gzip stream is damaged (\(message))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        // gzread returns 0 both at the end and on a stream cut short; zlib tells them apart.
        var code: Int32 = 0
        if let message = gzerror(file, &code), code != Z_OK {
            throw ImageDataError.unreadable(file: url.path, reason: "its gzip stream is damaged (\(String(cString: message)))")
        }
        return out
    }
}
