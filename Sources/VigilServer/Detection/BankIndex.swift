import Logging
import ServiceLifecycle
import Synchronization
import VigilCore
import VigilStore

/// A match of media against a bank's content.
public struct BankMatch: Sendable, Equatable {
    public var bank: String
    public var contentID: String
    /// What the bank holds for the content (an image's hash, a video's frames).
    public var contentType: HashType
    public var category: String?
    /// The Hamming distance of the match: for an image, the nearest of its eight rotations and
    /// flips; for a video, the largest of its matched frames' nearest distances.
    public var distance: Int
    /// For a video compared with a video: the shares of matched frames, both ways, in percent.
    public var queryPercent: Double?
    public var comparedPercent: Double?
}

/// This node's in-memory index of every bank's hashes in force, following the store's change log
/// (``StoreSession/bankChanges(after:limit:)``). Queries read an immutable snapshot and take no
/// lock beyond copying it out; ``refresh()`` applies new changes and swaps the snapshot in, so a
/// hash added on any node is matchable here at the next refresh (every second, and at once after
/// this node's own bank writes).
public final class BankIndex: Sendable {
    let store: Store
    private let snapshot = Mutex(BankSnapshot())
    /// One refresh at a time: each reads the log from the snapshot's position and swaps it.
    private let turn = AsyncSerialLock()

    /// Hashes added since the last build past which the index is built again (scanning 20,000
    /// costs about as much as an index lookup).
    let rebuildAfter: Int

    public init(store: Store, rebuildAfter: Int = 20_000) {
        self.store = store
        self.rebuildAfter = rebuildAfter
    }

    /// How many changes to read per query while catching up.
    static let pageSize = 20_000

    /// Set while a rebuild runs in the background.
    private let rebuilding = Mutex(false)

    /// Applies every change committed since the last refresh. Returns whether anything changed.
    ///
    /// When the index needs building again (many hashes added or withdrawn since the last build),
    /// the first load builds it before it is used; later builds run in the background, off the
    /// refresh turn, so new hashes stay matchable meanwhile (at 10 million hashes a build takes
    /// seconds), and the changes committed during the build are applied to it before it is swapped in.
    @discardableResult
    public func refresh() async throws -> Bool {
        let (changed, rebuild) = try await turn.withLock { () async throws -> (Bool, Bool) in
            let current = self.snapshot.withLock { $0 }
            var next = try await self.caughtUp(current)
            guard next.seq != current.seq else { return (false, false) }
            if next.needsRebuild(after: self.rebuildAfter), current.seq == 0 { next = next.rebuilt() }
            let ready = next
            self.snapshot.withLock { $0 = ready }
            return (true, ready.needsRebuild(after: self.rebuildAfter))
        }
        if rebuild, rebuilding.withLock({ busy in defer { busy = true }; return !busy }) {
            Task.detached { [self] in
                defer { rebuilding.withLock { $0 = false } }
                let rebuilt = snapshot.withLock { $0 }.rebuilt()
                try? await turn.withLock {
                    // The changes committed while it was built, then the swap.
                    let ready = try await self.caughtUp(rebuilt)
                    self.snapshot.withLock { $0 = ready }
                }
            }
        }
        return changed
    }

    /// Hashes added since the index was last built (scanned one by one until the next build).
    var unbuilt: Int { snapshot.withLock { $0.matcher.added.count } }

