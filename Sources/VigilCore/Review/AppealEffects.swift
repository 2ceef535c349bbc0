/// What deciding an appeal against a decision changes, worked out in memory from what the appeals
/// workflow loaded. Granted for a creator: the restriction, its strike and the account measures it
/// brought are reversed, and the reporters' records corrected (their reports were not upheld
/// after all). Granted for a reporter: the reporters' records are corrected the other way and the
/// content goes back to review. Either way the appellant is told why. The workflow writes it.
public struct DecisionAppealEffects: Sendable {
    /// What the workflow read in the appeal's transaction.
    public struct Loaded: Sendable {
        public var appeal: AppealRecord
        public var decision: DecisionRecord
        public var subject: Subject
        /// The decision's strikes not yet revoked, with when each expires.
        public var unrevokedStrikes: [(id: String, expiresAt: Timestamp)]
        /// The creator's active strikes now, before any revocation.
        public var activeStrikes: Int
        /// The account measures the decision brought that are still in force.
        public var liftableActions: [AccountActionRecord]
        /// The counted reports the decision resolved, by reporter hash, and those reporters' records.
        public var countedReports: [String: Int]
        public var reporters: [String: ReporterRecord]
        /// Whether the subject has an open case already (a reporter's granted appeal then opens none).
        public var subjectHasOpenCase: Bool
        /// The category of the decided case.
        public var decidedCategory: String?

        public init(appeal: AppealRecord, decision: DecisionRecord, subject: Subject, unrevokedStrikes: [(id: String, expiresAt: Timestamp)],
                    activeStrikes: Int, liftableActions: [AccountActionRecord], countedReports: [String: Int], reporters: [String: ReporterRecord],
                    subjectHasOpenCase: Bool, decidedCategory: String?) {
            self.appeal = appeal
            self.decision = decision
            self.subject = subject
            self.unrevokedStrikes = unrevokedStrikes
            self.activeStrikes = activeStrikes
            self.liftableActions = liftableActions
            self.countedReports = countedReports
            self.reporters = reporters
            self.subjectHasOpenCase = subjectHasOpenCase
            self.decidedCategory = decidedCategory
        }
    }

    /// The subject's new state, if it changes (back to visible).
    public private(set) var subjectState: VisibilityState?
    /// Whether the decision's strikes are revoked.
    public private(set) var revokesStrikes = false
    /// Account measures lifted now.
    public private(set) var liftedActionIDs: [String] = []
    /// Reporters' corrected records.
    public private(set) var reporters: [ReporterRecord] = []
    /// The status the decided reports now have, if it changes.
    public private(set) var reportStatus: ReportStatus?
    /// A case opened to review the content again.
    public private(set) var reopenedCase: CaseRecord?
    public private(set) var events: [AuditEventDraft] = []
    public private(set) var notice: NoticeRecord

    public init(_ loaded: Loaded, outcome: AppealOutcome, moderatorID: String, note: String, policy: Policy, rules: ModerationRules, now: Timestamp) {
        let (appeal, decision, subject) = (loaded.appeal, loaded.decision, loaded.subject)
        events = [AuditEventDraft(type: .appealDecided, subjectID: subject.id, payload: AppealChanged(
            appealId: appeal.id, decisionId: decision.id, measureId: nil, appellantType: appeal.appellantType, outcome: outcome, moderatorId: moderatorID),
            occurredAt: now)]
        var message: String
        switch (outcome, appeal.appellantType) {
        case (.granted, .creator):
            if subject.state == decision.resultingState, subject.state != .visible {
                subjectState = .visible
                events.append(AuditEventDraft(type: .subjectStateChanged, subjectID: subject.id, payload: SubjectStateChanged(
                    from: subject.state, to: .visible, ground: nil, cause: .appealGranted,
                    decisionId: decision.id, creatorId: subject.creatorID, policyVersion: policy.version), occurredAt: now))
            }
            revokesStrikes = true
            for strike in loaded.unrevokedStrikes {
                events.append(AuditEventDraft(type: .strikeRevoked, subjectID: subject.id,
                                              payload: StrikeRevoked(strikeId: strike.id, creatorId: subject.creatorID, appealId: appeal.id), occurredAt: now))
            }
            // The lifted measures' events tell the platform the count as it stands after the revocation.
            let remaining = max(0, loaded.activeStrikes - loaded.unrevokedStrikes.filter { $0.expiresAt > now }.count)
            for action in loaded.liftableActions {
                liftedActionIDs.append(action.id)
                events.append(AuditEventDraft(type: .accountActionLifted, subjectID: nil, payload: AccountActionChanged(
                    actionId: action.id, creatorId: action.creatorID, action: action.action, endsAt: action.endsAt?.milliseconds,
                    decisionId: decision.id, activeStrikes: remaining), occurredAt: now))
            }
            reporters = Self.corrected(loaded.reporters, counted: loaded.countedReports, upheldWasRight: false, rules: rules, now: now)
            reportStatus = .noViolation
            message = "Your appeal was granted: the restriction, its strike and any account measure it brought have been reversed."
        case (.granted, .reporter):
            reporters = Self.corrected(loaded.reporters, counted: loaded.countedReports, upheldWasRight: true, rules: rules, now: now)
            if !loaded.subjectHasOpenCase, let category = loaded.decidedCategory.flatMap(policy.category) {
                let reopened = CaseRecord(
                    id: Identifier.make(prefix: "case", at: now), subjectID: subject.id, kind: subject.kind, category: category.id,
                    severity: category.severity, openedAt: now, deadlineAt: now.adding(seconds: category.reviewDeadlineHours * 3_600),
                    priority: CasePriority.base(severity: category.severity, weightedScore: 0, reach: subject.reach))
                reopenedCase = reopened
                events.append(AuditEventDraft(type: .caseOpened, subjectID: subject.id, payload: CaseOpened(
                    caseId: reopened.id, category: category.id, severity: category.severity, deadlineAt: reopened.deadlineAt.milliseconds), occurredAt: now))
            }
            message = "Your appeal was granted: the content will be reviewed again by another moderator."
        case (.denied, _):
            message = "Your appeal was reviewed by a moderator other than the one who decided, and the decision stands."
        }
        message += " Reasons: \(note)"
        let recipient: NoticeRecord.Recipient = appeal.appellantType == .creator ? .creator(appeal.appellant) : .reporter(hash: appeal.appellant)
        notice = NoticeComposer.message(.appealOutcome, .init(message: message, until: nil, decisionId: decision.id),
                                        to: recipient, subjectID: subject.id, decisionID: decision.id, at: now)
    }

