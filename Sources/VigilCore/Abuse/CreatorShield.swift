/// Raised takedown thresholds on all of a creator's content while a detected pile-on lasts
/// (DESIGN.md §2). Visible to moderators, never to the creator or the reporters.
public struct CreatorShield: Sendable, Equatable {
    public var id: String
    public var creatorID: String
    /// The subject whose reports revealed the pile-on.
    public var subjectID: String
    public var since: Timestamp
    public var until: Timestamp
    /// What was detected.
    public var signals: Set<CoordinationSignal>
    public var groupSize: Int

    public init(id: String, creatorID: String, subjectID: String, since: Timestamp, until: Timestamp, signals: Set<CoordinationSignal>, groupSize: Int) {
        self.id = id
        self.creatorID = creatorID
        self.subjectID = subjectID
        self.since = since
        self.until = until
        self.signals = signals
        self.groupSize = groupSize
    }

    public func isActive(at time: Timestamp) -> Bool { since <= time && time < until }
}

/// How many reporters went after one creator's content recently, and how much audience that
/// content has: a pile-on across a creator's content shows here even when each subject looks quiet.
public struct CreatorPressure: Sendable, Equatable {
    /// Distinct unvetted reporters of the creator's content in the window.
    public var reporters: Int
    /// Distinct subjects of the creator they reported.
    public var subjects: Int
    /// The summed views and live viewers of those subjects (a sum of many bounded counts, kept in Double).
    public var views: Double
    public var liveViewers: Double

    public init(reporters: Int, subjects: Int, views: Double, liveViewers: Double) {
        self.reporters = reporters
        self.subjects = subjects
        self.views = views
        self.liveViewers = liveViewers
    }
}

extension IndependenceRules {
    /// Whether the reports against a creator's content, taken together, are more than its reach
    /// explains: a pile-on across their content (twice the volume one subject may draw, over at least two subjects).
    public func isPileOn(_ pressure: CreatorPressure) -> Bool {
        let allowance = volumeBaseVoices + max(0, pressure.views) / volumeViewsPerVoice + max(0, pressure.liveViewers) / volumeLiveViewersPerVoice
        return pressure.subjects >= 2 && Double(pressure.reporters) > 2 * allowance
    }
}
