import Foundation
import Synchronization
import VigilCore
import VigilStore

/// Human review: the prioritised queue, claims with leases, the case view, and decisions.
public struct ReviewWorkflow: Sendable {
    let store: Store
    let clock: VigilClock
    let policy: Policy
    let rules: ModerationRules
    /// The detection rules in force: every decision is a verdict on the rule matches it settles.
    let ruleSet: RuleSet
    /// This node's bank index, refreshed after a removal banked the subject's hashes, so a
    /// re-upload is caught here at once (other nodes follow within their refresh interval).
    let banks: BankIndex?
    /// The last queue counts, shared by the copies of this workflow.
    private let counts = KeptQueueCounts()

    public static let maxPageSize = 100
    /// How long queue counts are answered without a recount.
    static let countsLifetimeSeconds: Double = 30
    /// The newest signals and rule matches a case view lists.
    static let detectionItemsShown = 50

    public init(store: Store, policy: Policy, rules: ModerationRules, ruleSet: RuleSet = .empty, banks: BankIndex? = nil, clock: VigilClock = .system) {
        self.ruleSet = ruleSet
        self.banks = banks
        self.store = store
        self.clock = clock
        self.policy = policy
        self.rules = rules
    }

    // MARK: Queue

    /// A page of the queue. The cursor pins the time the first page was computed, so "overdue"
    /// means the same on every page of one walk through the queue.
    public func queue(filter: QueueFilter, cursor: String?, limit: Int) async throws -> (entries: [QueueEntry], now: Timestamp, nextCursor: String?) {
        guard (1...Self.maxPageSize).contains(limit) else {
            throw VigilError.invalidField(field: "limit", detail: "must be between 1 and \(Self.maxPageSize)")
        }
        if let category = filter.category, policy.category(category) == nil {
            throw VigilError.invalidField(field: "category", detail: "'\(category.prefix(64))' is not a policy category")
        }
        var offset = 0
        var now = clock.now()
        if let cursor {
            guard let position = QueueCursor(cursor) else { throw VigilError.invalidField(field: "cursor", detail: "is not a cursor this server issued") }
            offset = position.offset
            now = position.asOf
        }
        let (start, asOf) = (offset, now)
        let page = try await store.read { try await $0.queue(filter, now: asOf, offset: start, limit: limit + 1) }
        let entries = Array(page.prefix(limit))
        let next = page.count > limit ? QueueCursor(offset: offset + limit, asOf: now).text : nil
        return (entries, now, next)
    }

    // MARK: Claims

    /// How many open cases each queue filter holds. Counting is a pass over every open case (about
    /// 100 ms at 100,000, which slows the requests beside it), so the figures are kept: older than
    /// ``countsLifetimeSeconds``, they are still answered while one recount runs in the background;
    /// only the first call waits for a count. With a 10-second lifetime the recounts alone took the
    /// queue page's p99 at 100,000 open cases to 50 ms; a page says when its counts were taken.
    public func queueCounts() async throws -> QueueCounts {
        let now = clock.now()
        let store = self.store, counts = self.counts
        // One count at a time: the first callers all wait for the same one.
        @Sendable func recount() -> Task<QueueCounts, any Error> {
            Task {
                do {
                    let fresh = try await store.read { try await $0.queueCounts(at: now) }
                    counts.value.withLock { $0 = (fresh, nil) }
                    return fresh
                } catch {
                    counts.value.withLock { $0.counting = nil }
                    throw error
                }
            }
        }
        let (kept, counting) = counts.value.withLock { state -> (QueueCounts?, Task<QueueCounts, any Error>?) in
            if let kept = state.counts {
                let stale = !(kept.asOf <= now && kept.asOf.seconds(until: now) < Self.countsLifetimeSeconds)
                if stale, state.counting == nil { state.counting = recount() }
                return (kept, nil)
            }
            if state.counting == nil { state.counting = recount() }
            return (nil, state.counting)
        }
        if let kept { return kept }
        guard let counting else { throw VigilError.unavailable(detail: "the queue could not be counted") }
        return try await counting.value
    }

