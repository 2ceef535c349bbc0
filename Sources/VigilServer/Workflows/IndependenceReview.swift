import Foundation
import VigilCore
import VigilStore

/// Reviews the independence of reports below the takedown threshold, following the reports as
/// they are committed (the audit log's `report.received` events, from a cursor in the store).
///
/// Intake assesses a subject's reports only where they can take it down (``IntakeBatch``); below
/// the threshold what an assessment decides is for moderators: a case for review when credible
/// independent weight reaches ``IndependenceRules/reviewShare`` of the threshold or the reports
/// look coordinated (from the second), the flag *coordinated reporting suspected*, and a shield
/// for the creator of content a coordinated group went after. Done here, each subject is assessed once per pass
/// however many of its reports arrived, with every stored report, and the cases and flags are
/// written together rather than one intake batch at a time.
///
/// The cursor row is locked when a pass writes, and a pass whose cursor moved meanwhile writes
/// nothing, so nodes review in turn and each report once; on PostgreSQL audit events commit in the
/// order of their numbers, so none is passed over.
struct IndependenceReview: Sendable {
    let store: Store
    let policy: Policy
    let rules: ModerationRules

    /// Audit events read and assessed per pass; a review goes on until it has read them all. A
    /// subject is assessed once per pass however many of its reports the pass holds, so larger
    /// passes do less work: on `scripts/bench-intake.sh` (10,000 subjects, a few thousand reports
    /// a second), intake ran about 17% below the code before issue 10 with passes of 2,000 events
    /// and about 5% below with 20,000. Writes stay small
    /// (``subjectsPerWrite``) whatever the size of the pass. A pass's reads bind each of its
    /// subjects once, at most 20,001 values, within SQLite's 32,766 and PostgreSQL's 65,535.
    static let eventsPerPass = 20_000

    /// Subjects written per transaction within a pass (a creator's subjects stay together, so a
    /// shield raises the priority of their cases as in one). Each write holds intake back while it
    /// runs: with the whole pass in one transaction intake's p99 rose from about 42 ms to 110–158 ms.
    var subjectsPerWrite = 100

    /// Reviews every subject reported since the last pass, until no event is left after the
    /// cursor. A pass that found the cursor moved by another (another node's, or this node's
    /// maintenance beside an explicit call) reads again from where that one left off, a few times
    /// at most, so a caller returns knowing the reports before its call were reviewed. Returns how
    /// many subjects were assessed.
    @discardableResult
    func reviewNew(at time: Timestamp) async throws -> Int {
        var assessed = 0
        var overtaken = 0
        while true {
            switch try await reviewBatch(at: time) {
            case .caughtUp:
                return assessed
            case .overtaken:
                overtaken += 1
                if overtaken > 3 { return assessed }
            case .reviewed(let read, let count):
                assessed += count
                if read < Self.eventsPerPass { return assessed }
            }
        }
    }

    /// How one pass ended.
    private enum PassResult {
        /// No event after the cursor.
        case caughtUp
        /// Another pass moved the cursor between this one's reads and its write: nothing written.
        case overtaken
        case reviewed(eventsRead: Int, assessed: Int)
    }

    /// What a pass read and assessed, before it writes.
    struct Assessed: Sendable {
        var cursor: Int64
        var lastEvent: Int64
        var eventsRead: Int
        /// The assessed subjects in the order of their reports.
        var subjects: [Entry]

        /// One assessed subject: its creator, its voices as read, and what the assessment found.
        struct Entry: Sendable {
            var id: String
            var creatorID: String
            var voices: [ReportVoice]
            var assessment: IndependenceAssessment
        }

        /// The subjects in writes of at most about `size`, a creator's subjects in the same one,
        /// in the order of their creators' first reports; one empty write when there is none, to move the cursor.
        func writes(of size: Int) -> [[Entry]] {
            var byCreator: [String: [Entry]] = [:]
            var creators: [String] = []
            for entry in subjects {
                if byCreator[entry.creatorID] == nil { creators.append(entry.creatorID) }
                byCreator[entry.creatorID, default: []].append(entry)
            }
            var writes: [[Entry]] = [[]]
            for creator in creators {
                let entries = byCreator[creator] ?? []
                if let last = writes.last, !last.isEmpty, last.count + entries.count > size { writes.append([]) }
                writes[writes.count - 1].append(contentsOf: entries)
            }
            return writes
        }
    }

