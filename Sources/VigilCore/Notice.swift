/// What kind of notice a party receives.
public enum NoticeKind: String, Codable, Sendable {
    /// To a creator: a restriction of their content or account, with the DSA Art. 17 contents.
    case statementOfReasons = "statement_of_reasons"
    /// To a creator: a restriction was lifted (reinstatement, a lapsed account measure).
    case restrictionLifted = "restriction_lifted"
    /// To a reporter: their report was found to be misuse-prone; a warning (DSA Art. 23).
    case misuseWarning = "misuse_warning"
    /// To a reporter: their reports are suspended for a period (DSA Art. 23).
    case misuseSuspension = "misuse_suspension"
    /// To a reporter: the suspension ended.
    case misuseSuspensionLifted = "misuse_suspension_lifted"
    /// To whoever appealed: the appeal's outcome and its reasons.
    case appealOutcome = "appeal_outcome"
}

/// A statement of reasons (DSA Art. 17), as the creator receives it. By construction it has no
/// field that could name, count or date a reporter.
public struct StatementOfReasons: Codable, Sendable, Equatable {
    /// What was restricted and how.
    public struct Restriction: Codable, Sendable, Equatable {
        /// `pending_review`, `suppressed`, `removed`, or an account measure (`warning`, `live_access_removed`, `account_suspended`).
        public var type: String
        /// The content, or the account, it applies to.
        public var scope: String
        /// ISO 8601 start; `ends_at` when the measure is for a period, `until_review` for provisional takedowns.
        public var startsAt: String
        public var endsAt: String?
        public var duration: String
    }

    public struct Ground: Codable, Sendable, Equatable {
        public var policyID: String
        public var title: String
        public var dsaCategory: String
    }

    public var restriction: Restriction
    /// The facts and circumstances relied on, in words that identify no reporter.
    public var facts: String
    /// Whether automated means detected the content, and whether the measure was decided by automated means.
    public var automatedDetection: Bool
    public var automatedDecision: Bool
    public var grounds: [Ground]
    public var policyVersion: String
    /// How to contest it: the decision to appeal, and until when.
    public var redress: String
    public var appealableDecisionID: String?
    public var appealDeadline: String?

    public init(restriction: Restriction, facts: String, automatedDetection: Bool, automatedDecision: Bool, grounds: [Ground],
                policyVersion: String, redress: String, appealableDecisionID: String?, appealDeadline: String?) {
        self.restriction = restriction
        self.facts = facts
        self.automatedDetection = automatedDetection
        self.automatedDecision = automatedDecision
        self.grounds = grounds
        self.policyVersion = policyVersion
        self.redress = redress
        self.appealableDecisionID = appealableDecisionID
        self.appealDeadline = appealDeadline
    }
}

extension StatementOfReasons.Ground {
    public init(_ category: PolicyCategory) {
        self.init(policyID: category.id, title: category.title, dsaCategory: category.dsaCategory)
    }
}

/// How long a creator has to appeal a decision (DSA Art. 20: at least six months).
public enum AppealWindow {
    public static let days: Double = 183
}
