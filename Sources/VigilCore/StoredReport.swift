import Foundation

/// A report as stored: the reporter only as a keyed hash and a sealed copy, never in the clear.
public struct StoredReport: Sendable, Equatable {
    public var id: String
    public var subjectID: String
    public var reporterHash: String
    public var reporterSeal: String
    public var reason: String
    public var note: String?
    public var channel: ReportChannel
    public var noticeExplanation: String?
    public var noticeLocation: String?
    public var noticeLegalGround: String?
    /// The notifier's name and email, sealed together.
    public var noticeContactSeal: String?
    public var weight: Double
    public var counted: Bool
    public var policyVersion: String
    public var receivedAt: Timestamp
    /// The kind of voice the report was counted as.
    public var standing: VoiceStanding = .ordinary

    public init(
        id: String, subjectID: String, reporterHash: String, reporterSeal: String, reason: String, note: String?,
        channel: ReportChannel, noticeExplanation: String?, noticeLocation: String?, noticeLegalGround: String?,
        noticeContactSeal: String?, weight: Double, counted: Bool, policyVersion: String, receivedAt: Timestamp
    ) {
        self.id = id
        self.subjectID = subjectID
        self.reporterHash = reporterHash
        self.reporterSeal = reporterSeal
        self.reason = reason
        self.note = note
        self.channel = channel
        self.noticeExplanation = noticeExplanation
        self.noticeLocation = noticeLocation
        self.noticeLegalGround = noticeLegalGround
        self.noticeContactSeal = noticeContactSeal
        self.weight = weight
        self.counted = counted
        self.policyVersion = policyVersion
        self.receivedAt = receivedAt
    }
}

/// Identifies one reporter's report on one subject (a reporter counts once per subject).
public struct ReporterSubjectKey: Hashable, Sendable {
    public var reporterHash: String
    public var subjectID: String

    public init(reporterHash: String, subjectID: String) {
        self.reporterHash = reporterHash
        self.subjectID = subjectID
    }
}
