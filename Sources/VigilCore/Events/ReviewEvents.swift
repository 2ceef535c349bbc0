/// `case.claimed` and `case.released`.
public struct CaseClaim: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.caseClaimed, .caseReleased]
    public var caseId: String
    public var moderatorId: String
    /// Milliseconds since the epoch; nil on release.
    public var expiresAt: Int64?

    public init(caseId: String, moderatorId: String, expiresAt: Int64?) {
        self.caseId = caseId
        self.moderatorId = moderatorId
        self.expiresAt = expiresAt
    }
}

/// `decision.made`.
public struct DecisionMade: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.decisionMade]
    public var decisionId: String
    public var caseId: String
    public var moderatorId: String
    public var outcome: DecisionOutcome
    public var policyIds: [String]
    public var action: EnforcementAction?
    public var strike: Bool
    public var policyVersion: String

    public init(decisionId: String, caseId: String, moderatorId: String, outcome: DecisionOutcome, policyIds: [String],
                action: EnforcementAction?, strike: Bool, policyVersion: String) {
        self.decisionId = decisionId
        self.caseId = caseId
        self.moderatorId = moderatorId
        self.outcome = outcome
        self.policyIds = policyIds
        self.action = action
        self.strike = strike
        self.policyVersion = policyVersion
    }
}

/// `case.closed`.
public struct CaseClosed: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.caseClosed]
    public var caseId: String
    public var decisionId: String

    public init(caseId: String, decisionId: String) {
        self.caseId = caseId
        self.decisionId = decisionId
    }
}

/// `strike.added`.
public struct StrikeAdded: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.strikeAdded]
    public var strikeId: String
    public var creatorId: String
    public var decisionId: String
    public var expiresAt: Int64
    public var activeStrikes: Int

    public init(strikeId: String, creatorId: String, decisionId: String, expiresAt: Int64, activeStrikes: Int) {
        self.strikeId = strikeId
        self.creatorId = creatorId
        self.decisionId = decisionId
        self.expiresAt = expiresAt
        self.activeStrikes = activeStrikes
    }
}

/// `strike.revoked`: a granted appeal took the strike back.
public struct StrikeRevoked: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.strikeRevoked]
    public var strikeId: String
    public var creatorId: String
    public var appealId: String

    public init(strikeId: String, creatorId: String, appealId: String) {
        self.strikeId = strikeId
        self.creatorId = creatorId
        self.appealId = appealId
    }
}

/// `account_action.applied` and `account_action.lifted`: an account measure the platform applies.
public struct AccountActionChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.accountActionApplied, .accountActionLifted]
    public var actionId: String
    public var creatorId: String
    public var action: AccountActionKind
    public var endsAt: Int64?
    public var decisionId: String
    /// The creator's active strikes when the event happened.
    public var activeStrikes: Int

    public init(actionId: String, creatorId: String, action: AccountActionKind, endsAt: Int64?, decisionId: String, activeStrikes: Int) {
        self.actionId = actionId
        self.creatorId = creatorId
        self.action = action
        self.endsAt = endsAt
        self.decisionId = decisionId
        self.activeStrikes = activeStrikes
    }
}

/// `reporter.misuse_warned`, `…_suspended`, `…_suspension_lifted` and `…_measure_revoked`.
/// Internal to the audit log: it names the reporter by keyed hash, never by id, and is in no
/// creator-facing output.
public struct MisuseChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.reporterWarned, .reporterSuspended, .reporterSuspensionLifted, .misuseMeasureRevoked]
    /// The reporter's keyed hash: enough to trace the act, never the reporter's id.
    public var reporterRef: String
    public var measureId: String?
    public var dismissed: Int
    public var upheld: Int
    public var until: Int64?

    public init(reporterRef: String, measureId: String?, dismissed: Int, upheld: Int, until: Int64?) {
        self.reporterRef = reporterRef
        self.measureId = measureId
        self.dismissed = dismissed
        self.upheld = upheld
        self.until = until
    }
}
