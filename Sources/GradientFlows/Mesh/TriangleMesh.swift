import Foundation
import NumericalCore
import Probability

/// The topology of a planar triangulation: `nodeCount` nodes and triangles given as node
/// triples, each listed counter-clockwise in the reference configuration.
///
/// Geometry lives outside the topology: a configuration is a flat array of node positions
/// `[nodeCount, 2]` row-major (x₀, y₀, x₁, y₁, …), so the moving-mesh JKO scheme
/// (``MeshJKO``) keeps one topology and updates positions only. The signed area of
/// triangle (a, b, c) is A = ½ [(x_b − x_a)(y_c − y_a) − (y_b − y_a)(x_c − x_a)]; positive
/// orientation means A > 0 for every triangle.
public struct TriangleMesh: Sendable, Equatable {
    /// Number of nodes n.
    public let nodeCount: Int
    /// Node indices, `[triangleCount, 3]` row-major, counter-clockwise.
    public let triangles: [Int]
    /// The positions the mesh was built with, `[nodeCount, 2]` row-major.
    public let referencePositions: [Double]

    public var triangleCount: Int { triangles.count / 3 }

    /// A mesh from explicit data; checks indices and that the reference configuration is
    /// positively oriented.
    public init(nodeCount: Int, triangles: [Int], referencePositions: [Double]) throws {
        guard nodeCount >= 3, !triangles.isEmpty, triangles.count % 3 == 0 else {
            throw GradientFlowError.invalidMesh("a mesh needs at least 3 nodes and a whole number of triangles (3 indices each); got \(nodeCount) nodes and \(triangles.count) indices")
        }
        guard referencePositions.count == 2 * nodeCount, referencePositions.allSatisfy(\.isFinite) else {
            throw GradientFlowError.invalidMesh("the mesh has \(nodeCount) nodes, so it needs \(2 * nodeCount) finite coordinates; got \(referencePositions.count)")
        }
        guard triangles.allSatisfy({ $0 >= 0 && $0 < nodeCount }) else {
            throw GradientFlowError.invalidMesh("a triangle refers to a node outside 0..<\(nodeCount); every index must name a node")
        }
        self.nodeCount = nodeCount
        self.triangles = triangles
        self.referencePositions = referencePositions
        if let t = firstNonPositiveTriangle(in: referencePositions) {
            throw GradientFlowError.invalidMesh("triangle \(t) of the reference mesh has area \(area(of: t, in: referencePositions)) ≤ 0; list every triangle counter-clockwise")
        }
    }

    /// The structured triangulation of the box `xRange × yRange` with `cellsX × cellsY`
    /// equal rectangular cells (see ``grid(xLines:yLines:)``).
    public static func rectangle(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                                 cellsX: Int, cellsY: Int) throws -> TriangleMesh {
        guard cellsX >= 1, cellsY >= 1 else {
            throw GradientFlowError.invalidMesh("a rectangle mesh needs at least one cell per side; got \(cellsX)×\(cellsY)")
        }
        let xs = (0...cellsX).map { xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * Double($0) / Double(cellsX) }
        let ys = (0...cellsY).map { yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * Double($0) / Double(cellsY) }
        return try grid(xLines: xs, yLines: ys)
    }

    /// The triangulation of the tensor grid with vertical lines `xLines` and horizontal
    /// lines `yLines` (each strictly increasing, at least 2), every rectangular cell cut
    /// along alternating diagonals (a "criss-cross" pattern: no preferred direction at the
    /// scale of two cells; every angle is ≥ 45° for square cells). Node j·xLines.count + i
    /// sits at (xLines[i], yLines[j]); 2(xLines.count − 1)(yLines.count − 1) triangles.
    public static func grid(xLines: [Double], yLines: [Double]) throws -> TriangleMesh {
        guard xLines.count >= 2, yLines.count >= 2,
              xLines.allSatisfy(\.isFinite), yLines.allSatisfy(\.isFinite),
              zip(xLines, xLines.dropFirst()).allSatisfy({ $0 < $1 }),
              zip(yLines, yLines.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw GradientFlowError.invalidMesh("a grid mesh needs at least 2 finite, strictly increasing lines per axis; got \(xLines.count) and \(yLines.count)")
        }
        let nx = xLines.count, cellsX = nx - 1, cellsY = yLines.count - 1
        var positions = [Double](repeating: 0, count: 2 * nx * yLines.count)
        for (j, y) in yLines.enumerated() {
            for (i, x) in xLines.enumerated() {
                positions[2 * (j * nx + i)] = x
                positions[2 * (j * nx + i) + 1] = y
            }
        }
        var triangles = [Int]()
        triangles.reserveCapacity(6 * cellsX * cellsY)
        for j in 0..<cellsY {
            for i in 0..<cellsX {
                let n00 = j * nx + i, n10 = n00 + 1, n01 = n00 + nx, n11 = n01 + 1
                if (i + j) % 2 == 0 {
                    triangles += [n00, n10, n11, n00, n11, n01]
                } else {
                    triangles += [n00, n10, n01, n10, n11, n01]
                }
            }
        }
        return try TriangleMesh(nodeCount: nx * yLines.count, triangles: triangles, referencePositions: positions)
    }

