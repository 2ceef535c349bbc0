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

    private(set) var newReports: [StoredReport] = []
    private(set) var reporterIncrements: [String: (filed: Int, pending: Int)] = [:]
    private(set) var changedScores: [CategoryScoreKey: CategoryScore] = [:]
    private(set) var stateChanges: [String: (state: VisibilityState, ground: String)] = [:]
    private(set) var newCases: [CaseRecord] = []
    private(set) var priorityChanges: [String: Double] = [:]
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
        let weight = suspended ? 0 : rules.credibility.reportWeight(
            channel: request.channel, record: reporter?.record ?? .newcomer(at: now), accountAgeDays: request.accountAgeDays, at: now)
        let scoreKey = CategoryScoreKey(subjectID: subject.id, category: category.id)
        let current = scores[scoreKey] ?? CategoryScore(score: 0, countedReports: 0)
        let outcome = Triage.assess(
            subject: TriageSubject(state: subject.state, kind: subject.kind, hasOpenCase: openCases[subject.id] != nil, reviewedReasons: subject.reviewedReasons),
            category: category, currentScore: current.score, weight: weight, channel: request.channel,
            reporterSuspended: suspended, newReasonMinWeight: rules.newReasonMinWeight)

        let reportID = Identifier.make(prefix: "rpt", at: now)
        newReports.append(StoredReport(
            id: reportID, subjectID: subject.id, reporterHash: request.reporterHash, reporterSeal: request.reporterSeal,
            reason: category.id, note: request.note, channel: request.channel,
            noticeExplanation: request.notice?.explanation, noticeLocation: request.notice?.locationURL,
            noticeLegalGround: request.notice?.legalGround, noticeContactSeal: request.noticeContactSeal,
            weight: weight, counted: outcome.counted, policyVersion: policy.version, receivedAt: now))
        existing[pair] = reportID
        reporterIncrements[request.reporterHash, default: (0, 0)].filed += 1
        if outcome.counted {
            reporterIncrements[request.reporterHash, default: (0, 0)].pending += 1
            let updated = CategoryScore(score: outcome.categoryScore, countedReports: current.countedReports + 1)
            scores[scoreKey] = updated
            changedScores[scoreKey] = updated
            if var open = openCases[subject.id] {
                open.priority = CasePriority.base(severity: open.severity, weightedScore: total(of: subject.id), reach: subject.reach)
                openCases[subject.id] = open
                if newCases.contains(where: { $0.id == open.id }) {
                    newCases = newCases.map { $0.id == open.id ? open : $0 }
                } else {
                    priorityChanges[open.id] = open.priority
                }
            }
        }
        events.append(AuditEventDraft(
            type: .reportReceived, subjectID: subject.id,
            payload: ReportReceived(
                reportId: reportID, reason: category.id, channel: request.channel, weight: weight,
                counted: outcome.counted, policyVersion: policy.version),
            occurredAt: now))

        if let newState = outcome.newState {
            events.append(AuditEventDraft(
                type: .subjectStateChanged, subjectID: subject.id,
                payload: SubjectStateChanged(from: subject.state, to: newState, ground: category.id, cause: .reportThreshold, policyVersion: policy.version),
                occurredAt: now))
            subject.state = newState
            subject.stateGround = category.id
            subjects[subject.id] = subject
            stateChanges[subject.id] = (newState, category.id)
            // Dated to the hour, notice id included: to the millisecond it would date the report.
            notices.append(NoticeComposer.statement(
                .provisionalTakedown(subject: subject, category: category, policyVersion: policy.version, at: now.hourFloor),
                to: subject.creatorID, subjectID: subject.id, decisionID: nil, at: now.hourFloor))
        }
        if outcome.opensCase {
            let deadline = now.adding(seconds: category.reviewDeadlineHours * 3_600)
            let caseRecord = CaseRecord(
                id: Identifier.make(prefix: "case", at: now), subjectID: subject.id, kind: subject.kind, category: category.id,
                severity: category.severity, openedAt: now, deadlineAt: deadline,
                priority: CasePriority.base(severity: category.severity, weightedScore: total(of: subject.id), reach: subject.reach, lowered: outcome.lowersPriority))
            newCases.append(caseRecord)
            openCases[subject.id] = caseRecord
            events.append(AuditEventDraft(
                type: .caseOpened, subjectID: subject.id,
                payload: CaseOpened(caseId: caseRecord.id, category: category.id, severity: category.severity, deadlineAt: deadline.milliseconds),
                occurredAt: now))
        }
        return .success(remember(IntakeReceipt(reportID: reportID, status: .received, counted: outcome.counted), for: request))
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

