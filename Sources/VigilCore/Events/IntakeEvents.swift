/// Why a subject's visibility changed.
public enum StateChangeCause: String, Codable, Sendable {
    /// Weighted reports crossed the takedown threshold (an automated, provisional measure).
    case reportThreshold = "report_threshold"
    /// A moderator's decision.
    case decision
    /// A granted appeal reversed a decision.
    case appealGranted = "appeal_granted"
    /// A detection rule acted on signals about the content (an automated, provisional measure).
    case automatedDetection = "automated_detection"
}

/// `report.received`: a report was recorded, counted or not. Never who filed it.
public struct ReportReceived: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.reportReceived]
    public var reportId: String
    public var reason: String
    public var channel: ReportChannel
    public var weight: Double
    public var counted: Bool
    public var policyVersion: String
    /// The kind of voice the report was counted as (absent in events from before 0.5).
    public var standing: VoiceStanding?

    public init(reportId: String, reason: String, channel: ReportChannel, weight: Double, counted: Bool, policyVersion: String, standing: VoiceStanding? = nil) {
        self.reportId = reportId
        self.reason = reason
        self.channel = channel
        self.weight = weight
        self.counted = counted
        self.policyVersion = policyVersion
        self.standing = standing
    }
}

/// `subject.state_changed`: an enforcement act the platform applies. Creator-safe: it names the
/// ground and the cause, never a report or a reporter.
public struct SubjectStateChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.subjectStateChanged]
    public var from: VisibilityState
    public var to: VisibilityState
    public var ground: String?
    public var cause: StateChangeCause
    /// The decision behind a change made by a moderator or reversed by an appeal.
    public var decisionId: String?
    public var creatorId: String?
    public var policyVersion: String

    public init(from: VisibilityState, to: VisibilityState, ground: String?, cause: StateChangeCause, decisionId: String? = nil,
                creatorId: String? = nil, policyVersion: String) {
        self.from = from
        self.to = to
        self.ground = ground
        self.cause = cause
        self.decisionId = decisionId
        self.creatorId = creatorId
        self.policyVersion = policyVersion
    }

    /// Whether the change was decided by automated means (no human decided it).
    public var isAutomated: Bool { cause == .reportThreshold || cause == .automatedDetection }
}

/// `case.opened`.
public struct CaseOpened: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.caseOpened]
    public var caseId: String
    public var category: String
    public var severity: Severity
    /// Milliseconds since the epoch.
    public var deadlineAt: Int64
    /// Set when a lone report in a critical category opened the case at the top of the queue.
    public var urgent: Bool?

    public init(caseId: String, category: String, severity: Severity, deadlineAt: Int64, urgent: Bool? = nil) {
        self.caseId = caseId
        self.category = category
        self.severity = severity
        self.deadlineAt = deadlineAt
        self.urgent = urgent
    }
}

/// `case.priority_changed` (reserved: priorities are updated in place without an event today).
public struct CasePriorityChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.casePriorityChanged]
    public var caseId: String
    public var priority: Double

    public init(caseId: String, priority: Double) {
        self.caseId = caseId
        self.priority = priority
    }
}

/// `subject.registered` and `subject.updated`.
public struct SubjectRecorded: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.subjectRegistered, .subjectUpdated]
    public var kind: SubjectKind
    public var creatorId: String
    public var views: Int
    public var liveViewers: Int

    public init(kind: SubjectKind, creatorId: String, views: Int, liveViewers: Int) {
        self.kind = kind
        self.creatorId = creatorId
        self.views = views
        self.liveViewers = liveViewers
    }
}
