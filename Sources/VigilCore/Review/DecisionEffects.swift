import Foundation

/// Everything a decision changes, worked out in memory: the decision row, the events, the
/// notices, and each reporter's new record. The review workflow writes what this computes.
public struct DecisionEffects: Sendable {
    public let policy: Policy
    public let rules: ModerationRules
    public let now: Timestamp
    public let subject: Subject
    public let input: DecisionInput
    public let record: DecisionRecord
    public private(set) var events: [AuditEventDraft] = []
    public private(set) var notices: [NoticeRecord] = []
    /// Misuse warnings and suspensions this decision brings on reporters.
    public private(set) var misuseMeasures: [MisuseMeasureRecord] = []

    public init(policy: Policy, rules: ModerationRules, now: Timestamp, record caseRecord: CaseRecord, subject: Subject, moderatorID: String, input: DecisionInput) {
        self.policy = policy
        self.rules = rules
        self.now = now
        self.subject = subject
        self.input = input
        let resulting = input.resultingState
        self.record = DecisionRecord(
            id: Identifier.make(prefix: "dec", at: now), caseID: caseRecord.id, subjectID: subject.id, creatorID: subject.creatorID,
            moderatorID: moderatorID, outcome: input.outcome, policyIDs: input.policyIDs, action: input.action, strike: input.strike,
            note: input.note, policyVersion: policy.version, previousState: subject.state, resultingState: resulting,
            automated: false, decidedAt: now)

        events.append(AuditEventDraft(type: .decisionMade, subjectID: subject.id, payload: DecisionMade(
            decisionId: record.id, caseId: caseRecord.id, moderatorId: moderatorID, outcome: input.outcome,
            policyIds: input.policyIDs, action: input.action, strike: input.strike, policyVersion: policy.version), occurredAt: now))
        if resulting != subject.state {
            events.append(AuditEventDraft(type: .subjectStateChanged, subjectID: subject.id, payload: SubjectStateChanged(
                from: subject.state, to: resulting, ground: ground, cause: .decision, decisionId: record.id,
                creatorId: subject.creatorID, policyVersion: policy.version), occurredAt: now))
        }
        events.append(AuditEventDraft(type: .caseClosed, subjectID: subject.id, payload: CaseClosed(caseId: caseRecord.id, decisionId: record.id), occurredAt: now))

        switch input.outcome {
        case .violation:
            notices.append(NoticeComposer.statement(
                .violation(subject: subject, decision: input, decisionID: record.id, grounds: grounds, policyVersion: policy.version, at: now),
                to: subject.creatorID, subjectID: subject.id, decisionID: record.id, at: now))
        case .noViolation where subject.state != .visible:
            notices.append(NoticeComposer.message(
                .restrictionLifted,
                .init(message: "A moderator reviewed your \(subject.kind.rawValue) and found no violation of the community guidelines. It is visible again.", until: nil, decisionId: record.id),
                to: .creator(subject.creatorID), subjectID: subject.id, decisionID: record.id, at: now))
        case .noViolation:
            break
        }
    }

    public var grounds: [PolicyCategory] { input.policyIDs.compactMap(policy.category) }

    /// The policy ground the subject's state rests on after the decision (none when visible).
    public var ground: String? { input.outcome == .violation ? input.primaryGround(in: policy)?.id : nil }

    public var reportStatus: ReportStatus { input.outcome == .violation ? .actionTaken : .noViolation }