    /// Grid lines for a planar Gaussian mixture: the box edges of
    /// ``coveringBox(of:excludedMass:)`` and, between them, the points where the blended
    /// marginal CDF G(x) = (1 − β)F(x) + β(x − lo)/(hi − lo) reaches k/cells
    /// (k = 1, …, cells − 1), β = `uniformFraction`. With β = 0 these are the marginal
    /// quantiles (every column of cells carries 1/cells of the mass, but the two outer
    /// columns stretch over the whole tail, ≈ 3σ wide at 32 cells, and spreading their mass
    /// uniformly there inflates the covariance by ≈ 30 %); with β > 0 no cell is wider than
    /// (hi − lo)/(β·cells), so the start's W₂ error is O(1/cells) everywhere, while the bulk
    /// keeps cells of about equal mass (1 − β)/cells.
    public static func quantileLines(of mixture: GaussianMixture, cells: Int, excludedMass: Double,
                                     uniformFraction: Double = 0.25) throws -> (x: [Double], y: [Double]) {
        guard uniformFraction >= 0, uniformFraction < 1 else {
            throw GradientFlowError.invalidMesh("the uniform fraction of the quantile lines must lie in [0, 1); got \(uniformFraction)")
        }
        guard cells >= 2 else {
            throw GradientFlowError.invalidMesh("a quantile grid needs at least 2 cells per axis; got \(cells)")
        }
        let box = try coveringBox(of: mixture, excludedMass: excludedMass)
        func lines(axis: Int, _ range: ClosedRange<Double>) -> [Double] {
            func cdf(_ x: Double) -> Double {
                var s = 0.0
                for (w, c) in zip(mixture.weights, mixture.components) where w > 0 {
                    s += w * SpecialFunctions.normalCDF((x - c.mean[axis]) / c.covariance[axis, axis].squareRoot())
                }
                return s
            }
            let width = range.upperBound - range.lowerBound
            func blended(_ x: Double) -> Double {
                (1 - uniformFraction) * cdf(x) + uniformFraction * (x - range.lowerBound) / width
            }
            var out = [range.lowerBound]
            for k in 1..<cells {
                let p = Double(k) / Double(cells)
                var lo = range.lowerBound, hi = range.upperBound
                for _ in 0..<100 where hi - lo > 1e-13 * max(1, abs(lo)) {
                    let mid = 0.5 * (lo + hi)
                    if blended(mid) < p { lo = mid } else { hi = mid }
                }
                out.append(0.5 * (lo + hi))
            }
            out.append(range.upperBound)
            return out
        }
        return (lines(axis: 0, box.x), lines(axis: 1, box.y))
    }

