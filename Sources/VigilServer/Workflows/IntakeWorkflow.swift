import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VigilCore
import VigilStore

/// A report on its way into the store: validated, with the reporter already hashed and sealed,
/// so the plain reporter id goes no further than this value.
public struct IntakeRequest: Sendable {
    public var subjectID: String
    public var reporterHash: String
    public var reporterSeal: String
    public var reason: String
    public var note: String?
    public var channel: ReportChannel
    public var accountAgeDays: Int?
    public var notice: IllegalContentNotice?
    public var noticeContactSeal: String?
    /// The idempotency key, already scoped to the API key that sent it.
    public var idempotencyKey: String?
    /// A keyed fingerprint of the request body, to tell a retry from a different request.
    public var fingerprint: String
}

/// What the platform is told about a report it filed.
public struct IntakeReceipt: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case received, duplicate }

    public var reportID: String
    public var status: Status
    public var counted: Bool
    /// The answer stored for an idempotency key, replayed for a retry: nothing new was filed.
    /// Not part of the response body, which is the first answer byte for byte.
    public var replayed = false

    /// camelCase like every type's keys; snake_case is the encoders' job (``JSONBody``, ``stored(_:)``).
    enum CodingKeys: String, CodingKey { case reportID = "reportId", status, counted }

    /// How a receipt is kept under its idempotency key: the response body, byte for byte
    /// (sorted snake_case keys, as ``JSONBody`` answers).
    static func stored(_ receipt: IntakeReceipt) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(receipt)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func fromStored(_ text: String) -> IntakeReceipt? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(IntakeReceipt.self, from: Data(text.utf8))
    }

    /// Whether this receipt stands for a report created by this request (else an earlier one).
    public var created: Bool { status == .received }
}

/// Report intake: weighs each report, updates its subject's score, takes the subject down and opens
/// a case when a threshold is crossed, and appends the events, all in the report's transaction.
///
/// Concurrent submissions are committed together (group commit): while one transaction is being
/// written and fsynced, new submissions queue up, and the next transaction takes all of them. Each
/// caller is answered only after the transaction holding its report committed.
public final class IntakeWorkflow: Service, Sendable {
    private let transactions: IntakeTransactions
    /// Concurrent submissions, committed together.
    private let batches: GroupCommit<IntakeRequest, IntakeReceipt>
    private let logger: Logger

    public init(store: Store, policy: Policy, rules: ModerationRules = .standard, maxBatch: Int = 512, logger: Logger,
                clock: VigilClock = .system, metrics: VigilMetrics) {
        let transactions = IntakeTransactions(store: store, policy: policy, rules: rules, clock: clock)
        self.transactions = transactions
        self.logger = logger
        batches = GroupCommit(maxBatch: maxBatch, process: { try await transactions.process($0) }, committed: { metrics.recordIntakeBatch(size: $0) })
    }

    /// Undecided reports per subject that the independence assessment reads.
    static let voicesPerSubject = 2_000
    /// The window over which reports against one creator's content are taken together.
    static let pressureWindowHours: Double = 24

    /// The reporters whose co-reporting ties can change an assessment of this batch. A tie only
    /// ever joins two voices of one subject, so a reporter counts only where a subject has another
    /// linkable reporter beside them; and only reporters with a history can be linked by it (a
    /// first report has no co-reports). Reading the others' histories would change nothing.
    static func linkableReporters(
        _ requests: [IntakeRequest], voices: [String: [ReportVoice]], reporters: [String: ReporterRecord], rules: IndependenceRules
    ) -> Set<String> {
        var bySubject: [String: Set<String>] = [:]
        for request in requests where (reporters[request.reporterHash]?.reportsFiled ?? 0) > 0 {
            bySubject[request.subjectID, default: []].insert(request.reporterHash)
        }
        for (subjectID, subjectVoices) in voices {
            for voice in subjectVoices where voice.spent || rules.mayBeLinked(reportsFiled: voice.reporterReportsFiled) {
                bySubject[subjectID, default: []].insert(voice.reporterHash)
            }
        }
        return bySubject.values.reduce(into: Set<String>()) { involved, linkable in
            if linkable.count > 1 { involved.formUnion(linkable) }
        }
    }

    /// Files one report; returns once it is committed (or known to be a duplicate or a replay).
    public func submit(_ request: IntakeRequest) async throws -> IntakeReceipt {
        try await batches.submit(request)
    }

    public func run() async throws {
        try await batches.run()
        logger.info("intake drained")
    }

    /// Applies a batch of reports in one transaction, outside the group commit (the simulator's clock drives it).
    func process(_ requests: [IntakeRequest]) async throws -> [Result<IntakeReceipt, any Error>] {
        try await transactions.process(requests)
    }
}

