/// What kind of voice a reporter was when a report was counted. Fixed at intake and stored with the
/// report, as its weight is, so later assessments of the same reports agree on every node.
public enum VoiceStanding: String, Codable, Sendable, CaseIterable {
    /// A trusted flagger (DSA Art. 22): vetted, never grouped with others.
    case trusted
    /// A reporter with a proven record (``IndependenceRules/isProven(_:)``): may act alone.
    case proven
    /// An established account with no record against it.
    case ordinary
    /// An account younger than ``IndependenceRules/newAccountDays``: cheap to make in numbers.
    case newAccount = "new_account"
    /// A reporter whose record has fallen below ``IndependenceRules/doubtfulWeight``.
    case doubtful

    /// New and doubtful accounts together count as little more than one voice.
    public var isLowTrust: Bool { self == .newAccount || self == .doubtful }

    /// Whether the voice may be merged into a group by volume or timing alone. Trusted flaggers and
    /// proven reporters have earned independence; only co-reporting can group a proven reporter.
    public var isVetted: Bool { self == .trusted || self == .proven }
}

/// One counted report as the independence assessment sees it: who (a keyed hash, never an id),
/// what for, how much it weighs, what kind of voice, and when.
public struct ReportVoice: Sendable, Equatable {
    public var reporterHash: String
    public var category: String
    public var weight: Double
    public var standing: VoiceStanding
    public var receivedAt: Timestamp
    /// Reports the reporter had filed in all (for the co-reporting similarity).
    public var reporterReportsFiled: Int
    /// Already decided: the report's weight was spent by the decision, but it arrived within the
    /// burst window, so it still counts towards a burst (a wave does not stop being a wave because
    /// a moderator ruled on its first half).
    public var spent = false

    public init(reporterHash: String, category: String, weight: Double, standing: VoiceStanding, receivedAt: Timestamp, reporterReportsFiled: Int) {
        self.reporterHash = reporterHash
        self.category = category
        self.weight = weight
        self.standing = standing
        self.receivedAt = receivedAt
        self.reporterReportsFiled = reporterReportsFiled
    }
}
