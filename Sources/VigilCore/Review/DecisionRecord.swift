import Foundation

/// A decision as stored. Immutable once written.
public struct DecisionRecord: Sendable, Equatable {
    public var id: String
    public var caseID: String
    public var subjectID: String
    public var creatorID: String
    public var moderatorID: String
    public var outcome: DecisionOutcome
    public var policyIDs: [String]
    public var action: EnforcementAction?
    public var strike: Bool
    public var note: String
    public var policyVersion: String
    public var previousState: VisibilityState
    public var resultingState: VisibilityState
    public var automated: Bool
    public var decidedAt: Timestamp

    public init(id: String, caseID: String, subjectID: String, creatorID: String, moderatorID: String, outcome: DecisionOutcome,
                policyIDs: [String], action: EnforcementAction?, strike: Bool, note: String, policyVersion: String,
                previousState: VisibilityState, resultingState: VisibilityState, automated: Bool, decidedAt: Timestamp) {
        self.id = id
        self.caseID = caseID
        self.subjectID = subjectID
        self.creatorID = creatorID
        self.moderatorID = moderatorID
        self.outcome = outcome
        self.policyIDs = policyIDs
        self.action = action
        self.strike = strike
        self.note = note
        self.policyVersion = policyVersion
        self.previousState = previousState
        self.resultingState = resultingState
        self.automated = automated
        self.decidedAt = decidedAt
    }
}

/// An account measure against a creator, following their strike count.
public struct AccountActionRecord: Sendable, Equatable {
    public var id: String
    public var creatorID: String
    public var action: AccountActionKind
    public var decisionID: String
    public var activeStrikes: Int
    public var startsAt: Timestamp
    public var endsAt: Timestamp?

    public init(id: String, creatorID: String, action: AccountActionKind, decisionID: String, activeStrikes: Int, startsAt: Timestamp, endsAt: Timestamp?) {
        self.id = id
        self.creatorID = creatorID
        self.action = action
        self.decisionID = decisionID
        self.activeStrikes = activeStrikes
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}
