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

/// How many reports went against one creator's content recently, and how much audience that
/// content has: a pile-on across a creator's content shows here even when each subject looks quiet.
public struct CreatorPressure: Sendable, Equatable {
    /// Counted reports from unvetted reporters against the creator's content in the window.
    public var reports: Int
    /// The creator's registered subjects.
    public var subjects: Int
    /// The summed views and live viewers of those subjects (a sum of many bounded counts, kept in Double).
    public var views: Double
    public var liveViewers: Double

    public init(reports: Int, subjects: Int, views: Double, liveViewers: Double) {
        self.reports = reports
        self.subjects = subjects
        self.views = views
        self.liveViewers = liveViewers
    }
}

extension IndependenceRules {
    /// Whether the reports against a creator's content, taken together, are more than its reach
    /// explains: a pile-on across their content (twice the volume one subject of that reach may
    /// draw; a creator with one subject is covered by the subject's own volume).
    public func isPileOn(_ pressure: CreatorPressure) -> Bool {
        let allowance = volumeBaseVoices + max(0, pressure.views) / volumeViewsPerVoice + max(0, pressure.liveViewers) / volumeLiveViewersPerVoice
        return pressure.subjects >= 2 && Double(pressure.reports) > 2 * allowance
    }
}
