import Foundation

/// Review cases: the unit of human review, and what the queue and the case view are made of.

/// A review case.
public struct CaseRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case open, closed }

    public var id: String
    public var subjectID: String
    public var kind: SubjectKind
    public var category: String
    public var severity: Severity
    public var openedAt: Timestamp
    public var deadlineAt: Timestamp
    public var priority: Double
    public var status: Status = .open
    public var claimedBy: String?
    public var claimExpiresAt: Timestamp?
    public var decisionID: String?
    /// Whether the maintenance sweep has marked the case overdue (it then rises in the queue).
    public var markedOverdue = false
    /// Opened (or raised) by a report in a critical category that did not take the subject down:
    /// it leads the queue, with a short deadline.
    public var urgent = false
    /// Its reports combine into coordinated groups ("coordinated reporting suspected").
    public var coordinationSuspected = false
    /// When unvetted reports that corroborate a takedown have stood long enough for it to go ahead,
    /// if they still do then (``Triage/settles(subject:category:corroboration:thresholdFactor:)``);
    /// nil when no takedown is waiting.
    public var takedownDueAt: Timestamp?
    /// The detection rule that raised the case, when automation did (the "automated" filter).
    public var detectedBy: String?

    public init(id: String, subjectID: String, kind: SubjectKind, category: String, severity: Severity, openedAt: Timestamp, deadlineAt: Timestamp, priority: Double) {
        self.id = id
        self.subjectID = subjectID
        self.kind = kind
        self.category = category
        self.severity = severity
        self.openedAt = openedAt
        self.deadlineAt = deadlineAt
        self.priority = priority
    }

    /// The moderator holding the case at `time`, if the lease is still running.
    public func holder(at time: Timestamp) -> String? {
        guard let claimedBy, let claimExpiresAt, time < claimExpiresAt else { return nil }
        return claimedBy
    }

    /// Past its deadline at `time` (marked or not yet marked by the sweep).
    public func isOverdue(at time: Timestamp) -> Bool { status == .open && (markedOverdue || deadlineAt < time) }
}

/// Which open cases the queue shows.
public struct QueueFilter: Sendable, Equatable {
    public var kind: SubjectKind?
    public var category: String?
    public var state: VisibilityState?
    public var overdue: Bool?
    public var claimed: Bool?
    /// Only cases flagged (or not flagged) "coordinated reporting suspected".
    public var coordinated: Bool?
    /// Only cases automated detection raised (or did not).
    public var automated: Bool?

    public init(kind: SubjectKind? = nil, category: String? = nil, state: VisibilityState? = nil, overdue: Bool? = nil, claimed: Bool? = nil,
                coordinated: Bool? = nil) {
        self.coordinated = coordinated
        self.kind = kind
        self.category = category
        self.state = state
        self.overdue = overdue
        self.claimed = claimed
    }
}

/// One line of the queue: the case, and what the moderator needs to pick it.
public struct QueueEntry: Sendable, Equatable {
    public var record: CaseRecord
    public var subjectState: VisibilityState
    public var weightedScore: Double
    public var reach: Reach

    public init(record: CaseRecord, subjectState: VisibilityState, weightedScore: Double, reach: Reach) {
        self.record = record
        self.subjectState = subjectState
        self.weightedScore = weightedScore
        self.reach = reach
    }
}

/// How many of a case's reports share a reason, a channel and whether they counted.
public struct ReportTally: Sendable, Equatable {
    public var reason: String
    public var channel: String
    public var counted: Bool
    public var reports: Int
    public var weight: Double
    public var withNotes: Int

    public init(reason: String, channel: String, counted: Bool, reports: Int, weight: Double, withNotes: Int) {
        self.reason = reason
        self.channel = channel
        self.counted = counted
        self.reports = reports
        self.weight = weight
        self.withNotes = withNotes
    }
}

/// A report as a moderator sees it, before pseudonyms replace the reporter hash.
public struct CaseReport: Sendable, Equatable {
    public var id: String
    public var reporterHash: String
    public var reason: String
    public var note: String?
    public var channel: ReportChannel
    public var weight: Double
    public var counted: Bool
    public var receivedAt: Timestamp
    public var noticeExplanation: String?
    public var noticeLocation: String?
    public var noticeLegalGround: String?

    public init(id: String, reporterHash: String, reason: String, note: String?, channel: ReportChannel, weight: Double, counted: Bool, receivedAt: Timestamp, noticeExplanation: String?, noticeLocation: String?, noticeLegalGround: String?) {
        self.id = id
        self.reporterHash = reporterHash
        self.reason = reason
        self.note = note
        self.channel = channel
        self.weight = weight
        self.counted = counted
        self.receivedAt = receivedAt
        self.noticeExplanation = noticeExplanation
        self.noticeLocation = noticeLocation
        self.noticeLegalGround = noticeLegalGround
    }
}