    public func claim(caseID: String, by moderator: AuthenticatedModerator) async throws -> CaseRecord {
        let now = clock.now()
        let expires = now.adding(seconds: rules.claimLeaseSeconds)
        return try await store.write { tx in
            guard let record = try await tx.caseRecord(id: caseID) else { throw VigilError.notFound(resource: "case", id: caseID) }
            guard record.status == .open else { throw VigilError.conflict(detail: "case \(caseID) is closed") }
            guard try await tx.claimCase(id: caseID, moderatorID: moderator.id, now: now, expiresAt: expires) else {
                throw VigilError.conflict(detail: "case \(caseID) is held by another moderator until \(record.claimExpiresAt?.iso8601 ?? "later")")
            }
            try await tx.appendEvents([Self.claimEvent(record, moderator: moderator, expires: expires, at: now)])
            var claimed = record
            claimed.claimedBy = moderator.id
            claimed.claimExpiresAt = expires
            return claimed
        }
    }

    /// Claims the most urgent case nobody holds, or returns nil when there is none.
    public func claimNext(by moderator: AuthenticatedModerator) async throws -> CaseRecord? {
        let now = clock.now()
        let expires = now.adding(seconds: rules.claimLeaseSeconds)
        return try await store.write { tx in
            guard let id = try await tx.nextUnclaimedCase(now: now), let record = try await tx.caseRecord(id: id),
                  try await tx.claimCase(id: id, moderatorID: moderator.id, now: now, expiresAt: expires)
            else { return nil }
            try await tx.appendEvents([Self.claimEvent(record, moderator: moderator, expires: expires, at: now)])
            var claimed = record
            claimed.claimedBy = moderator.id
            claimed.claimExpiresAt = expires
            return claimed
        }
    }

    public func release(caseID: String, by moderator: AuthenticatedModerator) async throws {
        let now = clock.now()
        try await store.write { tx in
            guard try await tx.caseRecord(id: caseID) != nil else { throw VigilError.notFound(resource: "case", id: caseID) }
            guard try await tx.releaseCase(id: caseID, moderatorID: moderator.id) else {
                throw VigilError.conflict(detail: "you do not hold case \(caseID)")
            }
            try await tx.appendEvents([AuditEventDraft(type: .caseReleased, subjectID: nil, payload: CaseClaim(caseId: caseID, moderatorId: moderator.id, expiresAt: nil), occurredAt: now)])
        }
    }

    private static func claimEvent(_ record: CaseRecord, moderator: AuthenticatedModerator, expires: Timestamp, at now: Timestamp) -> AuditEventDraft {
        AuditEventDraft(type: .caseClaimed, subjectID: record.subjectID,
                        payload: CaseClaim(caseId: record.id, moderatorId: moderator.id, expiresAt: expires.milliseconds), occurredAt: now)
    }

    // MARK: Case view