    /// A box that holds all but at most `excludedMass` of a planar Gaussian mixture.
    ///
    /// Each component N(m, S) gets the box m ± z·√S_jj per axis with
    /// z = Φ⁻¹(1 − excludedMass/4); by the union bound over the 2 axes and 2 sides, the
    /// component puts at most excludedMass outside it, and so does the mixture outside
    /// the union of these boxes (the returned box).
    public static func coveringBox(of mixture: GaussianMixture, excludedMass: Double) throws
        -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        guard mixture.dimension == 2 else {
            throw GradientFlowError.dimensionMismatch("the mesh scheme is planar, but the start mixture has dimension \(mixture.dimension); give a 2D mixture")
        }
        guard excludedMass > 0, excludedMass < 1 else {
            throw GradientFlowError.invalidMesh("the mass left outside the mesh box must lie in (0, 1); got \(excludedMass)")
        }
        let z = SpecialFunctions.normalQuantile(1 - excludedMass / 4)
        var lo = [Double.infinity, .infinity], hi = [-Double.infinity, -.infinity]
        for (w, c) in zip(mixture.weights, mixture.components) where w > 0 {
            for k in 0..<2 {
                let half = z * c.covariance[k, k].squareRoot()
                lo[k] = min(lo[k], c.mean[k] - half)
                hi[k] = max(hi[k], c.mean[k] + half)
            }
        }
        return (lo[0]...hi[0], lo[1]...hi[1])
    }

    // MARK: Geometry of a configuration

    /// Signed area of triangle t in `positions` (`[nodeCount, 2]`).
    public func area(of t: Int, in positions: [Double]) -> Double {
        let a = triangles[3 * t], b = triangles[3 * t + 1], c = triangles[3 * t + 2]
        let ux = positions[2 * b] - positions[2 * a], uy = positions[2 * b + 1] - positions[2 * a + 1]
        let vx = positions[2 * c] - positions[2 * a], vy = positions[2 * c + 1] - positions[2 * a + 1]
        return 0.5 * (ux * vy - uy * vx)
    }

    /// Signed areas of all triangles, length `triangleCount`.
    public func areas(in positions: [Double]) -> [Double] {
        (0..<triangleCount).map { area(of: $0, in: positions) }
    }

    /// The first triangle with signed area ≤ 0 (or non-finite), if any.
    public func firstNonPositiveTriangle(in positions: [Double]) -> Int? {
        for t in 0..<triangleCount {
            let a = area(of: t, in: positions)
            if !(a > 0) || !a.isFinite { return t }
        }
        return nil
    }

    /// The smallest interior angle over all triangles, in degrees.
    public func minimumAngle(in positions: [Double]) -> Double {
        var smallest = Double.pi
        for t in 0..<triangleCount {
            for k in 0..<3 {
                let p = triangles[3 * t + k], q = triangles[3 * t + (k + 1) % 3], r = triangles[3 * t + (k + 2) % 3]
                let ux = positions[2 * q] - positions[2 * p], uy = positions[2 * q + 1] - positions[2 * p + 1]
                let vx = positions[2 * r] - positions[2 * p], vy = positions[2 * r + 1] - positions[2 * p + 1]
                smallest = min(smallest, Foundation.atan2(abs(ux * vy - uy * vx), ux * vx + uy * vy))
            }
        }
        return smallest * 180 / Double.pi
    }

    /// For every node, the sorted list of nodes that share a triangle with it (itself
    /// included): the sparsity pattern of the scheme's Hessian in node blocks.
    public func nodeNeighbourhoods() -> [[Int]] {
        var sets = [Set<Int>](repeating: [], count: nodeCount)
        for t in 0..<triangleCount {
            for r in 0..<3 { for s in 0..<3 { sets[triangles[3 * t + r]].insert(triangles[3 * t + s]) } }
        }
        for i in 0..<nodeCount { sets[i].insert(i) }
        return sets.map { $0.sorted() }
    }

    /// The sub-mesh of the triangles for which `keep(t)` holds, with only their nodes,
    /// renumbered in order of first use: node positions `[2·nodes]` (from
    /// `referencePositions`), triangle corners `[3·kept]`, and the indices of the kept
    /// triangles in this mesh (in order).
    public func keeping(_ keep: (Int) -> Bool) -> (positions: [Double], triangles: [Int], kept: [Int]) {
        var newIndex = [Int](repeating: -1, count: nodeCount)
        var positions = [Double](), corners = [Int](), kept = [Int]()
        for t in 0..<triangleCount where keep(t) {
            for r in 0..<3 {
                let node = triangles[3 * t + r]
                if newIndex[node] < 0 {
                    newIndex[node] = positions.count / 2
                    positions += [referencePositions[2 * node], referencePositions[2 * node + 1]]
                }
                corners.append(newIndex[node])
            }
            kept.append(t)
        }
        return (positions, corners, kept)
    }
}
