import Foundation

/// The per-step files of a run as a whole: listing them and removing those after a step,
/// which is how a resumed run drops the partial step a kill left behind.
extension RunFolder {
    /// The steps `KKKK` of the files `step-KKKK.EXT` in `folder`, ascending (none when
    /// the folder is missing).
    func steps(in folder: URL, fileExtension: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("step-"), name.hasSuffix("." + fileExtension) else { return nil }
            return Int(name.dropFirst(5).dropLast(fileExtension.count + 1))
        }.sorted()
    }

    /// Removes every per-step file of a step after `step` (samples, densities,
    /// checkpoints of each method; `step` = −1 removes them all), and the temporary files
    /// of writes that a kill interrupted (`.NAME.tmp-PID`, see ``AtomicFile``).
    public func removeSteps(after step: Int, methods: [String], reference: String) throws {
        guard writes else { return }
        let fm = FileManager.default
        var folders: [(URL, String?)] = [(url, nil)]
        for method in methods {
            folders.append((samplesURL(step: 0, method: method, reference: reference).deletingLastPathComponent(), "npy"))
            folders.append((densityURL(step: 0, method: method, reference: reference).deletingLastPathComponent(), "npy"))
            folders.append((checkpointURL(step: 0, method: method).deletingLastPathComponent(), "safetensors"))
            folders.append((trainingURL(step: 0, method: method).deletingLastPathComponent(), "npy"))
            folders.append((samplerURL(step: 0, method: method).deletingLastPathComponent(), "safetensors"))
        }
        for (folder, fileExtension) in folders {
            if let fileExtension {
                for later in steps(in: folder, fileExtension: fileExtension) where later > step {
                    try fm.removeItem(at: folder.appendingPathComponent(String(format: "step-%04d.\(fileExtension)", later)))
                }
            }
            let names = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
                try fm.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }
}

extension RunFolder {
    /// `training/METHOD/step-KKKK.npy`: a neural method's losses during step K, `[entries, 2]`
    /// (potential loss, map loss; each entry the mean over a stride of iterations).
    public func trainingURL(step: Int, method: String) -> URL {
        url.appendingPathComponent("training").appendingPathComponent(method).appendingPathComponent(String(format: "step-%04d.npy", step))
    }
}

extension RunFolder {
    /// `samplers/METHOD/step-KKKK.safetensors`: the weights that sample step K of a neural
    /// method (S-JKO: the map T_{K−1}; chain: the maps T_0…T_{K−1}), kept for every step.
    public func samplerURL(step: Int, method: String) -> URL {
        url.appendingPathComponent("samplers").appendingPathComponent(method).appendingPathComponent(String(format: "step-%04d.safetensors", step))
    }
}

extension RunFolder {
    /// `samples/grid-KKKK.png`: image samples of step K (image runs, EMA weights).
    public func sampleGridURL(step: Int) -> URL {
        url.appendingPathComponent("samples").appendingPathComponent(String(format: "grid-%04d.png", step))
    }
}
