/// The primal network simplex method for the uncapacitated transportation problem on an
/// explicit, growing set of arcs (Dantzig 1951; Ahuja, Magnanti & Orlin, *Network Flows*,
/// 1993, ch. 11; the spanning-tree bookkeeping — parent, thread, subtree sizes, last
/// successors — and the block-search pricing follow Kovács, *Minimum-cost flow algorithms:
/// an experimental evaluation*, Optim. Methods Softw. 2015, as in LEMON and in POT's `emd`).
///
///   minimise Σₑ cₑ xₑ  over flows x ≥ 0 on arcs i → j (source i, target j)
///   with Σⱼ xᵢⱼ = aᵢ (supply) and Σᵢ xᵢⱼ = bⱼ (demand),   Σ a = Σ b.
///
/// Nodes: sources 0 ..< n, targets n ..< n + m, and an artificial root n + m joined to one
/// node by a zero-cost arc of zero flow (arc 0; it is never priced and never on a cycle, so
/// it never leaves the tree). A basis is a spanning tree; node potentials π make every tree
/// arc's reduced cost cₑ + π(source) − π(target) zero. Each pivot brings in the arc of most
/// negative reduced cost within a block of about √(arc count) arcs, pushes flow around the
/// cycle it closes, and drops the blocking arc chosen by the strongly-feasible-tree rule
/// (the last blocking arc met from the cycle's apex), which rules out cycling under
/// degeneracy. With no arc below −``pricingTolerance`` the flow is optimal on the current
/// arcs; callers may then add arcs (``addArc(source:target:cost:)``) and continue, which is
/// how ``NetworkSimplexTransportSolver`` certifies a sparse candidate graph on the full
/// cost matrix.
///
/// Duals: fᵢ = −πᵢ, gⱼ = π(n + j) satisfy fᵢ + gⱼ = Cᵢⱼ on tree arcs and fᵢ + gⱼ ≤ Cᵢⱼ + τ on
/// every priced arc at the end. Cost per pivot: a block of pricing plus O(depth) for the
/// cycle and O(size of the moved subtree) for the potentials.
struct NetworkSimplex {
    let sourceCount: Int, targetCount: Int
    var root: Int { sourceCount + targetCount }
    /// Arc data; arc 0 is the artificial root arc.
    private(set) var arcSource: [Int] = [], arcTarget: [Int] = [], arcCost: [Double] = [], flow: [Double] = []
    /// 1 for an arc at its lower bound (priced), 0 for a tree arc.
    private var arcState: [Double] = []
    /// Node data, length n + m + 1.
    private(set) var potential: [Double]
    private var parent: [Int], predecessor: [Int], direction: [Int], thread: [Int], reverseThread: [Int]
    private var successorCount: [Int], lastSuccessor: [Int]
    private var dirty: [Int] = []
    /// Arcs with reduced cost below −pricingTolerance may enter.
    let pricingTolerance: Double
    private var nextArc = 1
    private(set) var pivots = 0

    // The current pivot.
    private var inArc = 0, join = 0, uIn = 0, vIn = 0, uOut = 0, delta = 0.0

    var arcCount: Int { arcSource.count }

    /// A basis from a spanning tree of n + m − 1 arcs (i, j, flow) carrying a feasible flow
    /// (j is a target index in 0 ..< m); the root is attached to source `hub`.
    init(sourceCount n: Int, targetCount m: Int, treeArcs: [(source: Int, target: Int, flow: Double)],
         cost: (Int, Int) -> Double, hub: Int, pricingTolerance: Double) {
        sourceCount = n
        targetCount = m
        self.pricingTolerance = pricingTolerance
        let nodes = n + m + 1
        potential = [Double](repeating: 0, count: nodes)
        parent = [Int](repeating: -1, count: nodes)
        predecessor = parent
        direction = [Int](repeating: 0, count: nodes)
        thread = parent
        reverseThread = parent
        successorCount = [Int](repeating: 1, count: nodes)
        lastSuccessor = parent
        appendArc(hub, n + m, 0, flow: 0, inTree: true)
        for arc in treeArcs { appendArc(arc.source, n + arc.target, cost(arc.source, arc.target), flow: arc.flow, inTree: true) }
        buildTree()
    }

    /// Adds a priced arc from source i to target j (0 ..< m) at flow zero.
    mutating func addArc(source i: Int, target j: Int, cost c: Double) {
        appendArc(i, sourceCount + j, c, flow: 0, inTree: false)
    }

    private mutating func appendArc(_ u: Int, _ v: Int, _ c: Double, flow x: Double, inTree: Bool) {
        arcSource.append(u); arcTarget.append(v); arcCost.append(c); flow.append(x)
        arcState.append(inTree ? 0 : 1)
    }

