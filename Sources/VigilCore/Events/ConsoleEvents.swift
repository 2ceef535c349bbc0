/// `console.enrolment_issued`: a one-time link to set a console password (and second factor) was
/// made for a moderator. The link's secret is never recorded.
public struct ConsoleEnrolmentIssued: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.consoleEnrolmentIssued]
    public var moderatorId: String
    public var expiresAt: Int64

    public init(moderatorId: String, expiresAt: Int64) {
        self.moderatorId = moderatorId
        self.expiresAt = expiresAt
    }
}

/// `console.enrolled`: a moderator set their password through an enrolment link.
public struct ConsoleEnrolled: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.consoleEnrolled]
    public var moderatorId: String
    public var secondFactor: Bool

    public init(moderatorId: String, secondFactor: Bool) {
        self.moderatorId = moderatorId
        self.secondFactor = secondFactor
    }
}

/// `console.signed_in`, `console.sign_in_failed` and `console.signed_out`.
public struct ConsoleSignIn: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.consoleSignedIn, .consoleSignInFailed, .consoleSignedOut]
    public var moderatorId: String
    /// Why: `password`/`code`/`locked` for a failure; `signed_out`/`idle`/`expired` for an end.
    public var reason: String?
    /// The failures in a row so far, on a failure.
    public var failures: Int?
    /// Until when sign-in is refused, when this failure locked the account.
    public var lockedUntil: Int64?

    public init(moderatorId: String, reason: String? = nil, failures: Int? = nil, lockedUntil: Int64? = nil) {
        self.moderatorId = moderatorId
        self.reason = reason
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}

/// `reporter.unsealed`: a privacy officer revealed who filed a report, for a legal request. The
/// event names the officer, the report, the reason and the legal reference; never the reporter.
public struct ReporterUnsealed: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.reporterUnsealed]
    public var reportId: String
    public var moderatorId: String
    public var reason: String
    public var legalReference: String

    public init(reportId: String, moderatorId: String, reason: String, legalReference: String) {
        self.reportId = reportId
        self.moderatorId = moderatorId
        self.reason = reason
        self.legalReference = legalReference
    }
}
