/// A rule's match on a subject as kept: what it did, and, once a moderator decided the subject,
/// whether the decision upheld it. The rule's precision is read from these.
public struct RuleMatchRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// A moderator found a violation.
        case upheld
        /// A moderator found none, or an appeal reversed the violation found.
        case overturned
    }

    public var id: String
    public var ruleID: String
    public var ruleSetVersion: String
    public var subjectID: String
    public var caseID: String?
    public var mode: RuleMode
    public var declaredAction: RuleAction
    public var action: RuleAction
    /// Whether its action was the one applied (the strongest live match).
    public var applied: Bool
    public var matchedAt: Timestamp
    public var decisionID: String?
    public var outcome: Outcome?
    public var appealGranted = false

    public init(id: String, ruleID: String, ruleSetVersion: String, subjectID: String, caseID: String?, mode: RuleMode,
                declaredAction: RuleAction, action: RuleAction, applied: Bool, matchedAt: Timestamp) {
        self.id = id
        self.ruleID = ruleID
        self.ruleSetVersion = ruleSetVersion
        self.subjectID = subjectID
        self.caseID = caseID
        self.mode = mode
        self.declaredAction = declaredAction
        self.action = action
        self.applied = applied
        self.matchedAt = matchedAt
    }
}
