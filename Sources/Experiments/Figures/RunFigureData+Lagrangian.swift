import Foundation
import GradientFlows
import NumericalCore

/// The Lagrangian maps of the exact particle schemes: the positions of their own particles
/// or mesh nodes at every step, so the maps they compute are drawn as they are (no OT
/// between samples).
///
/// - `particle-jko` (1D): its saved samples are its particles, in mass order at every step.
/// - `mesh-jko` (2D): the node positions of its moving mesh, replayed with the run's own
///   ``MeshJKOMethod`` (same config, same start mesh; the scheme is deterministic), with the
///   triangles for drawing the mesh, up to the step before its first remap (a remap
///   replaces the nodes, so their paths end there; figures past it fall back to discrete
///   OT maps).
///
/// A future Lagrangian method plugs in with one more case in `lagrangianTrajectory(of:)`.
public struct LagrangianTrajectory {
    /// Node positions `[nodes, d]` at steps 0…count − 1.
    public let positions: [Matrix]
    /// Triangles (three node indices each) for a mesh; nil for particles.
    public let triangles: [Int]?
}

/// Memoised replays (one per method and run), shared by the figures of one `RunFigureData`.
final class LagrangianCache {
    var trajectories: [String: LagrangianTrajectory?] = [:]
}

extension RunFigureData {
    /// The trajectory of a Lagrangian method over the completed steps, or nil when the method
    /// has no particles of its own.
    public func lagrangianTrajectory(of method: String) -> LagrangianTrajectory? {
        if let done = lagrangianCache.trajectories[method] { return done }
        let made = makeTrajectory(of: method)
        lagrangianCache.trajectories[method] = made
        return made
    }

    private func makeTrajectory(of method: String) -> LagrangianTrajectory? {
        guard methods.contains(method) else { return nil }
        let steps = completedSteps
        switch method {
        case "particle-jko":
            let positions = steps.compactMap { samples(method, step: $0) }
            guard positions.count == steps.count, Set(positions.map(\.rows)).count == 1 else { return nil }
            return LagrangianTrajectory(positions: positions, triangles: nil)
        case "mesh-jko":
            let index = methods.firstIndex(of: method)!
            guard let replay = try? MeshJKOMethod(config: config, generator: MethodRegistry.generator(seed: config.seed, methodIndex: index))
            else { return nil }
            var state = replay.state
            var positions = [Matrix(rows: state.mesh.nodeCount, columns: 2, elements: state.positions)]
            for _ in steps.dropFirst() {
                guard let next = try? replay.jko.step(from: state), next.remapCount == state.remapCount else { break }
                state = next
                positions.append(Matrix(rows: state.mesh.nodeCount, columns: 2, elements: state.positions))
            }
            return LagrangianTrajectory(positions: positions, triangles: state.mesh.triangles)
        default:
            return nil
        }
    }
}