    /// The reporter's record after this decision: decayed to now, plus this decision's reports, and
    /// the misuse step their recent record calls for (DSA Art. 23).
    public mutating func updateReporter(_ reporter: ReporterRecord, decidedReports: Int, recent: DecidedCounts) -> ReporterRecord {
        var updated = reporter
        var record = reporter.record.decayed(to: now, halfLifeDays: rules.credibility.halfLifeDays)
        if input.outcome == .violation { record.upheld += Double(decidedReports) } else { record.dismissed += Double(decidedReports) }
        updated.record = record

        var standing = reporter.standing
        if standing.standing == .suspended, !standing.isSuspended(at: now) {
            standing = ReporterStanding(standing: .warned)  // lapsed; the sweeper records the lifting
        }
        switch rules.misuse.step(dismissed: recent.dismissed, upheld: recent.upheld, standing: standing.standing) {
        case .warn?:
            standing = ReporterStanding(standing: .warned)
            let measure = MisuseMeasureRecord(id: Identifier.make(prefix: "mis", at: now), reporterHash: reporter.reporterHash, kind: .warning, imposedAt: now, until: nil)
            misuseMeasures.append(measure)
            events.append(AuditEventDraft(type: .reporterWarned, subjectID: nil, payload: MisuseChanged(
                reporterRef: reporter.reporterHash, measureId: measure.id, dismissed: recent.dismissed, upheld: recent.upheld, until: nil), occurredAt: now))
            notices.append(NoticeComposer.message(.misuseWarning, .init(
                message: "Many of your recent reports were found to be unfounded. If this continues, your reports will be suspended for a period. You can contest this warning by appealing with its measure id.",
                until: nil, decisionId: nil, measureId: measure.id), to: .reporter(hash: reporter.reporterHash), subjectID: nil, decisionID: nil, at: now))
        case .suspend(let days)?:
            let until = now.adding(seconds: days * 86_400)
            standing = ReporterStanding(standing: .suspended, until: until)
            let measure = MisuseMeasureRecord(id: Identifier.make(prefix: "mis", at: now), reporterHash: reporter.reporterHash, kind: .suspension, imposedAt: now, until: until)
            misuseMeasures.append(measure)
            events.append(AuditEventDraft(type: .reporterSuspended, subjectID: nil, payload: MisuseChanged(
                reporterRef: reporter.reporterHash, measureId: measure.id, dismissed: recent.dismissed, upheld: recent.upheld, until: until.milliseconds), occurredAt: now))
            notices.append(NoticeComposer.message(.misuseSuspension, .init(
                message: "After a warning, more of your reports were found to be manifestly unfounded. Until the date given, your reports are recorded but not acted on. Notices of illegal content are still reviewed. You can contest this suspension by appealing with its measure id.",
                until: until.iso8601, decisionId: nil, measureId: measure.id), to: .reporter(hash: reporter.reporterHash), subjectID: nil, decisionID: nil, at: now))
        case nil:
            break
        }
        updated.standing = standing
        return updated
    }

    /// Records a strike; returns the account measure it brings, if the new count reaches a rung.
    public mutating func addStrike(id: String, expires: Timestamp, activeCount: Int) -> AccountActionRecord? {
        events.append(AuditEventDraft(type: .strikeAdded, subjectID: subject.id, payload: StrikeAdded(
            strikeId: id, creatorId: subject.creatorID, decisionId: record.id, expiresAt: expires.milliseconds, activeStrikes: activeCount), occurredAt: now))
        guard let rung = rules.strikes.action(afterStrikeBringingActiveCountTo: activeCount) else { return nil }
        let action = AccountActionRecord(
            id: Identifier.make(prefix: "acc", at: now), creatorID: subject.creatorID, action: rung.action, decisionID: record.id,
            activeStrikes: activeCount, startsAt: now, endsAt: rung.days.map { now.adding(seconds: $0 * 86_400) })
        events.append(AuditEventDraft(type: .accountActionApplied, subjectID: nil, payload: AccountActionChanged(
            actionId: action.id, creatorId: subject.creatorID, action: rung.action, endsAt: action.endsAt?.milliseconds,
            decisionId: record.id, activeStrikes: activeCount), occurredAt: now))
        notices.append(NoticeComposer.statement(
            .accountAction(creatorID: subject.creatorID, rung: rung, activeStrikes: activeCount, decisionID: record.id, grounds: grounds, policyVersion: policy.version, at: now),
            to: subject.creatorID, subjectID: nil, decisionID: record.id, at: now))
        return action
    }
}






