/// CRC-32 (IEEE 802.3, polynomial 0xEDB88320 reflected), the checksum of zlib and PNG.
///
/// Checkpoints store one CRC per tensor in the safetensors metadata, so a flipped byte in
/// the data is caught and the message can name the tensor it belongs to.
/// `CRC32.checksum(of: "123456789".utf8) == 0xCBF43926` (the standard check value).
enum CRC32 {
    /// The 256-entry lookup table of the byte-at-a-time algorithm.
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of a byte sequence.
    static func checksum<Bytes: Sequence>(of bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { t in
            for b in bytes { crc = t[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// Eight lowercase hexadecimal digits, as stored in checkpoint metadata.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
