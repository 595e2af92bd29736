/// A binary min-heap of (distance, column) pairs for Dijkstra on a sparse graph, with lazy
/// deletion: a column is pushed again when its distance drops, and stale pairs are skipped
/// by the caller when popped. Push and pop are O(log size). Storage is raw memory that
/// doubles when full and is kept between searches (`removeAll` only resets the count), so
/// the hot loop has no copy-on-write or exclusivity checks.
final class ColumnHeap {
    private var key: UnsafeMutablePointer<Double>
    private var column: UnsafeMutablePointer<Int>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        key = .allocate(capacity: self.capacity)
        column = .allocate(capacity: self.capacity)
    }

    deinit {
        key.deallocate()
        column.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    func removeAll() { count = 0 }

    func push(_ distance: Double, _ j: Int) {
        if count == capacity { grow() }
        let k = key, c = column
        var p = count
        while p > 0 {
            let parent = (p - 1) >> 1
            if k[parent] <= distance { break }
            k[p] = k[parent]
            c[p] = c[parent]
            p = parent
        }
        k[p] = distance
        c[p] = j
        count += 1
    }

    /// Removes and returns the pair of smallest distance; the heap must not be empty.
    func pop() -> (distance: Double, column: Int) {
        let k = key, c = column
        let top = (k[0], c[0])
        count -= 1
        let last = count
        let movedKey = k[last], movedColumn = c[last]
        var p = 0
        while true {
            let l = 2 * p + 1
            if l >= last { break }
            let r = l + 1
            let child = r < last && k[r] < k[l] ? r : l
            if k[child] >= movedKey { break }
            k[p] = k[child]
            c[p] = c[child]
            p = child
        }
        k[p] = movedKey
        c[p] = movedColumn
        return top
    }

    private func grow() {
        let newKey = UnsafeMutablePointer<Double>.allocate(capacity: 2 * capacity)
        let newColumn = UnsafeMutablePointer<Int>.allocate(capacity: 2 * capacity)
        newKey.moveInitialize(from: key, count: count)
        newColumn.moveInitialize(from: column, count: count)
        key.deallocate()
        column.deallocate()
        key = newKey
        column = newColumn
        capacity *= 2
    }
}
