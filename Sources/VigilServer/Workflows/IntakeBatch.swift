import Foundation
import VigilCore
import VigilStore

/// The in-memory working set of one intake transaction: what was loaded for the batch, and what
/// the batch will write. Reports are applied in arrival order, each seeing the effects of the
/// ones before it (a duplicate within the batch, a threshold crossed by an earlier report).
struct IntakeBatch {
    let policy: Policy
    let rules: ModerationRules
    let now: Timestamp
    var stored: [String: StoredResponse]
    var subjects: [String: Subject]
    var reporters: [String: ReporterRecord] = [:]
    var existing: [ReporterSubjectKey: String] = [:]
    var scores: [CategoryScoreKey: CategoryScore] = [:]
    var openCases: [String: CaseRecord] = [:]
    /// Each subject's counted, undecided reports as voices, oldest first.
    var voices: [String: [ReportVoice]] = [:]
    /// The subjects whose reports are assessed for independence in this batch (``subjectsToAssess(_:)``);
    /// the others' reports cannot reach a decision that depends on it.
    var assessed: Set<String> = []
    var ties = CoReportGraph()
    var shields: [String: CreatorShield] = [:]
    var pressure: [String: CreatorPressure] = [:]

    private(set) var newReports: [StoredReport] = []
    private(set) var reporterIncrements: [String: (filed: Int, pending: Int)] = [:]
    private(set) var changedScores: [CategoryScoreKey: CategoryScore] = [:]
    private(set) var stateChanges: [String: (state: VisibilityState, ground: String)] = [:]
    private(set) var newCases: [CaseRecord] = []
    /// Open cases (opened before this batch) whose priority, deadline or flags changed.
    private(set) var caseUpdates: [String: CaseRecord] = [:]
    private(set) var newShields: [CreatorShield] = []
    /// Counted unvetted reports this batch adds against each creator's content.
    private(set) var creatorReports: [String: Int] = [:]
    private(set) var notices: [NoticeRecord] = []
    private(set) var events: [AuditEventDraft] = []
    private(set) var newResponses: [String: StoredResponse] = [:]

    init(policy: Policy, rules: ModerationRules, now: Timestamp, stored: [String: StoredResponse], subjects: [String: Subject]) {
        self.policy = policy
        self.rules = rules
        self.now = now
        self.stored = stored
        self.subjects = subjects
    }

    /// The subjects of `requests` whose independence assessment can change what intake does with
    /// this batch; the others' stored reports are not read.
    /// - Below a category's threshold no report can take the subject down or have it wait for a
    ///   takedown: the independent score never exceeds the raw one (a group counts as its strongest
    ///   member plus a bonus, at most its sum). Opening a case for review there (independent weight
    ///   past ``IndependenceRules/reviewShare`` of the threshold, or coordinated reports) and
    ///   shielding the creator from a coordinated group are the independence review's, once per
    ///   subject over many batches (``IndependenceReview``).
    /// - Below the raised threshold of a shielded creator, once the subject's case is open and
    ///   flagged as coordinated, an assessment has nothing left to decide.
    /// The bounds are the stored raw score plus every report of the batch at full weight, and the
    /// lowest threshold that could apply, so they can only assess too many.
    func subjectsToAssess(_ requests: [IntakeRequest]) -> Set<String> {
        var added: [CategoryScoreKey: Double] = [:]
        for request in requests {
            guard let subject = subjects[request.subjectID], let category = policy.category(request.reason) else { continue }
            added[CategoryScoreKey(subjectID: subject.id, category: category.id), default: 0] += weight(of: request)
        }
        var assessed = Set<String>()
        for (key, weight) in added where !assessed.contains(key.subjectID) {
            guard let subject = subjects[key.subjectID], let category = policy.category(key.category) else { continue }
            let raw = (scores[key]?.score ?? 0) + weight
            let threshold = category.threshold(for: subject.kind)
            guard raw >= threshold else { continue }
            if let open = openCases[subject.id], open.coordinationSuspected, let shield = shields[subject.creatorID], shield.isActive(at: now),
               raw < threshold * rules.independence.shieldThresholdFactor {
                continue
            }
            assessed.insert(key.subjectID)
        }
        return assessed
    }

