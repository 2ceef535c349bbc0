/// What rule matches change, worked out in memory: the subject's state, the case for a moderator,
/// the creator's statement, the events and the match records. The detection workflow writes it in
/// the transaction that recorded the signals.
///
/// Only the strongest live match acts, and only to restrict further than the subject already is.
/// Taking content down (pending review or removal) always opens a case; a suppression does unless
/// its rule says `review: false`, in which case it is an automated decision the creator can appeal
/// at once. Shadow matches are recorded and change nothing.
public struct AutomatedActionEffects: Sendable {
    /// The moderator id automated decisions are recorded under.
    public static let automationID = "automation"

    public private(set) var newState: VisibilityState?
    public private(set) var ground: String?
    /// A case to insert: open for review, or closed at once by ``decision``.
    public private(set) var newCase: CaseRecord?
    /// The subject's open case, changed (marked as raised by detection).
    public private(set) var updatedCase: CaseRecord?
    /// An automated decision (a suppression no moderator reviews), closing ``newCase``.
    public private(set) var decision: DecisionRecord?
    public private(set) var notices: [NoticeRecord] = []
    public private(set) var events: [AuditEventDraft] = []
    public private(set) var matches: [RuleMatchRecord] = []
    /// The match whose action applied, if one did.
    public private(set) var applied: RuleVerdict?
    /// The subject's detected categories after these matches: every live match adds its rule's
    /// policy category, which then corroborates reports of that category (``Corroboration``).
    public private(set) var detectedCategories: Set<String>

    public init(policy: Policy, ruleSet: RuleSet, subject: Subject, openCase: CaseRecord?, verdicts: [RuleVerdict], now: Timestamp) {
        var caseID = openCase?.id
        detectedCategories = subject.detectedCategories.union(verdicts.filter { $0.mode == .live && $0.action != .allow }.compactMap { ruleSet.rule($0.ruleID)?.policy })
        if let strongest = RuleEvaluation.strongest(verdicts), let rule = ruleSet.rule(strongest.ruleID), let category = policy.category(rule.policy) {
            applied = strongest
            let restriction = strongest.action.state.flatMap { $0.restrictionRank > subject.state.restrictionRank ? $0 : nil }
            if let state = restriction, strongest.action == .suppress, !rule.review, openCase == nil {
                caseID = decideAutomatically(policy: policy, rule: rule, category: category, subject: subject, state: state, now: now)
            } else {
                if let state = restriction { restrict(subject, to: state, category: category, policy: policy, now: now) }
                if rule.opensCase || restriction != nil, subject.state != .removed || restriction != nil {
                    caseID = raiseCase(openCase, rule: rule, category: category, subject: subject, now: now)
                }
            }
        }
        for verdict in verdicts {
            let match = RuleMatchRecord(
                id: Identifier.make(prefix: "rmt", at: now), ruleID: verdict.ruleID, ruleSetVersion: ruleSet.version, subjectID: subject.id,
                caseID: caseID, mode: verdict.mode, declaredAction: verdict.declaredAction, action: verdict.action,
                applied: verdict == applied, matchedAt: now)
            matches.append(match)
            events.append(AuditEventDraft(type: .ruleMatched, subjectID: subject.id, payload: RuleMatched(
                matchId: match.id, ruleId: verdict.ruleID, ruleSetVersion: ruleSet.version, mode: verdict.mode, declaredAction: verdict.declaredAction,
                action: verdict.action, capped: verdict.capped, applied: match.applied, caseId: caseID, evidence: verdict.evidence), occurredAt: now))
        }
    }

    private mutating func restrict(_ subject: Subject, to state: VisibilityState, category: PolicyCategory, policy: Policy, now: Timestamp) {
        newState = state
        ground = category.id
        events.append(AuditEventDraft(type: .subjectStateChanged, subjectID: subject.id, payload: SubjectStateChanged(
            from: subject.state, to: state, ground: category.id, cause: .automatedDetection, creatorId: subject.creatorID,
            policyVersion: policy.version), occurredAt: now))
        // Dated to the hour, as every creator-facing time is (a subject can have reports too).
        notices.append(NoticeComposer.statement(
            .automatedRestriction(subject: subject, state: state, category: category, decisionID: nil, policyVersion: policy.version, at: now.hourFloor),
            to: subject.creatorID, subjectID: subject.id, decisionID: nil, at: now.hourFloor))
    }

