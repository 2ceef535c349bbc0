import SQLKit
import VigilCore

/// A change to the banks, in the order it was committed: what every node's matcher follows.
public struct BankChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Content was added (``content`` holds it, hashes included).
        case added
        /// Content was withdrawn.
        case removed
        /// A bank was created or its settings changed.
        case bank
    }

    public var seq: Int64
    public var kind: Kind
    public var bank: String
    public var contentID: String?
    public var content: BankContent?
}

/// How much a bank holds.
public struct BankTally: Sendable, Equatable {
    public var contents: Int
    public var hashes: Int
    public var removed: Int

    public init(contents: Int, hashes: Int, removed: Int) {
        self.contents = contents
        self.hashes = hashes
        self.removed = removed
    }
}

/// Hash banks, their contents and change log, and the hashes held for subjects' media.
extension StoreSession {
    // MARK: Banks

    public func hashBanks() async throws -> [HashBank] {
        try await sql.raw("SELECT * FROM hash_banks ORDER BY name").all().map(Self.decodeBank)
    }

    public func hashBank(name: String) async throws -> HashBank? {
        try await sql.raw("SELECT * FROM hash_banks WHERE name = \(bind: name)").first().map(Self.decodeBank)
    }

    /// Creates a bank unless one has the name; returns whether it created it.
    @discardableResult
    public func createBank(_ bank: HashBank) async throws -> Bool {
        let rows = try await sql.insert(into: "hash_banks")
            .columns("name", "description", "enabled", "enabled_ratio", "created_at", "updated_at")
            .values(bank.name, bank.description, bank.enabled ? 1 : 0, bank.enabledRatio, bank.createdAt.milliseconds, bank.updatedAt.milliseconds)
            .ignoringConflicts(with: ["name"]).returning("name").all()
        guard !rows.isEmpty else { return false }
        try await appendBankChanges([(.bank, bank.name, nil)], at: bank.createdAt)
        return true
    }

    /// Writes a bank's settings (the kill switch, the ratio, the description).
    public func updateBank(_ bank: HashBank) async throws {
        try await sql.raw("""
            UPDATE hash_banks SET description = \(bind: bank.description), enabled = \(bind: bank.enabled ? 1 : 0),
            enabled_ratio = \(bind: bank.enabledRatio), updated_at = \(bind: bank.updatedAt.milliseconds) WHERE name = \(bind: bank.name)
            """).run()
        try await appendBankChanges([(.bank, bank.name, nil)], at: bank.updatedAt)
    }

    /// Per bank: its contents in force, their hashes, and the contents withdrawn.
    public func bankTallies() async throws -> [String: BankTally] {
        var tallies: [String: BankTally] = [:]
        for row in try await sql.raw("""
            SELECT c.bank, SUM(CASE WHEN c.removed_at IS NULL THEN 1 ELSE 0 END) AS contents,
                   SUM(CASE WHEN c.removed_at IS NULL THEN 0 ELSE 1 END) AS removed FROM bank_contents c GROUP BY c.bank
            """).all() {
            let bank = try row.decode(column: "bank", as: String.self)
            tallies[bank] = BankTally(contents: try row.decode(column: "contents", as: Int.self), hashes: 0, removed: try row.decode(column: "removed", as: Int.self))
        }
        for row in try await sql.raw("""
            SELECT c.bank, COUNT(*) AS hashes FROM bank_hashes h JOIN bank_contents c ON c.id = h.content_id
            WHERE c.removed_at IS NULL GROUP BY c.bank
            """).all() {
            tallies[try row.decode(column: "bank", as: String.self), default: BankTally(contents: 0, hashes: 0, removed: 0)].hashes =
                try row.decode(column: "hashes", as: Int.self)
        }
        return tallies
    }

    // MARK: Contents

