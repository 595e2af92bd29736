extension MetricsTable {
    /// The columns worth printing on a terminal for a run in `dimension` d: all of them up to
    /// d = 2; beyond, every column except the per-coordinate moments past the first two
    /// coordinates (`METHOD_mean_i` for i > 2 and `METHOD_cov_ij` other than 11, 12, 22), which
    /// stay in metrics.csv. A d = 32 run has over a thousand moment columns.
    public func terminalColumns(dimension: Int) -> [String] {
        guard dimension > 2 else { return columns }
        return columns.filter { name in
            if let range = name.range(of: "_mean_", options: .backwards), Int(name[range.upperBound...]) != nil {
                return ["1", "2"].contains(String(name[range.upperBound...]))
            }
            if let range = name.range(of: "_cov_", options: .backwards), Int(name[range.upperBound...]) != nil {
                return ["11", "12", "22"].contains(String(name[range.upperBound...]))
            }
            return true
        }
    }
}
