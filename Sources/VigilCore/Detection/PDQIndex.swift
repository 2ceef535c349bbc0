/// An index of PDQ hashes that answers "every hash within distance d" exactly as a linear scan
/// does, in far fewer comparisons: multi-index hashing. Each hash is cut into 16 slots of 16 bits;
/// two hashes within distance d agree within ⌊d/16⌋ bits on at least one slot (pigeonhole), so
/// the candidates are the hashes whose slot value is that close to the query's in some slot, and
/// only they are compared in full. Each slot is a table of 65,536 buckets in one flat array.
///
/// Built once from a list; ``PDQMatcher`` adds hashes that arrive after the build.
public struct PDQIndex: Sendable {
    /// The hashes, in the order given; a match reports its position.
    public let hashes: [PDQHash]
    /// Per slot, where each of the 65,536 bucket values starts in ``ids`` (65,537 offsets).
    private let offsets: [[UInt32]]
    /// Per slot, the positions of the hashes grouped by their value in that slot.
    private let ids: [[UInt32]]

    /// The largest distance the slots answer; beyond it, queries scan every hash.
    public static let maxIndexedDistance = 47

    public init(_ hashes: [PDQHash]) {
        precondition(hashes.count < Int(UInt32.max), "at most 4 billion hashes per index")
        self.hashes = hashes
        var offsets: [[UInt32]] = []
        var ids: [[UInt32]] = []
        offsets.reserveCapacity(16)
        ids.reserveCapacity(16)
        for slot in 0..<16 {
            var counts = [UInt32](repeating: 0, count: 65_537)
            for hash in hashes { counts[Int(Self.slot(hash, slot)) + 1] += 1 }
            for value in 0..<65_536 { counts[value + 1] += counts[value] }
            var next = counts
            var bucket = [UInt32](repeating: 0, count: hashes.count)
            for (position, hash) in hashes.enumerated() {
                let value = Int(Self.slot(hash, slot))
                bucket[Int(next[value])] = UInt32(position)
                next[value] += 1
            }
            offsets.append(counts)
            ids.append(bucket)
        }
        self.offsets = offsets
        self.ids = ids
    }

    /// Bits `16·slot … 16·slot+15` of the hash.
    static func slot(_ hash: PDQHash, _ slot: Int) -> UInt16 {
        let word = switch slot >> 2 {
        case 0: hash.words.0
        case 1: hash.words.1
        case 2: hash.words.2
        default: hash.words.3
        }
        return UInt16(truncatingIfNeeded: word >> UInt64((slot & 3) * 16))
    }

    /// The positions of every hash within `distance` of `query`, ascending, with their distances.
    public func matches(_ query: PDQHash, within distance: Int) -> [(position: Int, distance: Int)] {
        guard distance >= 0 else { return [] }
        guard distance <= Self.maxIndexedDistance else { return scan(query, within: distance) }
        let radius = distance / 16
        var seen = Set<UInt32>()
        var found: [(position: Int, distance: Int)] = []
        for slot in 0..<16 {
            let value = Self.slot(query, slot)
            Self.neighbours(of: value, radius: radius) { probe in
                let start = Int(offsets[slot][Int(probe)]), end = Int(offsets[slot][Int(probe) + 1])
                guard start < end else { return }
                for index in start..<end {
                    let position = ids[slot][index]
                    guard seen.insert(position).inserted else { continue }
                    let d = query.distance(to: hashes[Int(position)])
                    if d <= distance { found.append((Int(position), d)) }
                }
            }
        }
        return found.sorted { $0.position < $1.position }
    }

    /// Every hash compared with the query: what the index must agree with, and the fallback for
    /// distances the slots cannot bound.
    public func scan(_ query: PDQHash, within distance: Int) -> [(position: Int, distance: Int)] {
        var found: [(position: Int, distance: Int)] = []
        for (position, hash) in hashes.enumerated() {
            let d = query.distance(to: hash)
            if d <= distance { found.append((position, d)) }
        }
        return found
    }

    /// Calls `body` with every 16-bit value within `radius` bits of `value` (radius 0, 1 or 2).
    static func neighbours(of value: UInt16, radius: Int, _ body: (UInt16) -> Void) {
        body(value)
        guard radius >= 1 else { return }
        for a in 0..<16 {
            body(value ^ (1 << a))
            guard radius >= 2 else { continue }
            for b in (a + 1)..<16 { body(value ^ (1 << a) ^ (1 << b)) }
        }
    }

    /// Approximate memory held, in bytes: the hashes, and per slot its offsets and positions.
    public var memoryBytes: Int { hashes.count * 32 + 16 * (65_537 * 4 + hashes.count * 4) }
}

/// An index plus the hashes added since it was built, searched together: new hashes are
/// matchable at once (a linear scan of the few added), and ``rebuilt()`` folds them in.
public struct PDQMatcher: Sendable {
    public private(set) var index: PDQIndex
    public private(set) var added: [PDQHash] = []

    public init(_ hashes: [PDQHash] = []) { index = PDQIndex(hashes) }

    public var count: Int { index.hashes.count + added.count }

    public mutating func add(_ hash: PDQHash) { added.append(hash) }

    /// The hash at a position (build order, then the order added).
    public func hash(at position: Int) -> PDQHash {
        position < index.hashes.count ? index.hashes[position] : added[position - index.hashes.count]
    }

    /// Positions (in build order, then the order added) within `distance`.
    public func matches(_ query: PDQHash, within distance: Int) -> [(position: Int, distance: Int)] {
        var found = index.matches(query, within: distance)
        let base = index.hashes.count
        for (offset, hash) in added.enumerated() {
            let d = query.distance(to: hash)
            if d <= distance { found.append((base + offset, d)) }
        }
        return found
    }

    /// The same hashes, all in the index.
    public func rebuilt() -> PDQMatcher {
        PDQMatcher(index.hashes + added)
    }
}