    /// One pass over up to ``eventsPerPass`` events: ``pending(at:)``, then ``apply(_:at:)``.
    private func reviewBatch(at time: Timestamp) async throws -> PassResult {
        guard let assessed = try await pending(at: time) else { return .caughtUp }
        return try await apply(assessed, at: time) ? .reviewed(eventsRead: assessed.eventsRead, assessed: assessed.subjects.count) : .overtaken
    }

    /// Reads and assesses, on a reader beside intake, the subjects reported after the cursor; nil
    /// when no event follows it.
    func pending(at time: Timestamp) async throws -> Assessed? {
        try await store.read { try await self.assess($0, at: time) }
    }

    /// Writes what `assessed` found, ``subjectsPerWrite`` subjects to a transaction, each of
    /// which locks the cursor and reads afresh only what it acts on (the subjects' state, cases,
    /// scores and shields), so nothing intake committed meanwhile is overwritten; reports committed
    /// after the reads are reviewed in the next pass. The last write moves the cursor. Returns
    /// false when the cursor is no longer where `assessed` read from: another pass reviewed those
    /// events meanwhile, and the writes left are not made. Writes made before that stand, and are
    /// not repeated by the other pass, which acts only on what its own transactions read (no
    /// second case for a subject, no second flag or shield).
    func apply(_ assessed: Assessed, at time: Timestamp) async throws -> Bool {
        let writes = assessed.writes(of: subjectsPerWrite)
        for (index, entries) in writes.enumerated() {
            let last = index == writes.count - 1
            guard try await write(entries, from: assessed.cursor, movingTo: last ? assessed.lastEvent : nil, at: time) else { return false }
        }
        return true
    }

    /// One write of a pass: the cases, flags and shields of `entries`, if the cursor is still at `cursor`.
    private func write(_ entries: [Assessed.Entry], from cursor: Int64, movingTo next: Int64?, at time: Timestamp) async throws -> Bool {
        let policy = self.policy
        let rules = self.rules
        return try await store.write { tx -> Bool in
            guard try await tx.independenceReviewCursor(locking: true) == cursor else { return false }
            let ids = entries.map(\.id)
            var pass = IndependenceReviewPass(policy: policy, rules: rules, now: time, subjects: try await tx.subjects(ids: ids))
            pass.scores = try await tx.categoryScores(subjectIDs: ids)
            pass.openCases = try await tx.openCases(subjectIDs: ids)
            pass.shields = try await tx.activeShields(creatorIDs: Set(pass.subjects.values.map(\.creatorID)), at: time)
            let stillDue = pass.needsAssessment()
            let counted = IndependenceReviewPass.countedReports(pass.scores)
            for entry in entries where stillDue.contains(entry.id) {
                // A decision spent some of the voices read: the case was decided on them, and a later report is reviewed in a later pass.
                guard let subject = pass.subjects[entry.id], counted[entry.id, default: 0] >= entry.voices.filter({ !$0.spent }).count else { continue }
                pass.review(subject, entry.voices, entry.assessment)
            }
            try await tx.insertCases(pass.newCases)
            try await tx.updateOpenCases(pass.caseUpdates.sorted(by: { $0.key < $1.key }).map(\.value))
            try await tx.insertShields(pass.newShields)
            try await tx.appendEvents(pass.events)
            if let next { try await tx.setIndependenceReviewCursor(next) }
            return true
        }
    }