    /// Parent, predecessor arc, thread (preorder, cyclic through the root), subtree sizes,
    /// last successors and potentials of the tree formed by the arcs in the tree state.
    private mutating func buildTree() {
        let nodes = root + 1
        var adjacency = [[Int]](repeating: [], count: nodes)
        for e in 0..<arcCount where arcState[e] == 0 {
            adjacency[arcSource[e]].append(e)
            adjacency[arcTarget[e]].append(e)
        }
        var order = [Int](), stack = [root]
        order.reserveCapacity(nodes)
        var visited = [Bool](repeating: false, count: nodes)
        visited[root] = true
        while let u = stack.popLast() {
            order.append(u)
            for e in adjacency[u] {
                let v = arcSource[e] == u ? arcTarget[e] : arcSource[e]
                guard !visited[v] else { continue }
                visited[v] = true
                parent[v] = u
                predecessor[v] = e
                if arcSource[e] == v {   // arc v → parent: "up"
                    direction[v] = 1
                    potential[v] = potential[u] - arcCost[e]
                } else {
                    direction[v] = -1
                    potential[v] = potential[u] + arcCost[e]
                }
                stack.append(v)
            }
        }
        precondition(order.count == nodes, "NetworkSimplex: the initial arcs must form a spanning tree")
        var position = [Int](repeating: 0, count: nodes)
        for (k, u) in order.enumerated() {
            position[u] = k
            thread[u] = order[(k + 1) % nodes]
            reverseThread[order[(k + 1) % nodes]] = u
        }
        for u in order.reversed() where u != root { successorCount[parent[u]] += successorCount[u] }
        for u in order { lastSuccessor[u] = order[position[u] + successorCount[u] - 1] }
    }

    /// Recomputes every potential from the root along the thread (preorder), so that tree
    /// arcs have reduced cost exactly zero again after many incremental shifts.
    mutating func refreshPotentials() {
        potential[root] = 0
        var u = thread[root]
        while u != root {
            let e = predecessor[u], p = parent[u]
            potential[u] = direction[u] == 1 ? potential[p] - arcCost[e] : potential[p] + arcCost[e]
            u = thread[u]
        }
    }

    /// Pivots until no priced arc has reduced cost below −τ; false when the pivot budget ran out.
    mutating func run(maximumPivots: Int) -> Bool {
        while pivots < maximumPivots {
            guard let e = findEnteringArc() else { return true }
            inArc = e
            findJoinNode()
            findLeavingArc()
            changeFlow()
            updateTreeStructure()
            updatePotential()
            pivots += 1
        }
        return false
    }

    /// Block search: the most negative reduced cost in the first block (cyclically from where
    /// the last search stopped) that holds any arc below −τ.
    private mutating func findEnteringArc() -> Int? {
        let count = arcCount
        guard count > 1 else { return nil }
        let block = max(10, Int(Double(count - 1).squareRoot()))
        var best = -pricingTolerance, found = -1
        var e = nextArc, left = block
        arcSource.withUnsafeBufferPointer { s in
            arcTarget.withUnsafeBufferPointer { t in
                arcCost.withUnsafeBufferPointer { c in
                    arcState.withUnsafeBufferPointer { state in
                        potential.withUnsafeBufferPointer { pi in
                            for _ in 1..<count {
                                let r = state[e] * (c[e] + pi[s[e]] - pi[t[e]])
                                if r < best { best = r; found = e }
                                e += 1
                                if e == count { e = 1 }
                                left -= 1
                                if left == 0 {
                                    if found >= 0 { break }
                                    left = block
                                }
                            }
                        }
                    }
                }
            }
        }
        nextArc = e
        return found >= 0 ? found : nil
    }

    private mutating func findJoinNode() {
        var u = arcSource[inArc], v = arcTarget[inArc]
        while u != v {
            if successorCount[u] < successorCount[v] { u = parent[u] } else { v = parent[v] }
        }
        join = u
    }

    /// The blocking arc of the cycle (no capacities: only arcs whose flow the cycle lowers).
    private mutating func findLeavingArc() {
        let first = arcSource[inArc], second = arcTarget[inArc]
        delta = .infinity
        var side = 0
        var u = first
        while u != join {
            if direction[u] == 1, flow[predecessor[u]] < delta { delta = flow[predecessor[u]]; uOut = u; side = 1 }
            u = parent[u]
        }
        u = second
        while u != join {
            if direction[u] == -1, flow[predecessor[u]] <= delta { delta = flow[predecessor[u]]; uOut = u; side = 2 }
            u = parent[u]
        }
        precondition(side != 0, "NetworkSimplex: unbounded cycle (a negative-cost cycle without a blocking arc)")
        if side == 1 { uIn = first; vIn = second } else { uIn = second; vIn = first }
    }

