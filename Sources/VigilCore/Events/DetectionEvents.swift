/// `signals.recorded`: signals about a subject's content were recorded (duplicates are not).
public struct SignalsRecorded: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.signalsRecorded]
    /// `source/id` of each signal recorded.
    public var signals: [String]

    public init(signals: [String]) {
        self.signals = signals
    }
}

/// `rule.matched`: a detection rule matched a subject. Internal: the rule, its mode and what it
/// did are for moderators and operators; the creator's notice names only the policy ground.
public struct RuleMatched: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.ruleMatched]
    public var matchId: String
    public var ruleId: String
    public var ruleSetVersion: String
    public var mode: RuleMode
    public var declaredAction: RuleAction
    public var action: RuleAction
    /// Whether the daily cap turned the action into an escalation.
    public var capped: Bool
    /// Whether this match's action is the one applied to the subject (the strongest live one).
    public var applied: Bool
    public var caseId: String?
    public var evidence: [String]

    public init(matchId: String, ruleId: String, ruleSetVersion: String, mode: RuleMode, declaredAction: RuleAction, action: RuleAction,
                capped: Bool, applied: Bool, caseId: String?, evidence: [String]) {
        self.matchId = matchId
        self.ruleId = ruleId
        self.ruleSetVersion = ruleSetVersion
        self.mode = mode
        self.declaredAction = declaredAction
        self.action = action
        self.capped = capped
        self.applied = applied
        self.caseId = caseId
        self.evidence = evidence
    }
}

/// `rule.mode_changed`: a rule's mode changed without a new rule file, e.g. switched to shadow
/// because its precision fell below the floor.
public struct RuleModeChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.ruleModeChanged]
    public var ruleId: String
    public var ruleSetVersion: String
    public var from: RuleMode
    public var to: RuleMode
    public var reason: String
    public var upheld: Int
    public var overturned: Int

    public init(ruleId: String, ruleSetVersion: String, from: RuleMode, to: RuleMode, reason: String, upheld: Int, overturned: Int) {
        self.ruleId = ruleId
        self.ruleSetVersion = ruleSetVersion
        self.from = from
        self.to = to
        self.reason = reason
        self.upheld = upheld
        self.overturned = overturned
    }
}