    /// The weight a report would carry if counted (as ``apply(_:)`` weighs it, before any suspension).
    private func weight(of request: IntakeRequest) -> Double {
        let record = (reporters[request.reporterHash]?.record ?? .newcomer(at: now)).decayed(to: now, halfLifeDays: rules.credibility.halfLifeDays)
        return rules.credibility.reportWeight(channel: request.channel, record: record, accountAgeDays: request.accountAgeDays, at: now)
    }

    mutating func apply(_ request: IntakeRequest) -> Result<IntakeReceipt, any Error> {
        if let key = request.idempotencyKey, let previous = stored[key] {
            guard previous.fingerprint == request.fingerprint else { return .failure(VigilError.idempotencyKeyReused) }
            guard var receipt = IntakeReceipt.fromStored(previous.body) else {
                return .failure(VigilError.unavailable(detail: "the stored response for this idempotency key is unreadable"))
            }
            receipt.replayed = true
            return .success(receipt)
        }
        guard var subject = subjects[request.subjectID] else {
            return .failure(VigilError.unknownSubject(id: request.subjectID))
        }
        guard let category = policy.category(request.reason) else {
            return .failure(VigilError.invalidField(field: "reason", detail: "is not a policy category"))
        }
        let pair = ReporterSubjectKey(reporterHash: request.reporterHash, subjectID: subject.id)
        if let earlier = existing[pair] {
            return .success(remember(IntakeReceipt(reportID: earlier, status: .duplicate, counted: false), for: request))
        }

        let reporter = reporters[request.reporterHash]
        let suspended = reporter?.standing.isSuspended(at: now) ?? false
        let record = (reporter?.record ?? .newcomer(at: now)).decayed(to: now, halfLifeDays: rules.credibility.halfLifeDays)
        let weight = suspended ? 0 : rules.credibility.reportWeight(
            channel: request.channel, record: record, accountAgeDays: request.accountAgeDays, at: now)
        let standing = rules.independence.standing(
            channel: request.channel, record: record, credibilityWeight: rules.credibility.credibilityWeight(record: record, at: now),
            accountAgeDays: request.accountAgeDays)

        // The subject's voices with this one, as they would stand if it is counted.
        let voice = ReportVoice(
            reporterHash: request.reporterHash, category: category.id, weight: weight, standing: standing, receivedAt: now,
            reporterReportsFiled: (reporter?.reportsFiled ?? 0) + (reporterIncrements[request.reporterHash]?.filed ?? 0) + 1)
        let earlier = voices[subject.id] ?? []
        let mayCount = !suspended && weight > 0 && subject.state != .removed
        let currentScore = scores[CategoryScoreKey(subjectID: subject.id, category: category.id)]?.score ?? 0
        let isAssessed = assessed.contains(subject.id)
        // Co-reports with the subject's earlier reporters, as the stored ones are read (``StoreSession/coReportTies``).
        if mayCount && isAssessed { for pair in coReporters(of: voice, with: earlier) { ties.addOpen(pair) } }
        let assessment = isAssessed
            ? Independence.assess(voices: mayCount ? earlier + [voice] : earlier, ties: ties, reach: subject.reach, rules: rules.independence)
            : Independence.assess(voices: [], ties: CoReportGraph(), reach: subject.reach, rules: rules.independence)
        // Unassessed, the reports cannot carry a takedown (``subjectsToAssess(_:)``), and review
        // and coordination are left to the independence review.
        let corroboration = isAssessed
            ? Corroboration(assessment, category: category.id, detected: subject.detectedCategories.contains(category.id))
            : Corroboration(independentScore: 0, voices: 0, vetted: false)
        let shield = shields[subject.creatorID].flatMap { $0.isActive(at: now) ? $0 : nil }
        let outcome = Triage.assess(
            subject: TriageSubject(state: subject.state, kind: subject.kind, hasOpenCase: openCases[subject.id] != nil, reviewedReasons: subject.reviewedReasons),
            category: category, currentScore: currentScore, weight: weight,
            channel: request.channel, corroboration: corroboration,
            thresholdFactor: shield == nil ? 1 : rules.independence.shieldThresholdFactor,
            reporterSuspended: suspended, newReasonMinWeight: rules.newReasonMinWeight, reviewShare: rules.independence.reviewShare,
            settleSeconds: rules.independence.settleSeconds(subject.kind))

        let reportID = Identifier.make(prefix: "rpt", at: now)
        var stored = StoredReport(
            id: reportID, subjectID: subject.id, reporterHash: request.reporterHash, reporterSeal: request.reporterSeal,
            reason: category.id, note: request.note, channel: request.channel,
            noticeExplanation: request.notice?.explanation, noticeLocation: request.notice?.locationURL,
            noticeLegalGround: request.notice?.legalGround, noticeContactSeal: request.noticeContactSeal,
            weight: weight, counted: outcome.counted, policyVersion: policy.version, receivedAt: now)
        stored.standing = standing
        newReports.append(stored)
        existing[pair] = reportID
        reporterIncrements[request.reporterHash, default: (0, 0)].filed += 1
        let scoreKey = CategoryScoreKey(subjectID: subject.id, category: category.id)
        if outcome.counted {
            reporterIncrements[request.reporterHash, default: (0, 0)].pending += 1
            let current = scores[scoreKey] ?? CategoryScore(score: 0, countedReports: 0)
            let updated = CategoryScore(score: outcome.categoryScore, countedReports: current.countedReports + 1)
            scores[scoreKey] = updated
            changedScores[scoreKey] = updated
            voices[subject.id, default: []].append(voice)
            if !standing.isVetted {
                pressure[subject.creatorID, default: CreatorPressure(reports: 0, subjects: 1, views: 0, liveViewers: 0)].reports += 1
                creatorReports[subject.creatorID, default: 0] += 1
            }
        }
        events.append(AuditEventDraft(
            type: .reportReceived, subjectID: subject.id,
            payload: ReportReceived(
                reportId: reportID, reason: category.id, channel: request.channel, weight: weight,
                counted: outcome.counted, policyVersion: policy.version, standing: standing),
            occurredAt: now))

        if let newState = outcome.newState {
            let takedown = ProvisionalTakedown(subject: subject, category: category, policy: policy, at: now)
            events.append(takedown.event)
            notices.append(takedown.notice)
            subject.state = newState
            subject.stateGround = category.id
            subjects[subject.id] = subject
            stateChanges[subject.id] = (newState, category.id)
            // A vetted voice acted before the wait was over: nothing is left to settle.
            if var open = openCases[subject.id], open.takedownDueAt != nil {
                open.takedownDueAt = nil
                save(open)
            }
        }
        if outcome.counted { shieldIfPiledOn(subject, assessment) }
        if outcome.opensCase {
            let deadlineHours = outcome.urgent ? min(category.reviewDeadlineHours, rules.independence.loneCriticalDeadlineHours) : category.reviewDeadlineHours
            let deadline = now.adding(seconds: deadlineHours * 3_600)
            var caseRecord = CaseRecord(
                id: Identifier.make(prefix: "case", at: now), subjectID: subject.id, kind: subject.kind, category: category.id,
                severity: category.severity, openedAt: now, deadlineAt: deadline,
                priority: priority(of: subject, severity: category.severity, lowered: outcome.lowersPriority))
            caseRecord.urgent = outcome.urgent
            newCases.append(caseRecord)
            openCases[subject.id] = caseRecord
            events.append(AuditEventDraft(
                type: .caseOpened, subjectID: subject.id,
                payload: CaseOpened(caseId: caseRecord.id, category: category.id, severity: category.severity, deadlineAt: deadline.milliseconds,
                                    urgent: outcome.urgent ? true : nil),
                occurredAt: now))
            if outcome.settling { scheduleTakedown(caseRecord, subject: subject, category: category.id, assessment: assessment) }
        } else if var open = openCases[subject.id] {
            var changed = false
            // A change of priority under half a point moves no case past another that matters:
            // not writing it spares a busy subject's every report an index update.
            if outcome.counted {
                let updated = priority(of: subject, severity: open.severity)
                if abs(updated - open.priority) >= 0.5 {
                    open.priority = updated
                    changed = true
                }
            }
            if outcome.urgent && !open.urgent {
                open.urgent = true
                open.deadlineAt = min(open.deadlineAt, now.adding(seconds: rules.independence.loneCriticalDeadlineHours * 3_600))
                changed = true
            }
            if changed { save(open) }
            if outcome.settling, open.takedownDueAt == nil { scheduleTakedown(open, subject: subject, category: category.id, assessment: assessment) }
        }
        if var open = openCases[subject.id], !open.coordinationSuspected, assessment.coordinationSuspected {
            open.coordinationSuspected = true
            save(open)
            events.append(CoordinationFindings.flagEvent(caseID: open.id, subjectID: subject.id, assessment: assessment, at: now))
        }
        return .success(remember(IntakeReceipt(reportID: reportID, status: .received, counted: outcome.counted), for: request))
    }