    /// Opens a case for the rule, or marks the open one as raised by detection; returns its id.
    private mutating func raiseCase(_ openCase: CaseRecord?, rule: DetectionRule, category: PolicyCategory, subject: Subject, now: Timestamp) -> String {
        if var open = openCase {
            if open.detectedBy == nil {
                open.detectedBy = rule.id
                open.priority += rule.priorityBoost
                updatedCase = open
            }
            return open.id
        }
        var record = Self.newCase(rule: rule, category: category, subject: subject, now: now)
        record.detectedBy = rule.id
        newCase = record
        events.append(AuditEventDraft(type: .caseOpened, subjectID: subject.id, payload: CaseOpened(
            caseId: record.id, category: category.id, severity: category.severity, deadlineAt: record.deadlineAt.milliseconds), occurredAt: now))
        return record.id
    }

    /// A suppression no moderator reviews: an automated decision on a case closed at once, so the
    /// creator's appeal has a decision to contest.
    private mutating func decideAutomatically(policy: Policy, rule: DetectionRule, category: PolicyCategory, subject: Subject,
                                              state: VisibilityState, now: Timestamp) -> String {
        var record = Self.newCase(rule: rule, category: category, subject: subject, now: now)
        record.detectedBy = rule.id
        let decision = DecisionRecord(
            id: Identifier.make(prefix: "dec", at: now), caseID: record.id, subjectID: subject.id, creatorID: subject.creatorID,
            moderatorID: Self.automationID, outcome: .violation, policyIDs: [category.id], action: .suppress, strike: false,
            note: "Automated: rule \(rule.id)", policyVersion: policy.version, previousState: subject.state, resultingState: state,
            automated: true, decidedAt: now)
        record.status = .closed
        record.decisionID = decision.id
        newCase = record
        self.decision = decision
        newState = state
        ground = category.id
        events.append(AuditEventDraft(type: .caseOpened, subjectID: subject.id, payload: CaseOpened(
            caseId: record.id, category: category.id, severity: category.severity, deadlineAt: record.deadlineAt.milliseconds), occurredAt: now))
        events.append(AuditEventDraft(type: .decisionMade, subjectID: subject.id, payload: DecisionMade(
            decisionId: decision.id, caseId: record.id, moderatorId: Self.automationID, outcome: .violation, policyIds: [category.id],
            action: .suppress, strike: false, policyVersion: policy.version), occurredAt: now))
        events.append(AuditEventDraft(type: .subjectStateChanged, subjectID: subject.id, payload: SubjectStateChanged(
            from: subject.state, to: state, ground: category.id, cause: .automatedDetection, decisionId: decision.id,
            creatorId: subject.creatorID, policyVersion: policy.version), occurredAt: now))
        events.append(AuditEventDraft(type: .caseClosed, subjectID: subject.id, payload: CaseClosed(caseId: record.id, decisionId: decision.id), occurredAt: now))
        notices.append(NoticeComposer.statement(
            .automatedRestriction(subject: subject, state: state, category: category, decisionID: decision.id, policyVersion: policy.version, at: now.hourFloor),
            to: subject.creatorID, subjectID: subject.id, decisionID: decision.id, at: now.hourFloor))
        return record.id
    }

    private static func newCase(rule: DetectionRule, category: PolicyCategory, subject: Subject, now: Timestamp) -> CaseRecord {
        CaseRecord(
            id: Identifier.make(prefix: "case", at: now), subjectID: subject.id, kind: subject.kind, category: category.id,
            severity: category.severity, openedAt: now, deadlineAt: now.adding(seconds: category.reviewDeadlineHours * 3_600),
            priority: CasePriority.base(severity: category.severity, weightedScore: 0, reach: subject.reach) + rule.priorityBoost)
    }
}

extension VisibilityState {
    /// How far a state restricts the subject: automation only ever moves a subject up this scale.
    public var restrictionRank: Int {
        switch self {
        case .visible: 0
        case .suppressed: 1
        case .pendingReview: 2
        case .removed: 3
        }
    }
}