    public func caseOverview(caseID: String) async throws -> CaseOverview {
        let now = clock.now()
        return try await store.read { session in
            guard let record = try await session.caseRecord(id: caseID) else { throw VigilError.notFound(resource: "case", id: caseID) }
            guard let subject = try await session.subject(id: record.subjectID) else { throw StoreCorruption(detail: "case \(caseID) without its subject") }
            let tally = try await session.reportTally(ofCase: record)
            let hourly = try await session.hourlyScore(ofCase: record)
            let scores = try await session.categoryScores(subjectIDs: [subject.id])
            let decisions = try await session.decisions(ofCreator: subject.creatorID, limit: 20)
            let strikes = try await session.activeStrikeCount(creatorID: subject.creatorID, at: now)
            let actions = try await session.activeAccountActions(creatorID: subject.creatorID, at: now)
            let names = try await session.moderatorNames(ids: [record.claimedBy].compactMap { $0 })
            var overview = CaseOverview(
                record: record, subject: subject, tally: tally, hourly: hourly, scores: scores,
                priorDecisions: decisions.filter { $0.caseID != record.id }, activeStrikes: strikes, accountActions: actions,
                holderName: record.holder(at: now).flatMap { names[$0] }, asOf: now)
            // The grouping as it stands now, from the same rule intake applies.
            let voices = try await session.voices(ofCase: record)
            let independence = rules.independence
            let ties = try await session.coReportTies(among: Set(voices.map(\.voice.reporterHash)), rules: independence, at: now)
            overview.independence = Independence.assess(voices: voices.map(\.voice), ties: ties, reach: subject.reach, rules: independence)
            overview.positions = Dictionary(voices.map { ($0.voice.reporterHash, $0.position) }, uniquingKeysWith: { first, _ in first })
            overview.shield = try await session.shields(ofCreator: subject.creatorID, limit: 1).first
            overview.signals = try await session.signals(subjectID: subject.id, limit: Self.detectionItemsShown)
            overview.ruleMatches = try await session.ruleMatches(subjectID: subject.id, limit: Self.detectionItemsShown)
            return overview
        }
    }

    /// A page of a case's reports, optionally of one reason, with each reporter's pseudonym and
    /// coarse track record. The cursor is the position of the last report shown.
    public func caseReports(caseID: String, reason: String?, cursor: String?, limit: Int) async throws -> CaseReportsPage {
        guard (1...Self.maxPageSize).contains(limit) else {
            throw VigilError.invalidField(field: "limit", detail: "must be between 1 and \(Self.maxPageSize)")
        }
        if let reason, policy.category(reason) == nil {
            throw VigilError.invalidField(field: "reason", detail: "'\(reason.prefix(64))' is not a policy category")
        }
        var after = -1
        if let cursor {
            guard let text = OpaqueCursor.decode(cursor), let position = Int(text), (0...QueueCursor.maxOffset).contains(position) else {
                throw VigilError.invalidField(field: "cursor", detail: "is not a cursor this server issued")
            }
            after = position
        }
        let now = clock.now()
        let start = after
        return try await store.read { session in
            guard let record = try await session.caseRecord(id: caseID) else { throw VigilError.notFound(resource: "case", id: caseID) }
            let rows = try await session.reportPage(ofCase: record, reason: reason, afterPosition: start, limit: limit + 1)
            let page = Array(rows.prefix(limit))
            let reporters = try await session.reporters(hashes: Set(page.map(\.report.reporterHash)))
            let next = rows.count > limit ? page.last.map { OpaqueCursor.encode(String($0.position)) } : nil
            return CaseReportsPage(
                entries: page.map { CaseReportsPage.Entry(position: $0.position, report: $0.report, reporter: reporters[$0.report.reporterHash]) },
                nextCursor: next, asOf: now)
        }
    }

    // MARK: Decisions