    /// Reads the events after the cursor and assesses the subjects whose reports came near to mattering.
    private func assess(_ session: StoreSession, at time: Timestamp) async throws -> Assessed? {
        let cursor = try await session.independenceReviewCursor(locking: false)
        let (subjectIDs, read, last) = try await session.reportedSubjects(afterEvent: cursor, limit: Self.eventsPerPass)
        guard let last else { return nil }
        // Scores first: a subject with one report and short of review share needs nothing more read.
        let scores = try await session.categoryScores(subjectIDs: subjectIDs)
        let reports = IndependenceReviewPass.countedReports(scores)
        let nearing = Set(scores.filter { key, score in
            guard reports[key.subjectID, default: 0] < 2 else { return true }
            guard let category = policy.category(key.category) else { return false }
            let lowest = SubjectKind.allCases.map(category.threshold(for:)).min() ?? .infinity
            return score.score >= lowest * rules.independence.reviewShare
        }.map(\.key.subjectID))
        var pass = IndependenceReviewPass(policy: policy, rules: rules, now: time, subjects: try await session.subjects(ids: nearing))
        pass.scores = scores
        pass.openCases = try await session.openCases(subjectIDs: nearing)
        pass.shields = try await session.activeShields(creatorIDs: Set(pass.subjects.values.map(\.creatorID)), at: time)
        let dueSet = pass.needsAssessment()
        let due = subjectIDs.filter(dueSet.contains)
        let independence = rules.independence
        let voices = try await session.openVoices(
            subjectIDs: due, spentSince: time.adding(seconds: -independence.burstWindowMinutes * 60), limitPerSubject: IntakeWorkflow.voicesPerSubject)
        // Each subject is assessed without co-reporting ties first; the ties are read only for
        // the subjects where they can change what the assessment decides (``IndependenceReviewPass/needsTies``).
        var untied: [String: IndependenceAssessment] = [:]
        for subjectID in due {
            guard let subject = pass.subjects[subjectID] else { continue }
            untied[subjectID] = Independence.assess(voices: voices[subjectID] ?? [], ties: CoReportGraph(), reach: subject.reach, rules: independence)
        }
        let tied = voices.filter { subjectID, subjectVoices in untied[subjectID].map { pass.needsTies(subjectID, voices: subjectVoices, untied: $0) } ?? false }
        let ties = try await session.coReportTies(among: IntakeWorkflow.linkableReporters([], voices: tied, reporters: [:], rules: independence), rules: independence, at: time)
        var assessed = Assessed(cursor: cursor, lastEvent: last, eventsRead: read, subjects: [])
        for subjectID in due {
            guard let subject = pass.subjects[subjectID], let assessment = untied[subjectID] else { continue }
            let subjectVoices = voices[subjectID] ?? []
            assessed.subjects.append(Assessed.Entry(
                id: subjectID, creatorID: subject.creatorID, voices: subjectVoices,
                assessment: tied[subjectID] == nil ? assessment : Independence.assess(voices: subjectVoices, ties: ties, reach: subject.reach, rules: independence)))
        }
        return assessed
    }
}

/// The working set of one review transaction: the subjects reported since the last pass, and
/// the cases, flags and shields the pass adds.
struct IndependenceReviewPass {
    let policy: Policy
    let rules: ModerationRules
    let now: Timestamp
    let subjects: [String: Subject]
    var scores: [CategoryScoreKey: CategoryScore] = [:]
    var openCases: [String: CaseRecord] = [:]
    var shields: [String: CreatorShield] = [:]

    private(set) var newCases: [CaseRecord] = []
    private(set) var caseUpdates: [String: CaseRecord] = [:]
    private(set) var newShields: [CreatorShield] = []
    private(set) var events: [AuditEventDraft] = []

    init(policy: Policy, rules: ModerationRules, now: Timestamp, subjects: [String: Subject]) {
        self.policy = policy
        self.rules = rules
        self.now = now
        self.subjects = subjects
    }

    /// The subjects an assessment could open, flag or shield anything for: two counted reports
    /// (coordination takes two voices), or one category's raw weight at review share of its
    /// threshold (the independent weight never exceeds the raw one); and the subject is not
    /// already in review, flagged, with its creator shielded.
    func needsAssessment() -> Set<String> {
        var due = Set<String>()
        let reports = Self.countedReports(scores)
        for (key, score) in scores where !due.contains(key.subjectID) {
            guard let subject = subjects[key.subjectID], subject.state != .removed, let category = policy.category(key.category),
                  reports[key.subjectID, default: 0] >= 2 || score.score >= category.threshold(for: subject.kind) * rules.independence.reviewShare
            else { continue }
            if let open = openCases[key.subjectID], open.coordinationSuspected, isShielded(subject.creatorID) { continue }
            due.insert(key.subjectID)
        }
        return due
    }

    /// Each subject's counted reports, over its categories.
    static func countedReports(_ scores: [CategoryScoreKey: CategoryScore]) -> [String: Int] {
        scores.reduce(into: [:]) { $0[$1.key.subjectID, default: 0] += $1.value.countedReports }
    }

    /// Whether co-reporting ties can change what an assessment of `voices` decides here (`untied`:
    /// the assessment without them). Ties only
    /// join voices, so they can lower independent weight (which matters below the threshold only
    /// for opening a case, and a case opens as well for the coordination they then show) and
    /// reveal coordination. Without them, reports already coordinated get their case and flag, and
    /// a shield needs no ties where a group without them already earns it, or the creator has one,
    /// or fewer voices are linkable than a co-reporting group needs. The case view recomputes the
    /// groups with every tie for the moderator.
    func needsTies(_ subjectID: String, voices: [ReportVoice], untied: IndependenceAssessment) -> Bool {
        guard let subject = subjects[subjectID] else { return false }
        let independence = rules.independence
        let linkable = voices.filter { $0.standing != .trusted && ($0.spent || independence.mayBeLinked(reportsFiled: $0.reporterReportsFiled)) }
        guard linkable.count >= 2 else { return false }
        if !untied.coordinationSuspected { return true }
        guard !isShielded(subject.creatorID), linkable.count >= independence.shieldMinCoReportingGroup else { return false }
        return CoordinationFindings.shieldingGroups(untied, rules: independence).signals.isEmpty
    }