    /// Adds contents (their hashes with them) and logs each addition for the matchers.
    public func insertBankContents(_ contents: [BankContent]) async throws {
        guard !contents.isEmpty else { return }
        for chunk in contents.chunked(into: 500) {
            var insert = sql.insert(into: "bank_contents").columns(
                "id", "bank", "hash_type", "source", "reference", "subject_id", "category", "added_at", "removed_at", "removal_reason")
            for c in chunk {
                insert = insert.values(c.id, c.bank, c.type.rawValue, c.source.rawValue, c.reference, c.subjectID, c.category, c.addedAt.milliseconds,
                                       c.removedAt?.milliseconds, c.removalReason)
            }
            try await insert.run()
        }
        let rows = contents.flatMap { c in c.frames.enumerated().map { (c.id, $0.offset, $0.element) } }
        for chunk in rows.chunked(into: 1_000) {
            var insert = sql.insert(into: "bank_hashes").columns("content_id", "position", "hash", "quality", "at_ms")
            for (id, position, frame) in chunk {
                insert = insert.values(id, position, frame.hash.hex, frame.quality, frame.timestamp.map { Int64(($0 * 1_000).rounded()) })
            }
            try await insert.run()
        }
        if let at = contents.first?.addedAt {
            try await appendBankChanges(contents.map { (.added, $0.bank, $0.id) }, at: at)
        }
    }

    /// Withdraws contents still in force; returns those it withdrew (already withdrawn ones are left as they were).
    public func removeBankContents(ids: [String], reason: String, at now: Timestamp) async throws -> [BankContent] {
        guard !ids.isEmpty else { return [] }
        var removed: [BankContent] = []
        for chunk in ids.chunked(into: 500) {
            var query: SQLQueryString = """
                UPDATE bank_contents SET removed_at = \(bind: now.milliseconds), removal_reason = \(bind: reason)
                WHERE removed_at IS NULL AND id IN (
                """
            query.appendInterpolation(binds: Array(chunk))
            query.appendLiteral(") RETURNING *")
            removed += try await sql.raw(query).all().map { try Self.decodeContent($0, frames: []) }
        }
        try await appendBankChanges(removed.map { (.removed, $0.bank, $0.id) }, at: now)
        return removed
    }

    /// Contents in force that came from a source (a decision's id), in any bank.
    public func bankContents(source: BankSource, reference: String) async throws -> [BankContent] {
        try await sql.raw("""
            SELECT * FROM bank_contents WHERE source = \(bind: source.rawValue) AND reference = \(bind: reference) AND removed_at IS NULL ORDER BY id
            """).all().map { try Self.decodeContent($0, frames: []) }
    }

    /// The hashes of a bank's contents in force, in the order added, after `afterContentID`: an
    /// export's pages.
    public func bankHashes(bank: String, afterContentID: String?, limit: Int) async throws -> [(contentID: String, frames: [HashedFrame])] {
        let rows = try await sql.raw("""
            SELECT h.content_id, h.position, h.hash, h.quality, h.at_ms FROM bank_hashes h
            JOIN (SELECT id FROM bank_contents WHERE bank = \(bind: bank) AND removed_at IS NULL AND id > \(bind: afterContentID ?? "")
                  ORDER BY id LIMIT \(literal: limit)) c ON c.id = h.content_id
            ORDER BY h.content_id, h.position
            """).all()
        var pages: [(contentID: String, frames: [HashedFrame])] = []
        for row in rows {
            let id = try row.decode(column: "content_id", as: String.self)
            let frame = try Self.decodeFrame(row)
            if pages.last?.contentID == id { pages[pages.count - 1].frames.append(frame) } else { pages.append((id, [frame])) }
        }
        return pages
    }

    /// The PDQ hashes a bank holds in force: what an import leaves out as already there.
    public func bankHashSet(bank: String) async throws -> Set<PDQHash> {
        var hashes = Set<PDQHash>()
        for row in try await sql.raw("""
            SELECT h.hash FROM bank_hashes h JOIN bank_contents c ON c.id = h.content_id
            WHERE c.bank = \(bind: bank) AND c.removed_at IS NULL AND c.hash_type = 'pdq'
            """).all() {
            let hex = try row.decode(column: "hash", as: String.self)
            guard let hash = PDQHash(hex: hex) else { throw StoreCorruption(detail: "stored hash '\(hex.prefix(80))'") }
            hashes.insert(hash)
        }
        return hashes
    }

