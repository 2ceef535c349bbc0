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

/// `case.takedown_pending`: unvetted reports corroborate a takedown, which waits until `dueAt`;
/// `case.takedown_withheld`: at `dueAt` they no longer did (they were found to be one voice, or the
/// subject was already down), so the case stays queued with the subject up.
/// Moderator-facing: the category, the independent score and voices, never a reporter.
public struct TakedownSettlement: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.takedownPending, .takedownWithheld]
    public var caseId: String
    public var category: String
    /// Milliseconds since the epoch.
    public var dueAt: Int64
    /// The score counting each group of dependent reports once, and how many independent voices.
    public var independentScore: Double
    public var independentVoices: Int
    /// Why the takedown was withheld (empty when pending).
    public var signals: [CoordinationSignal]

    public init(caseId: String, category: String, dueAt: Int64, independentScore: Double, independentVoices: Int, signals: [CoordinationSignal] = []) {
        self.caseId = caseId
        self.category = category
        self.dueAt = dueAt
        self.independentScore = independentScore
        self.independentVoices = independentVoices
        self.signals = signals
    }
}
