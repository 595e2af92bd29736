/// Why `jko run … --resume` cannot continue a run folder; each names the fix.
public enum ResumeError: Error, Equatable, CustomStringConvertible {
    /// No folder at the path.
    case missingFolder(path: String)
    /// The folder's config.toml differs from the config the command resolves, first at `key`.
    case configDiffers(path: String, key: String, saved: String, requested: String)
    /// A finished step's file is missing or damaged and no checkpoint before it is left.
    case damagedStep(path: String, reason: String, step: Int)
    /// Under `mpirun`, this rank found another last complete step than rank 0 (the ranks
    /// do not see the same files).
    case ranksDisagree(path: String, rank: Int, step: Int?, rootStep: Int?)

    public var description: String {
        switch self {
        case let .missingFolder(path):
            return "there is no run folder \(path) to resume; drop --resume to start the run, or pass --out to name the folder of the run to continue"
        case let .configDiffers(path, key, saved, requested):
            return "cannot resume \(path): its config.toml has \(key) = \(saved) but this command gives \(key) = \(requested); drop --resume to start a new run (with --force to replace this one) or use --out to choose another folder"
        case let .damagedStep(path, reason, step):
            return "cannot resume: \(path) (step \(step)): \(reason), and no checkpoint before step \(step) is left to recompute it from; restore the file from a copy, or run the experiment again with --force"
        case let .ranksDisagree(path, rank, step, rootStep):
            let name = { (k: Int?) in k.map { "step \($0)" } ?? "no complete step" }
            return "cannot resume \(path) under mpirun: rank \(rank) finds \(name(step)) where rank 0 finds \(name(rootStep)); every rank must see the same run folder (a shared file system)"
        }
    }
}
