/// A binary min-heap of (distance, column) pairs for Dijkstra on a sparse graph, with lazy
/// deletion: a column is pushed again when its distance drops, and stale pairs are skipped
/// by the caller when popped. Push and pop are O(log size); storage grows as needed and is
/// kept between searches (`removeAll` only resets the count).
struct ColumnHeap {
    private var key: [Double] = []
    private var column: [Int] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func removeAll() { count = 0 }

    mutating func push(_ distance: Double, _ j: Int) {
        if count == key.count {
            key.append(distance)
            column.append(j)
        }
        key.withUnsafeMutableBufferPointer { k in
            column.withUnsafeMutableBufferPointer { c in
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
            }
        }
        count += 1
    }

    /// Removes and returns the pair of smallest distance; the heap must not be empty.
    mutating func pop() -> (distance: Double, column: Int) {
        count -= 1
        let last = count
        return key.withUnsafeMutableBufferPointer { k in
            column.withUnsafeMutableBufferPointer { c in
                let top = (k[0], c[0])
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
        }
    }
}
