/// `appeal.filed` and `appeal.decided`.
public struct AppealChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.appealFiled, .appealDecided]
    public var appealId: String
    public var decisionId: String?
    public var measureId: String?
    public var appellantType: AppellantType
    /// Set when decided.
    public var outcome: AppealOutcome?
    public var moderatorId: String?

    public init(appealId: String, decisionId: String?, measureId: String?, appellantType: AppellantType, outcome: AppealOutcome?, moderatorId: String?) {
        self.appealId = appealId
        self.decisionId = decisionId
        self.measureId = measureId
        self.appellantType = appellantType
        self.outcome = outcome
        self.moderatorId = moderatorId
    }
}

/// `appeal.claimed`.
public struct AppealClaimed: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.appealClaimed]
    public var appealId: String
    public var moderatorId: String
    public var expiresAt: Int64

    public init(appealId: String, moderatorId: String, expiresAt: Int64) {
        self.appealId = appealId
        self.moderatorId = moderatorId
        self.expiresAt = expiresAt
    }
}
