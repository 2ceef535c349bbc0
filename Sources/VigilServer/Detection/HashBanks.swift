import Crypto
import Foundation
import VigilCore
import VigilStore

/// A bank with what it holds, for operators.
public struct BankSummary: Sendable {
    public var bank: HashBank
    public var tally: BankTally
}

/// What importing a hash list did.
public struct BankImportOutcome: Sendable, Equatable {
    public var bank: String
    public var reference: String
    public var added: Int
    public var alreadyPresent: Int
    public var repeats: Int
    public var skipped: [String: Int]
}

/// Hash banks for operators and moderators: listing, creating, the kill switch and roll-out ratio,
/// imports and exports in the ThreatExchange/HMA text format. Every change is audited and is
/// applied to this node's index before the call returns (other nodes follow within their refresh
/// interval).
public struct HashBanks: Sendable {
    let store: Store
    public let index: BankIndex
    let clock: VigilClock

    public init(store: Store, index: BankIndex, clock: VigilClock = .system) {
        self.store = store
        self.index = index
        self.clock = clock
    }

    public func list() async throws -> [BankSummary] {
        try await store.read { session in
            let tallies = try await session.bankTallies()
            return try await session.hashBanks().map { BankSummary(bank: $0, tally: tallies[$0.name] ?? BankTally(contents: 0, hashes: 0, removed: 0)) }
        }
    }

    /// Creates a bank; a bank of that name is a conflict.
    public func create(name: String, description: String?, enabledRatio: Double, by actor: String) async throws -> HashBank {
        try Self.validate(name: name, description: description, enabledRatio: enabledRatio)
        let now = clock.now()
        let bank = HashBank(name: name, description: description, enabled: true, enabledRatio: enabledRatio, createdAt: now, updatedAt: now)
        try await store.write { tx in
            guard try await tx.createBank(bank) else { throw VigilError.conflict(detail: "a bank named \(name) exists") }
            try await tx.appendEvents([AuditEventDraft(type: .bankCreated, subjectID: nil, payload: BankSettingsChanged(bank: bank, by: actor), occurredAt: now)])
        }
        try await index.refresh()
        return bank
    }

    /// Changes a bank's kill switch, ratio or description (nil leaves a setting as it is).
    public func update(name: String, enabled: Bool?, enabledRatio: Double?, description: String?, by actor: String) async throws -> HashBank {
        // The name is not checked: one no bank could have names no bank (404).
        try Self.validate(settingsOf: description, enabledRatio: enabledRatio ?? 1)
        let now = clock.now()
        let bank = try await store.write { tx in
            guard var bank = try await tx.hashBank(name: name) else { throw VigilError.notFound(resource: "bank", id: name) }
            if let enabled { bank.enabled = enabled }
            if let enabledRatio { bank.enabledRatio = enabledRatio }
            if let description { bank.description = description.isEmpty ? nil : description }
            bank.updatedAt = now
            try await tx.updateBank(bank)
            try await tx.appendEvents([AuditEventDraft(type: .bankUpdated, subjectID: nil, payload: BankSettingsChanged(bank: bank, by: actor), occurredAt: now)])
            return bank
        }
        try await index.refresh()
        return bank
    }

    /// Imports a hash list (``BankFile``) into a bank, made if it does not exist, in one
    /// transaction: all of the file or none of it. Hashes the bank already holds are not added again.
    public func importFile(bank name: String, text: String, fileName: String) async throws -> BankImportOutcome {
        try Self.validate(name: name, description: nil, enabledRatio: 1)
        let contents: BankFile.Contents
        do { contents = try BankFile.parse(text) } catch { throw VigilError.invalidField(field: "file", detail: error.description) }
        let digest = Hex.encode(SHA256.hash(data: Data(text.utf8))).prefix(16)
        let reference = "\(URL(fileURLWithPath: fileName).lastPathComponent)#sha256:\(digest)"
        let now = clock.now()
        let outcome = try await store.write { tx in
            let bank = HashBank(name: name, createdAt: now, updatedAt: now)
            var events: [AuditEventDraft] = []
            if try await tx.createBank(bank) {
                events.append(AuditEventDraft(type: .bankCreated, subjectID: nil, payload: BankSettingsChanged(bank: bank, by: "operator"), occurredAt: now))
            }
            let present = try await tx.bankHashSet(bank: name)
            let fresh = contents.hashes.filter { !present.contains($0) }
            try await tx.insertBankContents(fresh.map { hash in
                BankContent(id: Identifier.make(prefix: "bkc", at: now), bank: name, type: .pdq, frames: [HashedFrame(hash: hash, quality: nil)],
                            source: .import, reference: reference, subjectID: nil, category: nil, addedAt: now)
            })
            let outcome = BankImportOutcome(bank: name, reference: reference, added: fresh.count, alreadyPresent: contents.hashes.count - fresh.count,
                                            repeats: contents.repeats, skipped: contents.skipped)
            events.append(AuditEventDraft(type: .bankImported, subjectID: nil, payload: BankImported(
                bank: name, reference: reference, added: outcome.added, alreadyPresent: outcome.alreadyPresent, repeats: outcome.repeats,
                skipped: outcome.skipped), occurredAt: now))
            try await tx.appendEvents(events)
            return outcome
        }
        try await index.refresh()
        return outcome
    }