    /// Lets a corroborated takedown wait out its settle period on the subject's open case; the
    /// maintenance sweep carries it out then if the reports still stand (``TakedownSettling``).
    private mutating func scheduleTakedown(_ record: CaseRecord, subject: Subject, category: String, assessment: IndependenceAssessment) {
        var record = record
        let due = now.adding(seconds: rules.independence.settleSeconds(subject.kind))
        record.takedownDueAt = due
        save(record)
        events.append(AuditEventDraft(
            type: .takedownPending, subjectID: subject.id,
            payload: TakedownSettlement(
                caseId: record.id, category: category, dueAt: due.milliseconds,
                independentScore: assessment.effectiveScore(category: category), independentVoices: assessment.independentVoices(category: category)),
            occurredAt: now))
    }

    /// The pairs the new voice makes with the subject's latest reporters within the co-report window.
    private func coReporters(of voice: ReportVoice, with earlier: [ReportVoice]) -> [ReporterPair] {
        let window = rules.independence.coReportWindowHours * 3_600
        return earlier.suffix(rules.independence.maxCoReportPeers)
            .filter { $0.reporterHash != voice.reporterHash && $0.receivedAt.seconds(until: voice.receivedAt) <= window }
            .map { ReporterPair($0.reporterHash, voice.reporterHash) }
    }

