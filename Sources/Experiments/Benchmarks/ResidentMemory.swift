import Foundation

/// The resident set size of this process, from `/proc/self/statm` (Linux):
/// the second field (resident pages) times the page size. nil where unavailable.
enum ResidentMemory {
    static var bytes: Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
