/// What the moderators' dashboard shows for a period: reports by category over time, takedowns,
/// the queue, review speed and appeal reversals.
public struct ModerationFigures: Sendable, Equatable {
    /// Reports received per category and time bucket (bucket = start of the bucket).
    public var reports: [CategoryBucket]
    /// Subjects taken down pending review (provisional takedowns) in the period.
    public var provisionalTakedowns: Int
    /// Moderator decisions in the period that removed the subject.
    public var confirmedRemovals: Int
    public var openCases: Int
    public var oldestOpenCase: Timestamp?
    /// Seconds from a case's opening to a moderator's decision, for the period's decisions (newest first, bounded).
    public var decisionSeconds: [Double]
    public var appealsGranted: Int
    public var appealsDenied: Int

    public struct CategoryBucket: Sendable, Equatable {
        public var category: String
        public var bucket: Timestamp
        public var reports: Int

        public init(category: String, bucket: Timestamp, reports: Int) {
            self.category = category
            self.bucket = bucket
            self.reports = reports
        }
    }

    public init(reports: [CategoryBucket], provisionalTakedowns: Int, confirmedRemovals: Int, openCases: Int, oldestOpenCase: Timestamp?,
                decisionSeconds: [Double], appealsGranted: Int, appealsDenied: Int) {
        self.reports = reports
        self.provisionalTakedowns = provisionalTakedowns
        self.confirmedRemovals = confirmedRemovals
        self.openCases = openCases
        self.oldestOpenCase = oldestOpenCase
        self.decisionSeconds = decisionSeconds
        self.appealsGranted = appealsGranted
        self.appealsDenied = appealsDenied
    }

    /// The median time to a decision, in seconds.
    public var medianDecisionSeconds: Double? {
        guard !decisionSeconds.isEmpty else { return nil }
        let sorted = decisionSeconds.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Granted appeals among decided ones.
    public var appealReversalRate: Double? {
        let decided = appealsGranted + appealsDenied
        return decided == 0 ? nil : Double(appealsGranted) / Double(decided)
    }
}