    /// Writes a bank's hashes in force as `pdq HASH` lines, page by page, through `write`.
    public func export(bank name: String, _ write: (String) throws -> Void) async throws -> Int {
        guard try await store.read({ try await $0.hashBank(name: name) }) != nil else { throw VigilError.notFound(resource: "bank", id: name) }
        var after: String?
        var written = 0
        var seen = Set<PDQHash>()
        while true {
            let from = after
            let page = try await store.read { try await $0.bankHashes(bank: name, afterContentID: from, limit: 10_000) }
            guard let last = page.last else { break }
            var lines = ""
            for (_, frames) in page {
                for frame in frames where seen.insert(frame.hash).inserted {
                    lines += BankFile.line(frame.hash) + "\n"
                    written += 1
                }
            }
            try write(lines)
            after = last.contentID
        }
        return written
    }

    static func validate(name: String, description: String?, enabledRatio: Double) throws(VigilError) {
        guard HashBank.isValidName(name) else {
            throw .invalidField(field: "name", detail: "must be 1 to 64 of a-z, 0-9, '-' and '_', starting with a letter or digit")
        }
        try validate(settingsOf: description, enabledRatio: enabledRatio)
    }

    static func validate(settingsOf description: String?, enabledRatio: Double) throws(VigilError) {
        if let description { try Validate.optionalText(description, field: "description", max: HashBank.maxDescriptionLength) }
        guard enabledRatio.isFinite, (0...1).contains(enabledRatio) else { throw .invalidField(field: "enabled_ratio", detail: "must be a number from 0 to 1") }
    }
}

/// The `confirmed-removals` bank kept in step with moderators: their removals add the subject's
/// hashes, a granted appeal against such a removal withdraws them. Called in the decision's or
/// appeal's transaction, so the bank never disagrees with the decisions.
enum ConfirmedRemovals {
    /// A moderator decided a case: when it removed the subject, its media's hashes enter the bank.
    static func decided(_ tx: StoreSession, decision: DecisionRecord, at now: Timestamp) async throws -> [AuditEventDraft] {
        guard !decision.automated, decision.outcome == .violation, decision.resultingState == .removed else { return [] }
        let media = try await tx.subjectMedia(subjectID: decision.subjectID)
        let contents = media.compactMap { item -> BankContent? in
            let trusted = item.frames.filter(\.isTrusted)
            guard !trusted.isEmpty else { return nil }
            return BankContent(id: Identifier.make(prefix: "bkc", at: now), bank: HashBank.confirmedRemovals, type: item.type, frames: trusted,
                               source: .decision, reference: decision.id, subjectID: decision.subjectID, category: decision.policyIDs.first, addedAt: now)
        }
        guard !contents.isEmpty else { return [] }
        var events: [AuditEventDraft] = []
        let bank = HashBank(name: HashBank.confirmedRemovals, description: "Content moderators removed: re-uploads are caught on arrival",
                            createdAt: now, updatedAt: now)
        if try await tx.createBank(bank) {
            events.append(AuditEventDraft(type: .bankCreated, subjectID: nil, payload: BankSettingsChanged(bank: bank, by: "vigil"), occurredAt: now))
        }
        try await tx.insertBankContents(contents)
        events.append(AuditEventDraft(type: .bankContentAdded, subjectID: decision.subjectID, payload: BankContentChanged(
            bank: HashBank.confirmedRemovals, contentIds: contents.map(\.id), hashes: contents.reduce(0) { $0 + $1.frames.count },
            decisionId: decision.id, reason: "removed by a moderator"), occurredAt: now))
        return events
    }

    /// An appeal against a decision was granted: what that decision put in a bank comes out.
    static func appealGranted(_ tx: StoreSession, decision: DecisionRecord, appealID: String, at now: Timestamp) async throws -> [AuditEventDraft] {
        let contents = try await tx.bankContents(source: .decision, reference: decision.id)
        guard !contents.isEmpty else { return [] }
        let reason = "appeal \(appealID) granted"
        let removed = try await tx.removeBankContents(ids: contents.map(\.id), reason: reason, at: now)
        return Dictionary(grouping: removed, by: \.bank).sorted { $0.key < $1.key }.map { bank, items in
            AuditEventDraft(type: .bankContentRemoved, subjectID: decision.subjectID, payload: BankContentChanged(
                bank: bank, contentIds: items.map(\.id), hashes: nil, decisionId: decision.id, reason: reason), occurredAt: now)
        }
    }
}
