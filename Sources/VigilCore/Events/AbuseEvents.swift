/// `case.coordination_suspected`: a case's reports were found to combine into coordinated groups.
/// Moderator-facing: sizes and signals, never a reporter or their hash.
public struct CoordinationSuspected: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.coordinationSuspected]
    public var caseId: String
    public var signals: [CoordinationSignal]
    public var largestGroup: Int

    public init(caseId: String, signals: [CoordinationSignal], largestGroup: Int) {
        self.caseId = caseId
        self.signals = signals
        self.largestGroup = largestGroup
    }
}

/// `creator.shielded`: a creator under a detected pile-on has raised thresholds until `until`.
/// Never shown to the creator or to reporters.
public struct CreatorShielded: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.creatorShielded]
    public var shieldId: String
    public var creatorId: String
    public var subjectId: String
    public var signals: [CoordinationSignal]
    public var groupSize: Int
    /// Milliseconds since the epoch.
    public var until: Int64
    public var thresholdFactor: Double

    public init(shieldId: String, creatorId: String, subjectId: String, signals: [CoordinationSignal], groupSize: Int, until: Int64, thresholdFactor: Double) {
        self.shieldId = shieldId
        self.creatorId = creatorId
        self.subjectId = subjectId
        self.signals = signals
        self.groupSize = groupSize
        self.until = until
        self.thresholdFactor = thresholdFactor
    }
}