    // MARK: Change log

    /// Changes committed after `seq`, oldest first, at most `limit` (an addition brings its content).
    public func bankChanges(after seq: Int64, limit: Int) async throws -> [BankChange] {
        let rows = try await sql.raw("""
            SELECT seq, bank, content_id, change FROM bank_changes WHERE seq > \(bind: seq) ORDER BY seq LIMIT \(literal: limit)
            """).all()
        var changes: [BankChange] = []
        for row in rows {
            let kind = try row.decode(column: "change", as: String.self)
            guard let parsed = BankChange.Kind(rawValue: kind) else { throw StoreCorruption(detail: "bank change '\(kind)'") }
            changes.append(BankChange(seq: try row.decode(column: "seq", as: Int64.self), kind: parsed, bank: try row.decode(column: "bank", as: String.self),
                                      contentID: try row.decode(column: "content_id", as: String?.self)))
        }
        guard let first = changes.first?.seq, let last = changes.last?.seq, changes.contains(where: { $0.kind == .added }) else { return changes }
        // The added contents and their hashes, in one pass over the range.
        var contents: [String: BankContent] = [:]
        for row in try await sql.raw("""
            SELECT c.* FROM bank_changes g JOIN bank_contents c ON c.id = g.content_id
            WHERE g.seq >= \(bind: first) AND g.seq <= \(bind: last) AND g.change = 'added'
            """).all() {
            let content = try Self.decodeContent(row, frames: [])
            contents[content.id] = content
        }
        for row in try await sql.raw("""
            SELECT h.content_id, h.position, h.hash, h.quality, h.at_ms FROM bank_changes g JOIN bank_hashes h ON h.content_id = g.content_id
            WHERE g.seq >= \(bind: first) AND g.seq <= \(bind: last) AND g.change = 'added' ORDER BY h.content_id, h.position
            """).all() {
            contents[try row.decode(column: "content_id", as: String.self)]?.frames.append(try Self.decodeFrame(row))
        }
        for index in changes.indices where changes[index].kind == .added {
            guard let id = changes[index].contentID, let content = contents[id] else { throw StoreCorruption(detail: "bank change without its content") }
            changes[index].content = content
        }
        return changes
    }

    /// The last change's number (0 before any).
    public func lastBankChange() async throws -> Int64 {
        try await sql.raw("SELECT COALESCE(MAX(seq), 0) AS seq FROM bank_changes").first()?.decode(column: "seq", as: Int64.self) ?? 0
    }

    private func appendBankChanges(_ changes: [(BankChange.Kind, String, String?)], at now: Timestamp) async throws {
        guard !changes.isEmpty else { return }
        // Writers take turns on the chain head, so the next number is taken in commit order.
        var next = try await lastBankChange() + 1
        for chunk in changes.chunked(into: 1_000) {
            var insert = sql.insert(into: "bank_changes").columns("seq", "bank", "content_id", "change", "changed_at")
            for (kind, bank, content) in chunk {
                insert = insert.values(next, bank, content, kind.rawValue, now.milliseconds)
                next += 1
            }
            try await insert.run()
        }
    }

    // MARK: Subjects' media

