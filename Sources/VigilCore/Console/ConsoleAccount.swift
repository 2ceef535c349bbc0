/// A moderator's console sign-in: a bcrypt password hash, an optional TOTP secret (sealed), and
/// the failures that lock it.
public struct ConsoleCredential: Sendable, Equatable {
    public var moderatorID: String
    public var passwordHash: String
    /// The TOTP secret, sealed with the server's seal key; nil when no second factor was set.
    public var totpSeal: String?
    public var enrolledAt: Timestamp
    /// Failed sign-ins in a row.
    public var failures: Int
    public var lockedUntil: Timestamp?
    /// The last TOTP time step accepted: a code is good once.
    public var lastTOTPStep: Int64?

    public init(moderatorID: String, passwordHash: String, totpSeal: String?, enrolledAt: Timestamp,
                failures: Int = 0, lockedUntil: Timestamp? = nil, lastTOTPStep: Int64? = nil) {
        self.moderatorID = moderatorID
        self.passwordHash = passwordHash
        self.totpSeal = totpSeal
        self.enrolledAt = enrolledAt
        self.failures = failures
        self.lockedUntil = lockedUntil
        self.lastTOTPStep = lastTOTPStep
    }

    public func isLocked(at time: Timestamp) -> Bool {
        lockedUntil.map { time < $0 } ?? false
    }
}

/// A signed-in console session. Only a hash of the cookie's secret is stored, so a copy of the
/// database signs nobody in.
public struct ConsoleSessionRecord: Sendable, Equatable {
    public var idHash: String
    public var moderatorID: String
    public var createdAt: Timestamp
    public var lastSeenAt: Timestamp
    public var endedAt: Timestamp?

    public init(idHash: String, moderatorID: String, createdAt: Timestamp, lastSeenAt: Timestamp, endedAt: Timestamp? = nil) {
        self.idHash = idHash
        self.moderatorID = moderatorID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.endedAt = endedAt
    }

    /// Why the session no longer holds at `time`, or nil while it does.
    public func end(at time: Timestamp, rules: ConsoleRules) -> ConsoleSessionEnd? {
        if endedAt != nil { return .signedOut }
        if createdAt.seconds(until: time) >= rules.absoluteTimeoutSeconds { return .expired }
        if lastSeenAt.seconds(until: time) >= rules.idleTimeoutSeconds { return .idle }
        return nil
    }
}

public enum ConsoleSessionEnd: String, Sendable {
    case signedOut = "signed_out", idle, expired
}

/// The console's sign-in settings.
public struct ConsoleRules: Sendable, Equatable {
    /// A session unused this long must sign in again.
    public var idleTimeoutSeconds: Double = 30 * 60
    /// A session ends this long after sign-in, used or not.
    public var absoluteTimeoutSeconds: Double = 12 * 3_600
    /// Failed sign-ins in a row that lock the account …
    public var lockAfterFailures: Int = 5
    /// … for this long.
    public var lockSeconds: Double = 15 * 60
    /// How long an enrolment link is good for.
    public var enrolmentHours: Double = 72
    /// Roles that must set a second factor; others may.
    public var secondFactorRequired: Set<ModeratorRole> = [.admin, .privacyOfficer]

    public init() {}
    public static let standard = ConsoleRules()
}
