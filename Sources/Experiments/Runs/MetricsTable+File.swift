import Foundation
import NumericalCore

extension MetricsTable {
    /// Reads a run's `metrics.csv` (or `metrics-eval.csv`) and checks its `step` column:
    /// the first column, holding 0, 1, 2, … in order, so a deleted or repeated row is found
    /// by its step number, not by counting rows. Each failure is
    /// ``RunFolder/RunFolderError/badMetrics(path:reason:)`` naming the file and the fix.
    public static func read(_ url: URL) throws -> MetricsTable {
        let again = "run the experiment again with 'jko run CONFIG --force --out FOLDER'"
        let data: Data
        do { data = try FileSystem.read(url) } catch let error as FileAccessError {
            throw RunFolder.RunFolderError.badMetrics(path: url.path, reason: error.code == ENOENT
                ? "it is missing (the run wrote no step yet, or it was deleted); \(again)"
                : "\(error.reason); \(error.fix)")
        }
        guard let text = String(data: data, encoding: .utf8), !text.contains("\0") else {
            throw RunFolder.RunFolderError.badMetrics(path: url.path, reason: "it is not text (damaged); \(again)")
        }
        let table: MetricsTable
        do { table = try MetricsTable(csv: text) } catch let error as ParseError {
            let fix = error.line == 1 ? again
                : "delete that line and those after it ('jko run … --resume' then recomputes those steps), or \(again)"
            throw RunFolder.RunFolderError.badMetrics(path: url.path, reason: "\(error); \(fix)")
        }
        guard table.columns.first == "step", let steps = table.column("step") else {
            throw RunFolder.RunFolderError.badMetrics(path: url.path, reason: "its header does not start with the 'step' column, so it was not written by 'jko run' (or its header is damaged); \(again)")
        }
        for (row, step) in steps.enumerated() where step != Double(row) {
            let found = MetricsTable.format(step)
            let what = row == 0 ? "its first row is step \(found), not step 0"
                : "it has no row for step \(row) (the row after step \(row - 1) is step \(found)); a row was deleted or repeated"
            throw RunFolder.RunFolderError.badMetrics(path: url.path, reason: "\(what); \(again)")
        }
        return table
    }
}