    private mutating func changeFlow() {
        if delta > 0 {
            flow[inArc] += delta
            var u = arcSource[inArc]
            while u != join { flow[predecessor[u]] -= Double(direction[u]) * delta; u = parent[u] }
            u = arcTarget[inArc]
            while u != join { flow[predecessor[u]] += Double(direction[u]) * delta; u = parent[u] }
        }
        arcState[inArc] = 0
        flow[predecessor[uOut]] = 0
        arcState[predecessor[uOut]] = 1
    }

    /// Re-hangs the subtree cut off by the leaving arc from the entering arc: reverses the
    /// stem (the tree path from uIn to uOut), splices the thread, and updates subtree sizes
    /// and last successors on the paths to the join node.
    private mutating func updateTreeStructure() {
        let oldReverseThread = reverseThread[uOut], oldSuccessorCount = successorCount[uOut]
        let oldLastSuccessor = lastSuccessor[uOut]
        let vOut = parent[uOut]
        if uIn == uOut {
            parent[uIn] = vIn
            predecessor[uIn] = inArc
            direction[uIn] = uIn == arcSource[inArc] ? 1 : -1
            if thread[vIn] != uOut {
                var after = thread[oldLastSuccessor]
                thread[oldReverseThread] = after
                reverseThread[after] = oldReverseThread
                after = thread[vIn]
                thread[vIn] = uOut
                reverseThread[uOut] = vIn
                thread[oldLastSuccessor] = after
                reverseThread[after] = oldLastSuccessor
            }
        } else {
            let threadContinue = oldReverseThread == vIn ? thread[oldLastSuccessor] : thread[vIn]
            var stem = uIn, parentStem = vIn
            var last = lastSuccessor[uIn]
            var after = thread[last]
            thread[vIn] = uIn
            dirty.removeAll(keepingCapacity: true)
            dirty.append(vIn)
            while stem != uOut {
                let nextStem = parent[stem]
                thread[last] = nextStem
                dirty.append(last)
                let before = reverseThread[stem]
                thread[before] = after
                reverseThread[after] = before
                parent[stem] = parentStem
                parentStem = stem
                stem = nextStem
                last = lastSuccessor[stem] == lastSuccessor[parentStem] ? reverseThread[parentStem] : lastSuccessor[stem]
                after = thread[last]
            }
            parent[uOut] = parentStem
            thread[last] = threadContinue
            reverseThread[threadContinue] = last
            lastSuccessor[uOut] = last
            if oldReverseThread != vIn {
                thread[oldReverseThread] = after
                reverseThread[after] = oldReverseThread
            }
            for u in dirty { reverseThread[thread[u]] = u }
            var count = 0
            let last0 = lastSuccessor[uOut]
            var u = uOut, p = parent[u]
            while u != uIn {
                predecessor[u] = predecessor[p]
                direction[u] = -direction[p]
                count += successorCount[u] - successorCount[p]
                successorCount[u] = count
                lastSuccessor[p] = last0
                u = p
                p = parent[u]
            }
            predecessor[uIn] = inArc
            direction[uIn] = uIn == arcSource[inArc] ? 1 : -1
            successorCount[uIn] = oldSuccessorCount
        }
        let upLimitOut = lastSuccessor[join] == vIn ? join : -1
        let lastSuccessorOut = lastSuccessor[uOut]
        var u = vIn
        while u != -1 && lastSuccessor[u] == vIn { lastSuccessor[u] = lastSuccessorOut; u = parent[u] }
        if join != oldReverseThread && vIn != oldReverseThread {
            u = vOut
            while u != upLimitOut && lastSuccessor[u] == oldLastSuccessor { lastSuccessor[u] = oldReverseThread; u = parent[u] }
        } else if lastSuccessorOut != oldLastSuccessor {
            u = vOut
            while u != upLimitOut && lastSuccessor[u] == oldLastSuccessor { lastSuccessor[u] = lastSuccessorOut; u = parent[u] }
        }
        u = vIn
        while u != join { successorCount[u] += oldSuccessorCount; u = parent[u] }
        u = vOut
        while u != join { successorCount[u] -= oldSuccessorCount; u = parent[u] }
    }

    /// Shifts the potentials of the moved subtree so the entering arc's reduced cost is zero.
    private mutating func updatePotential() {
        let sigma = potential[vIn] - potential[uIn] - Double(direction[uIn]) * arcCost[inArc]
        let end = thread[lastSuccessor[uIn]]
        var u = uIn
        while u != end { potential[u] += sigma; u = thread[u] }
    }
}
