/// Everything the case view shows, as read in one go: the case, its subject, its reports counted
/// by reason and channel, the score's growth by hour, and the creator's history. Bounded in size
/// however many reports the case has; the reports themselves come page by page (``CaseReportsPage``).
public struct CaseOverview: Sendable {
    public var record: CaseRecord
    public var subject: Subject
    public var tally: [ReportTally]
    /// Counted weight per hour of receipt, oldest first; hours with none are left out.
    public var hourly: [HourlyScore]
    public var scores: [CategoryScoreKey: CategoryScore]
    public var priorDecisions: [DecisionRecord]
    public var activeStrikes: Int
    public var accountActions: [AccountActionRecord]
    /// The name of the moderator holding the case, while the lease runs.
    public var holderName: String?
    public var asOf: Timestamp
    /// How the case's counted reports combine into independent voices.
    public var independence: IndependenceAssessment?
    /// Each counted reporter's position among the case's reports (what their pseudonym is made from).
    public var positions: [String: Int] = [:]
    /// The creator's latest shield, in force or not.
    public var shield: CreatorShield?
    /// The subject's newest signals and rule matches (automated detection).
    public var signals: [Signal] = []
    public var ruleMatches: [RuleMatchRecord] = []

    public init(record: CaseRecord, subject: Subject, tally: [ReportTally], hourly: [HourlyScore], scores: [CategoryScoreKey: CategoryScore],
                priorDecisions: [DecisionRecord], activeStrikes: Int, accountActions: [AccountActionRecord], holderName: String?, asOf: Timestamp) {
        self.record = record
        self.subject = subject
        self.tally = tally
        self.hourly = hourly
        self.scores = scores
        self.priorDecisions = priorDecisions
        self.activeStrikes = activeStrikes
        self.accountActions = accountActions
        self.holderName = holderName
        self.asOf = asOf
    }
}

/// The counted weight a case's reports added in one hour.
public struct HourlyScore: Sendable, Equatable {
    public var hour: Timestamp
    public var reports: Int
    public var weight: Double

    public init(hour: Timestamp, reports: Int, weight: Double) {
        self.hour = hour
        self.reports = reports
        self.weight = weight
    }
}

/// A page of a case's reports in arrival order, each with its position among all the case's
/// reports (what the per-case pseudonym is made from) and its reporter's record, if any.
public struct CaseReportsPage: Sendable {
    public struct Entry: Sendable {
        public var position: Int
        public var report: CaseReport
        public var reporter: ReporterRecord?

        public init(position: Int, report: CaseReport, reporter: ReporterRecord?) {
            self.position = position
            self.report = report
            self.reporter = reporter
        }
    }

    public var entries: [Entry]
    public var nextCursor: String?
    public var asOf: Timestamp

    public init(entries: [Entry], nextCursor: String?, asOf: Timestamp) {
        self.entries = entries
        self.nextCursor = nextCursor
        self.asOf = asOf
    }
}