    /// Waits for a background rebuild to finish (tests and benchmarks).
    func settled() async {
        while rebuilding.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// `snapshot` with every change committed after it applied.
    private func caughtUp(_ snapshot: BankSnapshot) async throws -> BankSnapshot {
        var next = snapshot
        while true {
            let from = next.seq
            let changes = try await store.read { try await $0.bankChanges(after: from, limit: Self.pageSize) }
            if changes.isEmpty { break }
            if changes.contains(where: { $0.kind == .bank }) || next.seq == 0 {
                next.banks = Dictionary(uniqueKeysWithValues: try await store.read { try await $0.hashBanks() }.map { ($0.name, $0) })
            }
            for change in changes { next.apply(change) }
            if changes.count < Self.pageSize { break }
        }
        return next
    }

    /// The banks as this node last read them.
    public var banks: [HashBank] { snapshot.withLock { Array($0.banks.values) }.sorted { $0.name < $1.name } }

    /// Hashes held in memory, and an estimate of the bytes they take.
    public var size: (hashes: Int, bytes: Int) {
        let current = snapshot.withLock { $0 }
        return (current.matcher.count, current.matcher.index.memoryBytes + current.owners.count * 4 + current.matcher.added.count * 32)
    }

    /// Matches of an image (its hash and its seven rotations and flips) for a subject: per bank
    /// content, the nearest distance within ``PDQ/matchDistance``, from banks enabled for the subject.
    public func matches(image variants: [PDQHash], subjectID: String) -> [BankMatch] {
        matches(image: variants, within: PDQ.matchDistance) { bank in bank.matches(subjectID: subjectID) }
    }

    /// Every content in force within `distance` of a hash, whatever its bank's kill switch and
    /// ratio say: an operator's lookup.
    public func lookup(_ hash: PDQHash, within distance: Int) -> [BankMatch] {
        matches(image: [hash], within: distance) { _ in true }
    }

    private func matches(image variants: [PDQHash], within distance: Int, counts: (HashBank) -> Bool) -> [BankMatch] {
        let current = snapshot.withLock { $0 }
        var best: [Int: Int] = [:]
        for variant in variants {
            for (position, found) in current.matcher.matches(variant, within: distance) {
                let slot = Int(current.owners[position])
                if found < best[slot] ?? Int.max { best[slot] = found }
            }
        }
        return best.compactMap { slot, distance in
            let content = current.contents[slot]
            guard !content.removed, let bank = current.banks[content.bank], counts(bank) else { return nil }
            return BankMatch(bank: content.bank, contentID: content.id, contentType: content.type, category: content.category, distance: distance)
        }.sorted { ($0.distance, $0.contentID) < ($1.distance, $1.contentID) }
    }

    /// Matches of a video's frames for a subject. Frames are looked up in the index; each video
    /// content with a matched frame is then compared whole (vPDQ, python-threatexchange's
    /// semantics) and matches when at least 80% of the query's frames, or at least 80% of the
    /// known video's (a compilation that holds all of it), have a near frame in the other. An
    /// image content matches when a frame is within the distance.
    public func matches(video frames: [VPDQFrame], subjectID: String) -> [BankMatch] {
        let current = snapshot.withLock { $0 }
        let query = VPDQ.keptHashes(frames)
        var nearest: [Int: Int] = [:]
        for hash in query {
            for (position, distance) in current.matcher.matches(hash, within: PDQ.matchDistance) {
                let slot = Int(current.owners[position])
                if distance < nearest[slot] ?? Int.max { nearest[slot] = distance }
            }
        }
        var found: [BankMatch] = []
        for (slot, distance) in nearest {
            let content = current.contents[slot]
            guard !content.removed, current.banks[content.bank]?.matches(subjectID: subjectID) == true else { continue }
            switch content.type {
            case .pdq:
                found.append(BankMatch(bank: content.bank, contentID: content.id, contentType: .pdq, category: content.category, distance: distance))
            case .vpdq:
                let known = (content.first..<content.first + content.count).map { current.matcher.hash(at: $0) }
                // Banked frames are trusted ones already; repeats among them are dropped, as pytx does.
                var seen = Set<PDQHash>()
                let comparison = VPDQ.compare(kept: query, against: known.filter { seen.insert($0).inserted })
                guard comparison.queryPercent >= VPDQ.matchPercent || comparison.comparedPercent >= VPDQ.matchPercent,
                      let worst = comparison.worstMatchedDistance ?? (comparison.comparedPercent > 0 ? distance : nil) else { continue }
                found.append(BankMatch(bank: content.bank, contentID: content.id, contentType: .vpdq, category: content.category, distance: worst,
                                       queryPercent: comparison.queryPercent, comparedPercent: comparison.comparedPercent))
            }
        }
        return found.sorted { ($0.distance, $0.contentID) < ($1.distance, $1.contentID) }
    }
}

/// The index at one point of the change log.
struct BankSnapshot: Sendable {
    /// A bank content's place in the index.
    struct Content: Sendable {
        var id: String
        var bank: String
        var type: HashType
        var category: String?
        /// Its hashes' positions: `first ..< first + count`.
        var first: Int
        var count: Int
        var removed: Bool
    }

    var seq: Int64 = 0
    var banks: [String: HashBank] = [:]
    var matcher = PDQMatcher()
    /// Per hash position, the content it belongs to.
    var owners: [UInt32] = []
    var contents: [Content] = []
    var slots: [String: Int] = [:]
    var removedHashes = 0

    mutating func apply(_ change: BankChange) {
        seq = change.seq
        switch change.kind {
        case .bank:
            break
        case .added:
            guard let content = change.content, slots[content.id] == nil else { return }
            // Low-quality hashes are not trusted for matching; they are not indexed.
            let hashes = content.frames.filter(\.isTrusted).map(\.hash)
            let slot = contents.count
            contents.append(Content(id: content.id, bank: content.bank, type: content.type, category: content.category, first: matcher.count,
                                    count: hashes.count, removed: content.removedAt != nil))
            slots[content.id] = slot
            for hash in hashes {
                matcher.add(hash)
                owners.append(UInt32(slot))
            }
        case .removed:
            guard let id = change.contentID, let slot = slots[id], !contents[slot].removed else { return }
            contents[slot].removed = true
            removedHashes += contents[slot].count
        }
    }

    /// Whether the hashes added since the build (scanned one by one on every query: 20,000 cost
    /// about as much as an index lookup) or the withdrawn ones (still in the index) have grown
    /// enough to build the index again.
    func needsRebuild(after added: Int) -> Bool {
        matcher.added.count > added || removedHashes > max(4_096, matcher.count / 4)
    }

    /// The same contents in force, all in a new index, withdrawn ones left out.
    func rebuilt() -> BankSnapshot {
        var next = BankSnapshot(seq: seq, banks: banks)
        var hashes: [PDQHash] = []
        hashes.reserveCapacity(matcher.count - removedHashes)
        next.owners.reserveCapacity(matcher.count - removedHashes)
        for content in contents where !content.removed {
            let slot = next.contents.count
            var moved = content
            moved.first = hashes.count
            next.contents.append(moved)
            next.slots[content.id] = slot
            for position in content.first..<content.first + content.count {
                hashes.append(matcher.hash(at: position))
                next.owners.append(UInt32(slot))
            }
        }
        next.matcher = PDQMatcher(hashes)
        return next
    }
}

/// Keeps this node's ``BankIndex`` current: refreshes it every `interval`, in the application's
/// service group.
struct BankSyncService: Service {
    let index: BankIndex
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await index.refresh()
                } catch {
                    logger.warning("hash bank refresh failed", metadata: ["error_type": "\(type(of: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}