/// One intake transaction for a batch of reports, and the figures kept between batches.
final class IntakeTransactions: Sendable {
    private let store: Store
    private let clock: VigilClock
    private let policy: Policy
    private let rules: ModerationRules
    /// Creators' subject counts and reach, kept a minute: the pile-on allowance is a soft bound,
    /// and summing a creator's subjects on every batch would cost intake more than the check is worth.
    private let reach = RecentValues<CreatorPressure>(maxAgeSeconds: 60)
    /// Creators' shields (or that they have none) and the reports against their content in the
    /// last day, kept a few seconds: a shield another node raised, or the reports it took, reach
    /// this node's intake that much later. Takedowns by ordinary reports are settled later from
    /// the store (``TakedownSettling``), so only vetted voices' takedowns and queue priorities
    /// act on these figures directly.
    private let shields = RecentValues<CreatorShield?>(maxAgeSeconds: 5)
    private let pileOnCounts = RecentValues<Int>(maxAgeSeconds: 5)

    init(store: Store, policy: Policy, rules: ModerationRules, clock: VigilClock) {
        self.store = store
        self.policy = policy
        self.rules = rules
        self.clock = clock
    }

    /// Applies a batch of reports in one transaction. Per-report refusals (unknown subject, a reused
    /// idempotency key) are decided before anything is written, so they never abort the others.
    func process(_ requests: [IntakeRequest]) async throws -> [Result<IntakeReceipt, any Error>] {
        let policy = self.policy
        let rules = self.rules
        let now = clock.now()
        let written = try await store.write { tx in
            var batch = IntakeBatch(
                policy: policy, rules: rules, now: now,
                stored: try await tx.idempotentResponses(keys: Set(requests.compactMap(\.idempotencyKey))),
                subjects: try await tx.subjects(ids: Set(requests.map(\.subjectID))))
            let known = requests.filter { batch.subjects[$0.subjectID] != nil }
            batch.reporters = try await tx.reporters(hashes: Set(known.map(\.reporterHash)))
            batch.existing = try await tx.existingReports(for: Set(known.map { ReporterSubjectKey(reporterHash: $0.reporterHash, subjectID: $0.subjectID) }))
            let subjectIDs = Set(known.map(\.subjectID))
            batch.scores = try await tx.categoryScores(subjectIDs: subjectIDs)
            batch.openCases = try await tx.openCases(subjectIDs: subjectIDs)
            let creators = Set(known.compactMap { batch.subjects[$0.subjectID]?.creatorID })
            batch.shields = try await self.shields.values(creators, now: now) { missing in
                let found = try await tx.activeShields(creatorIDs: missing, at: now)
                return Dictionary(uniqueKeysWithValues: missing.map { ($0, found[$0]) })
            }.compactMapValues { $0 }
            let independence = rules.independence
            batch.assessed = batch.subjectsToAssess(known)
            batch.voices = try await tx.openVoices(
                subjectIDs: batch.assessed, spentSince: now.adding(seconds: -independence.burstWindowMinutes * 60), limitPerSubject: IntakeWorkflow.voicesPerSubject)
            batch.ties = try await tx.coReportTies(
                among: IntakeWorkflow.linkableReporters(known.filter { batch.assessed.contains($0.subjectID) }, voices: batch.voices, reporters: batch.reporters, rules: independence),
                rules: independence, at: now)
            var pressure = try await self.reach.values(creators, now: now) { try await tx.creatorReach(creatorIDs: $0) }
            let counts = try await self.pileOnCounts.values(creators, now: now) { missing in
                let found = try await tx.creatorReportCounts(creatorIDs: missing, since: now.adding(seconds: -IntakeWorkflow.pressureWindowHours * 3_600))
                return Dictionary(uniqueKeysWithValues: missing.map { ($0, found[$0] ?? 0) })
            }
            for (creator, count) in counts { pressure[creator]?.reports = count }
            batch.pressure = pressure

            let results = requests.map { batch.apply($0) }

            try await tx.insertReports(batch.newReports)
            try await tx.recordFiledReports(batch.reporterIncrements, at: now)
            try await tx.saveCategoryScores(batch.changedScores)
            for (subjectID, change) in batch.stateChanges.sorted(by: { $0.key < $1.key }) {
                try await tx.setSubjectState(id: subjectID, state: change.state, ground: change.ground, at: now)
            }
            try await tx.insertCases(batch.newCases)
            try await tx.updateOpenCases(batch.caseUpdates.sorted(by: { $0.key < $1.key }).map(\.value))
            try await tx.insertShields(batch.newShields)
            try await tx.addCreatorReports(batch.creatorReports, hour: now)
            try await tx.insertNotices(batch.notices)
            try await tx.appendEvents(batch.events)
            try await tx.saveIdempotentResponses(batch.newResponses, at: now)
            return (results: results, creatorReports: batch.creatorReports, shields: batch.newShields)
        }
        // Committed: the kept figures take this batch's reports and shields.
        for (creator, added) in written.creatorReports { pileOnCounts.update(creator) { $0 += added } }
        shields.store(Dictionary(written.shields.map { ($0.creatorID, Optional($0)) }, uniquingKeysWith: { _, last in last }), at: now)
        return written.results
    }
}
