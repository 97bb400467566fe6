extension JSONByteParser {
    /// A growable stack that moves elements in and out instead of copying them.
    ///
    /// With `[Element]`, closing a container would copy its elements into the
    /// finished array and then destroy the originals (a retain and a release
    /// each); moving costs neither. Owns its buffer and destroys the elements
    /// still on it when it goes away, including when parsing throws halfway.
    struct Stack<Element>: ~Copyable {
        private var base: UnsafeMutablePointer<Element>
        private var capacity: Int
        private(set) var count = 0

        init(capacity: Int) {
            self.capacity = max(capacity, 1)
            self.base = .allocate(capacity: self.capacity)
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }

        mutating func push(_ element: consuming Element) {
            if count == capacity { grow() }
            (base + count).initialize(to: element)
            count += 1
        }

        /// Removes and returns the top element; the stack must not be empty.
        mutating func popLast() -> Element {
            count -= 1
            return (base + count).move()
        }

        /// Moves the elements from `start` to the top into a new array of exactly that size.
        mutating func popArray(from start: Int) -> [Element] {
            // reserveCapacity + append, rather than Array(unsafeUninitializedCapacity:),
            // because only this path is specialized by the compiler; the other
            // looks up the array's generic metadata at run time on every call.
            var array: [Element] = []
            array.reserveCapacity(count - start)
            for position in start..<count {
                array.append((base + position).move())
            }
            count = start
            return array
        }

        private mutating func grow() {
            let newCapacity = capacity * 2
            let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
    }
}
