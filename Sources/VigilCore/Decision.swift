/// What a moderator found.
public enum DecisionOutcome: String, Codable, Sendable, CaseIterable {
    case violation
    case noViolation = "no_violation"
}

/// What a violation does to the subject.
public enum EnforcementAction: String, Codable, Sendable, CaseIterable {
    case remove
    case suppress

    /// The visibility state the action leads to.
    public var state: VisibilityState {
        switch self {
        case .remove: .removed
        case .suppress: .suppressed
        }
    }
}

/// A moderator's decision on a case, as submitted.
public struct DecisionInput: Sendable, Equatable {
    public var outcome: DecisionOutcome
    public var policyIDs: [String]
    public var action: EnforcementAction?
    public var strike: Bool
    public var note: String

    public static let noteMaxCharacters = 5_000

    public init(outcome: DecisionOutcome, policyIDs: [String] = [], action: EnforcementAction? = nil, strike: Bool = false, note: String) {
        self.outcome = outcome
        self.policyIDs = policyIDs
        self.action = action
        self.strike = strike
        self.note = note
    }

    /// A violation names the grounds and the action; no violation carries neither.
    public func validate(against policy: Policy) throws(VigilError) {
        try Validate.text(note, field: "note", max: Self.noteMaxCharacters)
        switch outcome {
        case .violation:
            if policyIDs.isEmpty { throw .invalidField(field: "policy_ids", detail: "must name at least one policy category for a violation") }
            for id in policyIDs where policy.category(id) == nil {
                throw .invalidField(field: "policy_ids", detail: "'\(id.prefix(64))' is not a policy category")
            }
            if Set(policyIDs).count != policyIDs.count { throw .invalidField(field: "policy_ids", detail: "must not repeat a category") }
            if action == nil { throw .invalidField(field: "action", detail: "is required for a violation: remove or suppress") }
        case .noViolation:
            if !policyIDs.isEmpty { throw .invalidField(field: "policy_ids", detail: "only a violation names policy categories") }
            if action != nil { throw .invalidField(field: "action", detail: "only a violation takes an action") }
            if strike { throw .invalidField(field: "strike", detail: "only a violation can carry a strike") }
        }
    }

    /// The state the subject moves to once this decision is made.
    public var resultingState: VisibilityState {
        switch outcome {
        case .violation: action?.state ?? .removed
        case .noViolation: .visible
        }
    }

    /// The most severe category among the grounds; it is the statement's main ground.
    public func primaryGround(in policy: Policy) -> PolicyCategory? {
        policyIDs.compactMap(policy.category).max { $0.severity < $1.severity }
    }
}