    /// Decides a case held by `moderator`: the subject, every report of the case, every counted
    /// reporter's track record and standing, strikes, account measures and notices, in one transaction.
    public func decide(caseID: String, by moderator: AuthenticatedModerator, _ input: DecisionInput) async throws -> DecisionRecord {
        try input.validate(against: policy)
        let now = clock.now()
        let policy = self.policy
        let rules = self.rules
        let ruleSet = self.ruleSet
        let (record, banked) = try await store.write { tx in
            guard let record = try await tx.caseRecord(id: caseID) else { throw VigilError.notFound(resource: "case", id: caseID) }
            guard record.status == .open else { throw VigilError.conflict(detail: "case \(caseID) is closed") }
            guard record.holder(at: now) == moderator.id else {
                throw VigilError.conflict(detail: "you do not hold case \(caseID): claim it first (an expired claim must be renewed)")
            }
            guard let subject = try await tx.subject(id: record.subjectID) else { throw StoreCorruption(detail: "case \(caseID) without its subject") }
            let reports = try await tx.reports(ofCase: record)
            var decision = DecisionEffects(policy: policy, rules: rules, now: now, record: record, subject: subject, moderatorID: moderator.id, input: input)

            try await tx.insertDecision(decision.record)
            let reviewed = Set(reports.map(\.reason)).union(input.policyIDs)
            try await tx.recordDecision(onSubject: subject.id, state: decision.record.resultingState, ground: decision.ground, reviewedReasons: reviewed, at: now)
            try await tx.resolveReports(ids: reports.map(\.id), status: decision.reportStatus, caseID: caseID, at: now)
            // A dismissal keeps the co-reports as evidence against the group; an upheld report clears them.
            try await tx.closeCase(id: caseID, decisionID: decision.record.id, at: now)

            // Track records and misuse standing of every reporter whose report was counted.
            let counted = Dictionary(grouping: reports.filter(\.counted), by: \.reporterHash)
            let known = try await tx.reporters(hashes: counted.keys)
            let recent = try await tx.decidedCounts(reporterHashes: counted.keys, since: now.adding(seconds: -rules.misuse.windowDays * 86_400))
            for hash in counted.keys.sorted() {
                guard let reporter = known[hash], let decided = counted[hash] else { continue }
                let updated = decision.updateReporter(reporter, decidedReports: decided.count, recent: recent[hash] ?? DecidedCounts(upheld: 0, dismissed: 0))
                try await tx.updateReporter(updated, decidedPending: decided.count)
            }

            // Strike and the account measure it brings.
            if input.strike {
                let strikeID = Identifier.make(prefix: "stk", at: now)
                let expires = now.adding(seconds: rules.strikes.strikeLifetimeDays * 86_400)
                try await tx.insertStrike(id: strikeID, creatorID: subject.creatorID, decisionID: decision.record.id, at: now, expiresAt: expires)
                let active = try await tx.activeStrikeCount(creatorID: subject.creatorID, at: now)
                if let action = decision.addStrike(id: strikeID, expires: expires, activeCount: active) {
                    try await tx.insertAccountAction(action)
                }
            }
            try await tx.insertMisuseMeasures(decision.misuseMeasures)
            let ruleEvents = try await RuleOutcomes.decided(
                tx, ruleSet: ruleSet, subjectID: subject.id, decisionID: decision.record.id, violation: input.outcome == .violation, at: now)
            let bankEvents = try await ConfirmedRemovals.decided(tx, decision: decision.record, at: now)
            try await tx.appendEvents(decision.events + ruleEvents + bankEvents)
            try await tx.insertNotices(decision.notices)
            return (decision.record, !bankEvents.isEmpty)
        }
        if banked { _ = try? await banks?.refresh() }
        return record
    }
}

/// Where a walk through the queue stands: how far, and as of when.
struct QueueCursor {
    var offset: Int
    var asOf: Timestamp

    init(offset: Int, asOf: Timestamp) {
        self.offset = offset
        self.asOf = asOf
    }

    init?(_ text: String) {
        guard let decoded = OpaqueCursor.decode(text) else { return nil }
        let parts = decoded.split(separator: ":")
        // The offset is bounded so that `offset + limit` cannot overflow on a forged cursor.
        guard parts.count == 2, let offset = Int(parts[0]), (0...Self.maxOffset).contains(offset), let ms = Int64(parts[1]) else { return nil }
        self.init(offset: offset, asOf: Timestamp(milliseconds: ms))
    }

    var text: String { OpaqueCursor.encode("\(offset):\(asOf.milliseconds)") }

    static let maxOffset = 1_000_000_000
}


/// The queue counts a ``ReviewWorkflow`` keeps between page views, and whether a recount runs.
final class KeptQueueCounts: Sendable {
    let value = Mutex<(counts: QueueCounts?, counting: Task<QueueCounts, any Error>?)>((nil, nil))
}
