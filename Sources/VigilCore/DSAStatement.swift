import Foundation

/// How far a measure was decided by automated means, as the Transparency Database records it.
public enum AutomatedDecision: String, Sendable, Equatable {
    /// No person decided: a threshold of reports, or a detection rule, applied it.
    case fully = "AUTOMATED_DECISION_FULLY"
    /// A moderator decided a case that automated detection raised and acted on.
    case partially = "AUTOMATED_DECISION_PARTIALLY"
    case notAutomated = "AUTOMATED_DECISION_NOT_AUTOMATED"
}

/// A restriction Vigil enforced, with what a Transparency Database statement needs to know about it.
public struct EnforcedRestriction: Sendable, Equatable {
    public enum Measure: Sendable, Equatable {
        /// Content taken down, removed or demoted: the visibility state it was put in.
        case visibility(VisibilityState)
        /// An account measure brought by strikes.
        case account(AccountActionKind)
    }

    /// Unique per decision, forever: the decision, account-action or takedown-event id.
    public var puid: String
    public var measure: Measure
    public var subjectKind: SubjectKind?
    /// When the platform started hosting the content (or registered the account).
    public var contentDate: Timestamp
    public var appliedAt: Timestamp
    public var endsAt: Timestamp?
    /// The policy categories the measure rests on, most severe first.
    public var grounds: [String]
    /// How the content came to Vigil's attention: the channels of the reports behind the measure.
    public var channels: Set<ReportChannel>
    public var automatedDetection: Bool
    public var automatedDecision: AutomatedDecision
    /// For a provisional takedown, which has no decision id: its audit sequence number, which the
    /// export turns into an opaque puid (never published as it is).
    public var takedownSequence: Int64?

    public init(puid: String, measure: Measure, subjectKind: SubjectKind?, contentDate: Timestamp, appliedAt: Timestamp, endsAt: Timestamp?,
                grounds: [String], channels: Set<ReportChannel>, automatedDetection: Bool, automatedDecision: AutomatedDecision) {
        self.puid = puid
        self.measure = measure
        self.subjectKind = subjectKind
        self.contentDate = contentDate
        self.appliedAt = appliedAt
        self.endsAt = endsAt
        self.grounds = grounds
        self.channels = channels
        self.automatedDetection = automatedDetection
        self.automatedDecision = automatedDecision
    }
}

/// A statement of reasons in the Transparency Database's submission format (schema v2). It holds
/// no personal data and nothing about reporters: the facts are generated from the policy alone.
public struct DSAStatement: Encodable, Sendable, Equatable {
    public var decisionVisibility: [String]?
    public var decisionProvision: String?
    public var decisionAccount: String?
    public var decisionFacts: String
    public var decisionGround: String
    public var incompatibleContentGround: String
    public var incompatibleContentExplanation: String
    public var contentType: [String]
    public var contentTypeOther: String?
    public var category: String
    public var categoryAddition: [String]?
    public var contentDate: String
    public var applicationDate: String
    public var endDateAccountRestriction: String?
    public var endDateServiceRestriction: String?
    public var sourceType: String
    public var automatedDetection: String
    public var automatedDecision: String
    public var puid: String

    enum CodingKeys: String, CodingKey {
        case decisionVisibility = "decision_visibility", decisionProvision = "decision_provision", decisionAccount = "decision_account"
        case decisionFacts = "decision_facts", decisionGround = "decision_ground"
        case incompatibleContentGround = "incompatible_content_ground", incompatibleContentExplanation = "incompatible_content_explanation"
        case contentType = "content_type", contentTypeOther = "content_type_other", category, categoryAddition = "category_addition"
        case contentDate = "content_date", applicationDate = "application_date"
        case endDateAccountRestriction = "end_date_account_restriction", endDateServiceRestriction = "end_date_service_restriction"
        case sourceType = "source_type", automatedDetection = "automated_detection", automatedDecision = "automated_decision", puid
    }

