/// How many open cases each of the queue's filters holds, as of a moment.
public struct QueueCounts: Sendable, Equatable {
    public var open: Int
    public var live: Int
    public var overdue: Int
    public var urgent: Int
    public var claimed: Int
    public var coordinated: Int
    public var automated: Int
    /// Open cases per policy category.
    public var byCategory: [String: Int]
    public var asOf: Timestamp

    public init(open: Int, live: Int, overdue: Int, urgent: Int, claimed: Int, coordinated: Int, automated: Int,
                byCategory: [String: Int], asOf: Timestamp) {
        self.open = open
        self.live = live
        self.overdue = overdue
        self.urgent = urgent
        self.claimed = claimed
        self.coordinated = coordinated
        self.automated = automated
        self.byCategory = byCategory
        self.asOf = asOf
    }
}
