import Foundation

/// An index of PDQ hashes that answers "every hash within distance d" exactly as a linear scan
/// does, in far fewer comparisons: multi-index hashing. Each hash is cut into `m` slots of about
/// 256/m bits; two hashes within distance d agree within ⌊d/m⌋ bits on at least one slot
/// (pigeonhole), so the candidates are the hashes whose slot value is that close to the query's in
/// some slot, and only they are compared in full.
///
/// The slot count follows the index's size: 16 slots of 16 bits (a radius of 1 bit at d = 31) up
/// to a few million hashes; beyond, fewer and wider slots (radius 2), so buckets stay small: at 10
/// million, 16-bit buckets hold 150 hashes each and a lookup compares ~40,000, where 12 slots of
/// 21–22 bits compare ~13,000 (``slotCount(for:)``). Each slot is a table of 2^width buckets in
/// one flat array.
///
/// Built once from a list; ``PDQMatcher`` adds hashes that arrive after the build.
public struct PDQIndex: Sendable {
    /// The hashes, in the order given; a match reports its position.
    public let hashes: [PDQHash]
    /// Each slot's first bit and width.
    public let slots: [(start: Int, width: Int)]
    /// Per slot, where each bucket value starts in ``ids`` (2^width + 1 offsets).
    private let offsets: [[UInt32]]
    /// Per slot, the positions of the hashes grouped by their value in that slot.
    private let ids: [[UInt32]]

    /// The largest distance the slots answer (radius 2 at most); beyond it, queries scan every hash.
    public var maxIndexedDistance: Int { 3 * slots.count - 1 }

    /// Builds with the slot count that suits the size, or `slotCount` (11 to 16) when given.
    public init(_ hashes: [PDQHash], slotCount: Int? = nil) {
        precondition(hashes.count < Int(UInt32.max), "at most 4 billion hashes per index")
        self.hashes = hashes
        let count = slotCount.map { min(16, max(11, $0)) } ?? Self.slotCount(for: hashes.count)
        // 256 bits in `count` slots: the first `256 % count` one bit wider.
        var slots: [(start: Int, width: Int)] = []
        var start = 0
        for slot in 0..<count {
            let width = 256 / count + (slot < 256 % count ? 1 : 0)
            slots.append((start, width))
            start += width
        }
        self.slots = slots
        var offsets: [[UInt32]] = []
        var ids: [[UInt32]] = []
        for (start, width) in slots {
            var counts = [UInt32](repeating: 0, count: (1 << width) + 1)
            for hash in hashes { counts[Int(Self.bits(hash, start, width)) + 1] += 1 }
            for value in 0..<(1 << width) { counts[value + 1] += counts[value] }
            var next = counts
            var bucket = [UInt32](repeating: 0, count: hashes.count)
            for (position, hash) in hashes.enumerated() {
                let value = Int(Self.bits(hash, start, width))
                bucket[Int(next[value])] = UInt32(position)
                next[value] += 1
            }
            offsets.append(counts)
            ids.append(bucket)
        }
        self.offsets = offsets
        self.ids = ids
    }

    /// The slot count with the fewest expected memory accesses per lookup at distance 31 (bucket
    /// probes plus the candidates they hold, for uniformly spread hashes), among those whose
    /// bucket tables take at most 16 bytes per hash (16 MB at least): wider slots are faster but
    /// their tables grow as 2^width whatever the size.
    static func slotCount(for size: Int) -> Int {
        func widths(_ m: Int) -> [Int] { (0..<m).map { 256 / m + ($0 < 256 % m ? 1 : 0) } }
        func cost(_ m: Int) -> Double {
            let width = Double(256 / m), radius = 31 / m
            let probes = Double(m) * (radius >= 2 ? 1 + width + width * (width - 1) / 2 : 1 + width)
            return probes * (1 + Double(size) / pow(2, width))
        }
        let budget = max(16 << 20, size * 16)
        let affordable = (11...16).filter { m in widths(m).reduce(0) { $0 + (4 << $1) } <= budget }
        return affordable.min { cost($0) < cost($1) } ?? 16
    }

    /// `width` bits of the hash from bit `start` (bit 0 is the lowest of `words.0`).
    static func bits(_ hash: PDQHash, _ start: Int, _ width: Int) -> UInt32 {
        func word(_ index: Int) -> UInt64 {
            switch index {
            case 0: hash.words.0
            case 1: hash.words.1
            case 2: hash.words.2
            case 3: hash.words.3
            default: 0
            }
        }
        let shift = start & 63
        var value = word(start >> 6) >> UInt64(shift)
        if shift + width > 64 { value |= word((start >> 6) + 1) << UInt64(64 - shift) }
        return UInt32(truncatingIfNeeded: value & ((1 << UInt64(width)) - 1))
    }

    /// The positions of every hash within `distance` of `query`, ascending, with their distances.
    public func matches(_ query: PDQHash, within distance: Int) -> [(position: Int, distance: Int)] {
        guard distance >= 0 else { return [] }
        guard distance <= maxIndexedDistance, !hashes.isEmpty else { return scan(query, within: distance) }
        let radius = distance / slots.count
        // A hash near the query turns up in several slots: found once per slot, kept once below.
        var found: [(position: Int, distance: Int)] = []
        hashes.withUnsafeBufferPointer { hashes in
            for (slot, (start, width)) in slots.enumerated() {
                offsets[slot].withUnsafeBufferPointer { offsets in
                    ids[slot].withUnsafeBufferPointer { ids in
                        Self.neighbours(of: Self.bits(query, start, width), width: width, radius: radius) { probe in
                            let from = Int(offsets[Int(probe)]), to = Int(offsets[Int(probe) + 1])
                            guard from < to else { return }
                            for index in from..<to {
                                let position = Int(ids[index])
                                let d = query.distance(to: hashes[position])
                                if d <= distance { found.append((position, d)) }
                            }
                        }
                    }
                }
            }
        }
        found.sort { $0.position < $1.position }
        var unique: [(position: Int, distance: Int)] = []
        unique.reserveCapacity(found.count)
        for item in found where unique.last?.position != item.position { unique.append(item) }
        return unique
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

    /// Calls `body` with every `width`-bit value within `radius` bits of `value` (radius 0, 1 or 2).
    static func neighbours(of value: UInt32, width: Int, radius: Int, _ body: (UInt32) -> Void) {
        body(value)
        guard radius >= 1 else { return }
        for a in 0..<width {
            body(value ^ (1 << UInt32(a)))
            guard radius >= 2 else { continue }
            for b in (a + 1)..<width { body(value ^ (1 << UInt32(a)) ^ (1 << UInt32(b))) }
        }
    }

    /// Approximate memory held, in bytes: the hashes, and per slot its offsets and positions.
    public var memoryBytes: Int {
        hashes.count * 32 + slots.reduce(0) { $0 + ((1 << $1.width) + 1) * 4 + hashes.count * 4 }
    }
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