    /// The statement for a restriction, or nil for a measure that restricts nothing (a warning).
    public init?(_ restriction: EnforcedRestriction, policy: Policy) {
        let categories = restriction.grounds.compactMap(policy.category)
        guard let primary = categories.first else { return nil }
        switch restriction.measure {
        case .visibility(let state):
            switch state {
            case .removed: decisionVisibility = ["DECISION_VISIBILITY_CONTENT_REMOVED"]
            case .pendingReview: decisionVisibility = ["DECISION_VISIBILITY_CONTENT_DISABLED"]
            case .suppressed: decisionVisibility = ["DECISION_VISIBILITY_CONTENT_DEMOTED"]
            case .visible: return nil
            }
        case .account(let action):
            switch action {
            case .warning: return nil
            case .liveAccessRemoved:
                decisionProvision = "DECISION_PROVISION_PARTIAL_SUSPENSION"
                endDateServiceRestriction = restriction.endsAt?.calendarDate
            case .accountSuspended:
                decisionAccount = "DECISION_ACCOUNT_SUSPENDED"
                endDateAccountRestriction = restriction.endsAt?.calendarDate
            }
        }
        let titles = categories.map(\.title).joined(separator: ", ")
        decisionFacts = Self.facts(restriction, titles: titles)
        decisionGround = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        incompatibleContentGround = "Community guidelines (policy version \(policy.version)): \(titles)"
        incompatibleContentExplanation = "The \(restriction.subjectKind.map(\.rawValue) ?? "account") was found to fall under the community guidelines on \(titles)."
        switch restriction.subjectKind {
        case .video?, .live?: contentType = ["CONTENT_TYPE_VIDEO"]
        case .comment?: contentType = ["CONTENT_TYPE_TEXT"]
        case .account?, nil:
            contentType = ["CONTENT_TYPE_OTHER"]
            contentTypeOther = "user account"
        }
        category = primary.dsaCategory
        let additions = Set(categories.dropFirst().map(\.dsaCategory)).subtracting([primary.dsaCategory])
        categoryAddition = additions.isEmpty ? nil : additions.sorted()
        contentDate = max(restriction.contentDate, Timestamp(milliseconds: 946_684_800_000)).calendarDate  // the schema's floor, 2000-01-01
        applicationDate = restriction.appliedAt.calendarDate
        sourceType = Self.sourceType(restriction.channels)
        automatedDetection = restriction.automatedDetection ? "Yes" : "No"
        automatedDecision = restriction.automatedDecision.rawValue
        puid = restriction.puid
    }

    /// Trusted flaggers first (their notices are Art. 16 notices, labelled apart), then Art. 16
    /// notices, then ordinary reports; no report at all is the provider's own initiative.
    static func sourceType(_ channels: Set<ReportChannel>) -> String {
        if channels.contains(.trustedFlagger) { return "SOURCE_TRUSTED_FLAGGER" }
        if channels.contains(.illegalContentNotice) { return "SOURCE_ARTICLE_16" }
        if channels.contains(.userReport) { return "SOURCE_TYPE_OTHER_NOTIFICATION" }
        return "SOURCE_VOLUNTARY"
    }

    static func facts(_ r: EnforcedRestriction, titles: String) -> String {
        let what = r.subjectKind.map { "The \($0.rawValue)" } ?? "The account"
        switch r.measure {
        case .visibility(let state) where r.automatedDecision == .fully && r.automatedDetection:
            let measure = switch state {
            case .removed: "removed"
            case .suppressed: "demoted (its distribution reduced)"
            default: "disabled"
            }
            return "\(what) was detected by automated means as falling under the community guidelines on \(titles) and was \(measure) by automated means, pending human review."
        case .visibility(.pendingReview):
            return "\(what) was reported under the community guidelines on \(titles) and was disabled pending human review."
        case .visibility(.removed):
            return "\(what) was reviewed by a moderator and removed for violating the community guidelines on \(titles)."
        case .visibility(.suppressed):
            return "\(what) was reviewed by a moderator and its distribution was reduced for violating the community guidelines on \(titles)."
        case .visibility(.visible):
            return ""
        case .account(let action):
            return "The account reached the number of active strikes for repeated violations of the community guidelines (\(titles)) that brings the measure \(action.rawValue)."
        }
    }
}

extension Timestamp {
    /// The UTC calendar date, YYYY-MM-DD.
    public var calendarDate: String { String(iso8601.prefix(10)) }
}