    /// Records the hashes of subjects' media; media already recorded for a subject is skipped.
    public func insertSubjectMedia(_ media: [SubjectMedia]) async throws {
        for item in media {
            let rows = try await sql.insert(into: "subject_media").columns("subject_id", "media_id", "hash_type", "recorded_at")
                .values(item.subjectID, item.mediaID, item.type.rawValue, item.recordedAt.milliseconds)
                .ignoringConflicts(with: ["subject_id", "media_id"]).returning("media_id").all()
            guard !rows.isEmpty else { continue }
            for chunk in Array(item.frames.enumerated()).chunked(into: 1_000) {
                var insert = sql.insert(into: "subject_media_hashes").columns("subject_id", "media_id", "position", "hash", "quality", "at_ms")
                for (position, frame) in chunk {
                    insert = insert.values(item.subjectID, item.mediaID, position, frame.hash.hex, frame.quality,
                                           frame.timestamp.map { Int64(($0 * 1_000).rounded()) })
                }
                try await insert.run()
            }
        }
    }

    /// The hashes held for a subject's media, oldest media first.
    public func subjectMedia(subjectID: String) async throws -> [SubjectMedia] {
        var media: [SubjectMedia] = []
        for row in try await sql.raw("SELECT * FROM subject_media WHERE subject_id = \(bind: subjectID) ORDER BY recorded_at, media_id").all() {
            let type = try row.decode(column: "hash_type", as: String.self)
            guard let parsed = HashType(rawValue: type) else { throw StoreCorruption(detail: "media hash type '\(type)'") }
            media.append(SubjectMedia(subjectID: subjectID, mediaID: try row.decode(column: "media_id", as: String.self), type: parsed, frames: [],
                                      recordedAt: Timestamp(milliseconds: try row.decode(column: "recorded_at", as: Int64.self))))
        }
        guard !media.isEmpty else { return [] }
        let index = Dictionary(uniqueKeysWithValues: media.enumerated().map { ($0.element.mediaID, $0.offset) })
        for row in try await sql.raw("""
            SELECT media_id, position, hash, quality, at_ms FROM subject_media_hashes WHERE subject_id = \(bind: subjectID) ORDER BY media_id, position
            """).all() {
            guard let at = index[try row.decode(column: "media_id", as: String.self)] else { continue }
            media[at].frames.append(try Self.decodeFrame(row))
        }
        return media
    }

    // MARK: Decoding

    static func decodeBank(_ row: any SQLRow) throws -> HashBank {
        HashBank(name: try row.decode(column: "name", as: String.self), description: try row.decode(column: "description", as: String?.self),
                 enabled: try row.decode(column: "enabled", as: Int.self) != 0, enabledRatio: try row.decode(column: "enabled_ratio", as: Double.self),
                 createdAt: Timestamp(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
                 updatedAt: Timestamp(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }

    static func decodeContent(_ row: any SQLRow, frames: [HashedFrame]) throws -> BankContent {
        let type = try row.decode(column: "hash_type", as: String.self), source = try row.decode(column: "source", as: String.self)
        guard let parsedType = HashType(rawValue: type), let parsedSource = BankSource(rawValue: source) else {
            throw StoreCorruption(detail: "bank content of type '\(type)' from '\(source)'")
        }
        return BankContent(
            id: try row.decode(column: "id", as: String.self), bank: try row.decode(column: "bank", as: String.self), type: parsedType, frames: frames,
            source: parsedSource, reference: try row.decode(column: "reference", as: String.self),
            subjectID: try row.decode(column: "subject_id", as: String?.self), category: try row.decode(column: "category", as: String?.self),
            addedAt: Timestamp(milliseconds: try row.decode(column: "added_at", as: Int64.self)),
            removedAt: try row.decode(column: "removed_at", as: Int64?.self).map(Timestamp.init(milliseconds:)),
            removalReason: try row.decode(column: "removal_reason", as: String?.self))
    }

    static func decodeFrame(_ row: any SQLRow) throws -> HashedFrame {
        let hex = try row.decode(column: "hash", as: String.self)
        guard let hash = PDQHash(hex: hex) else { throw StoreCorruption(detail: "stored hash '\(hex.prefix(80))'") }
        return HashedFrame(hash: hash, quality: try row.decode(column: "quality", as: Int?.self),
                           timestamp: try row.decode(column: "at_ms", as: Int64?.self).map { Double($0) / 1_000 })
    }
}
