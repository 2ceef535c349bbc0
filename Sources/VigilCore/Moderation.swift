/// What a moderator may do. Each moderator endpoint names the roles it admits; `admin` is admitted everywhere.
public enum ModeratorRole: String, Codable, Sendable, CaseIterable {
    /// Looks at the queue and cases, to route and prioritise.
    case triage
    /// Claims and decides cases.
    case moderator
    /// Decides appeals.
    case appeals
    case admin
    /// May unseal a reporter's identity for a legal request; every unseal is audited.
    case privacyOfficer = "privacy_officer"
}

/// The enforcement settings that are not community guidelines: credibility, misuse, strikes and
/// claim leases. Defaults follow DESIGN.md; each can be configured.
public struct ModerationRules: Sendable, Equatable {
    public var credibility: CredibilityModel
    public var misuse: MisusePolicy
    public var strikes: StrikePolicy
    /// How long a claim holds a case for its moderator, unless renewed.
    public var claimLeaseSeconds: Double
    /// Credible weight a report with a reason not reviewed in a subject's last decision must carry
    /// to reopen review on its own.
    public var newReasonMinWeight: Double
    /// Lone reports, independent voices, coordinated groups and creator shields.
    public var independence: IndependenceRules

    public static let standard = ModerationRules(
        credibility: .standard, misuse: .standard, strikes: .standard, claimLeaseSeconds: 600, newReasonMinWeight: 1)

    public init(credibility: CredibilityModel, misuse: MisusePolicy, strikes: StrikePolicy, claimLeaseSeconds: Double, newReasonMinWeight: Double,
                independence: IndependenceRules = .standard) {
        self.credibility = credibility
        self.misuse = misuse
        self.strikes = strikes
        self.claimLeaseSeconds = claimLeaseSeconds
        self.newReasonMinWeight = newReasonMinWeight
        self.independence = independence
    }
}

/// A reporter's misuse standing as stored: the standing and, for a suspension, when it ends.
public struct ReporterStanding: Sendable, Equatable {
    public var standing: MisuseStanding
    public var until: Timestamp?

    public init(standing: MisuseStanding = .good, until: Timestamp? = nil) {
        self.standing = standing
        self.until = until
    }

    public static let good = ReporterStanding()

    /// Whether the reporter's reports are suspended at `time`. A lapsed suspension no longer
    /// applies, even before the sweeper records its lifting.
    public func isSuspended(at time: Timestamp) -> Bool {
        standing == .suspended && (until.map { time < $0 } ?? true)
    }
}