    /// Each counted reporter's decided reports moved from upheld to dismissed (or back), on the
    /// record decayed to now.
    static func corrected(_ reporters: [String: ReporterRecord], counted: [String: Int], upheldWasRight: Bool, rules: ModerationRules, now: Timestamp) -> [ReporterRecord] {
        counted.sorted { $0.key < $1.key }.compactMap { hash, n in
            guard var reporter = reporters[hash] else { return nil }
            var record = reporter.record.decayed(to: now, halfLifeDays: rules.credibility.halfLifeDays)
            let moved = Double(n)
            if upheldWasRight {
                record.dismissed = max(0, record.dismissed - moved)
                record.upheld += moved
            } else {
                record.upheld = max(0, record.upheld - moved)
                record.dismissed += moved
            }
            reporter.record = record
            return reporter
        }
    }
}

/// What deciding an appeal against a misuse warning or suspension changes. Granted: the measure
/// is void on record, and if it is the reporter's latest it no longer applies: a suspension ends
/// now (the warning before it stands), a warning is withdrawn. A suspension that followed a
/// contested warning is contested on its own.
public struct MisuseAppealEffects: Sendable {
    /// Whether the measure is revoked.
    public private(set) var revokesMeasure = false
    /// The reporter's record with its new standing, if it changes.
    public private(set) var reporter: ReporterRecord?
    public private(set) var events: [AuditEventDraft] = []
    public private(set) var notice: NoticeRecord

    /// `latestMeasureID` is the reporter's most recent measure; `reporter` their record, if any.
    public init(appeal: AppealRecord, measure: MisuseMeasureRecord, latestMeasureID: String?, reporter: ReporterRecord?,
                outcome: AppealOutcome, moderatorID: String, note: String, now: Timestamp) {
        events = [AuditEventDraft(type: .appealDecided, subjectID: nil, payload: AppealChanged(
            appealId: appeal.id, decisionId: nil, measureId: measure.id, appellantType: appeal.appellantType,
            outcome: outcome, moderatorId: moderatorID), occurredAt: now)]
        var message: String
        switch outcome {
        case .granted:
            revokesMeasure = true
            if latestMeasureID == measure.id, var record = reporter {
                record.standing = switch measure.kind {
                case .suspension: ReporterStanding(standing: .warned)
                case .warning: record.standing.standing == .warned ? ReporterStanding(standing: .good) : record.standing
                }
                self.reporter = record
            }
            events.append(AuditEventDraft(type: .misuseMeasureRevoked, subjectID: nil, payload: MisuseChanged(
                reporterRef: measure.reporterHash, measureId: measure.id, dismissed: 0, upheld: 0, until: nil), occurredAt: now))
            message = measure.kind == .suspension
                ? "Your appeal was granted: the suspension is withdrawn and your reports count again."
                : "Your appeal was granted: the warning is withdrawn."
        case .denied:
            message = "Your appeal was reviewed by a moderator and the \(measure.kind.rawValue) stands."
        }
        message += " Reasons: \(note)"
        notice = NoticeComposer.message(.appealOutcome, .init(message: message, until: nil, decisionId: nil, measureId: measure.id),
                                        to: .reporter(hash: measure.reporterHash), subjectID: nil, decisionID: nil, at: now)
    }
}