    /// Shields the subject's creator when a coordinated group of the shield's size reported the
    /// subject, or more reporters went after the creator's content than its reach explains.
    private mutating func shieldIfPiledOn(_ subject: Subject, _ assessment: IndependenceAssessment) {
        let independence = rules.independence
        if let current = shields[subject.creatorID], current.isActive(at: now) { return }
        var (signals, size) = CoordinationFindings.shieldingGroups(assessment, rules: independence)
        if let pressure = pressure[subject.creatorID], independence.isPileOn(pressure) {
            signals.insert(.pileOn)
            size = max(size, pressure.reports)
        }
        guard !signals.isEmpty else { return }
        let (shield, event) = CoordinationFindings.shield(
            creatorID: subject.creatorID, subjectID: subject.id, signals: signals, size: size, rules: independence, at: now)
        shields[subject.creatorID] = shield
        newShields.append(shield)
        events.append(event)
        // The creator's open cases rise in the queue.
        for (subjectID, var open) in openCases where subjects[subjectID]?.creatorID == subject.creatorID {
            open.priority += independence.shieldPriorityBoost
            save(open)
        }
    }

    /// A case's priority from its subject's scores and reach, raised while the creator is shielded.
    private func priority(of subject: Subject, severity: Severity, lowered: Bool = false) -> Double {
        let shielded = shields[subject.creatorID]?.isActive(at: now) ?? false
        return CasePriority.base(severity: severity, weightedScore: total(of: subject.id), reach: subject.reach, lowered: lowered)
            + (shielded ? rules.independence.shieldPriorityBoost : 0)
    }

    private mutating func save(_ record: CaseRecord) {
        CaseChanges.save(record, openCases: &openCases, newCases: &newCases, updates: &caseUpdates)
    }

    /// A subject's weighted score over all categories, derived from the scores loaded and updated so far.
    private func total(of subjectID: String) -> Double {
        scores.reduce(0) { $1.key.subjectID == subjectID ? $0 + $1.value.score : $0 }
    }

    /// Keeps the receipt under the request's idempotency key, so a retry gets the same answer.
    private mutating func remember(_ receipt: IntakeReceipt, for request: IntakeRequest) -> IntakeReceipt {
        guard let key = request.idempotencyKey else { return receipt }
        guard let body = IntakeReceipt.stored(receipt) else { return receipt }
        let response = StoredResponse(fingerprint: request.fingerprint, statusCode: receipt.created ? 201 : 200, body: body)
        stored[key] = response
        newResponses[key] = response
        return receipt
    }
}