    /// Acts on what the assessment of one subject's undecided reports found.
    mutating func review(_ subject: Subject, _ voices: [ReportVoice], _ assessment: IndependenceAssessment) {
        let subjectID = subject.id
        if openCases[subjectID] == nil, subject.state == .visible || subject.state == .suppressed {
            openIfWorthReview(subject, assessment, voices: voices)
        } else if var open = openCases[subjectID], !open.coordinationSuspected, assessment.coordinationSuspected {
            open.coordinationSuspected = true
            save(open)
            events.append(CoordinationFindings.flagEvent(caseID: open.id, subjectID: subjectID, assessment: assessment, at: now))
        }
        shieldIfCoordinated(subject, assessment)
    }

    /// Opens a case when credible independent weight reached review share of a category's
    /// threshold, or the reports look coordinated (a pile-on is itself worth a look), flagged at
    /// once if they do. The case is for the most severe category that earned it.
    private mutating func openIfWorthReview(_ subject: Subject, _ assessment: IndependenceAssessment, voices: [ReportVoice]) {
        let independence = rules.independence
        let factor = isShielded(subject.creatorID) ? independence.shieldThresholdFactor : 1
        let reported = Set(voices.filter { !$0.spent }.map(\.category)).compactMap(policy.category)
        let worth = reported.filter {
            assessment.effectiveScore(category: $0.id) >= $0.threshold(for: subject.kind) * factor * independence.reviewShare
        }
        let coordinated = assessment.coordinationSuspected
        guard !worth.isEmpty || coordinated else { return }
        let scores = self.scores
        let raw = { (category: PolicyCategory) in scores[CategoryScoreKey(subjectID: subject.id, category: category.id)]?.score ?? 0 }
        guard let category = (worth.isEmpty ? reported : worth).max(by: { ($0.severity.rank, raw($0), $0.id) < ($1.severity.rank, raw($1), $1.id) }) else { return }
        let deadline = now.adding(seconds: category.reviewDeadlineHours * 3_600)
        let total = reported.reduce(0) { $0 + raw($1) }
        var record = CaseRecord(
            id: Identifier.make(prefix: "case", at: now), subjectID: subject.id, kind: subject.kind, category: category.id,
            severity: category.severity, openedAt: now, deadlineAt: deadline,
            priority: CasePriority.base(severity: category.severity, weightedScore: total, reach: subject.reach)
                + (isShielded(subject.creatorID) ? independence.shieldPriorityBoost : 0))
        record.coordinationSuspected = coordinated
        newCases.append(record)
        openCases[subject.id] = record
        events.append(AuditEventDraft(
            type: .caseOpened, subjectID: subject.id,
            payload: CaseOpened(caseId: record.id, category: category.id, severity: category.severity, deadlineAt: deadline.milliseconds),
            occurredAt: now))
        if coordinated { events.append(CoordinationFindings.flagEvent(caseID: record.id, subjectID: subject.id, assessment: assessment, at: now)) }
    }

    /// Shields the creator when a coordinated group of the shield's size reported the subject;
    /// the creator's open cases among this pass's subjects rise in the queue.
    private mutating func shieldIfCoordinated(_ subject: Subject, _ assessment: IndependenceAssessment) {
        guard !isShielded(subject.creatorID) else { return }
        let (signals, size) = CoordinationFindings.shieldingGroups(assessment, rules: rules.independence)
        guard !signals.isEmpty else { return }
        let (shield, event) = CoordinationFindings.shield(
            creatorID: subject.creatorID, subjectID: subject.id, signals: signals, size: size, rules: rules.independence, at: now)
        shields[subject.creatorID] = shield
        newShields.append(shield)
        events.append(event)
        for (subjectID, var open) in openCases where subjects[subjectID]?.creatorID == subject.creatorID {
            open.priority += rules.independence.shieldPriorityBoost
            save(open)
        }
    }

    private func isShielded(_ creatorID: String) -> Bool {
        shields[creatorID]?.isActive(at: now) ?? false
    }

    private mutating func save(_ record: CaseRecord) {
        CaseChanges.save(record, openCases: &openCases, newCases: &newCases, updates: &caseUpdates)
    }
}
