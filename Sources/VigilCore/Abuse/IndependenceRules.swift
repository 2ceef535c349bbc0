import Foundation

/// The settings of the anti-abuse rules (DESIGN.md §2, Triage): when a report may act alone, which
/// reports combine into one voice, and how a creator under a pile-on is shielded. Every number is
/// configurable; the defaults are what the simulator (`vigil simulate`) was measured with.
public struct IndependenceRules: Sendable, Equatable {
    /// A proven reporter has at least this many upheld reports (decayed, as credibility counts them) …
    public var provenMinUpheld: Double = 5
    /// … and at least this share of their decided reports upheld.
    public var provenMinAccuracy: Double = 0.8
    /// Accounts younger than this are new: their reports pool with the other low-trust voices.
    public var newAccountDays: Int = 30
    /// A reporter whose credibility weight (before the account-age factor) is below this is doubtful.
    public var doubtfulWeight: Double = 0.5

    /// Two reports of one subject are a co-report when they arrive within this many hours of each other.
    public var coReportWindowHours: Double = 24
    /// Co-reports older than this many days are forgotten.
    public var coReportMemoryDays: Double = 30
    /// Two reporters are linked when their co-reports count at least this much evidence …
    public var linkMinEvidence: Int = 2
    /// … and their report sets are at least this similar (Jaccard).
    public var linkMinSimilarity: Double = 0.2
    /// A new report is paired with at most this many of the subject's latest reporters, so a
    /// subject with thousands of reports costs intake a bounded amount of work.
    public var maxCoReportPeers: Int = 64

    /// A group of reports counts as its strongest member plus at most this much.
    public var groupBonus: Double = 0.25

    /// Reports on a subject that its reach explains, over any burst window: this many …
    public var burstBaseVoices: Double = 1
    /// … plus one per this many views …
    public var burstViewsPerVoice: Double = 2_500
    /// … plus one per this many live viewers.
    public var burstLiveViewersPerVoice: Double = 50
    /// The burst window, in minutes.
    public var burstWindowMinutes: Double = 30
    /// Reports on a subject that its reach explains before review, in all: this many …
    public var volumeBaseVoices: Double = 6
    /// … plus one per this many views …
    public var volumeViewsPerVoice: Double = 200
    /// … plus one per this many live viewers.
    public var volumeLiveViewersPerVoice: Double = 10

    /// A coordinated group of at least this many reporters on one creator's content shields the creator …
    public var shieldMinGroup: Int = 8
    /// … and so does a smaller one linked by co-reporting, the strongest evidence.
    public var shieldMinCoReportingGroup: Int = 3
    /// How long a shield lasts, in days.
    public var shieldDays: Double = 7
    /// A shielded creator's takedown thresholds are multiplied by this.
    public var shieldThresholdFactor: Double = 2
    /// Queue priority a shielded creator's cases gain, so a pile-on is looked at soon.
    public var shieldPriorityBoost: Double = 50

    /// A subject is queued for review, without a takedown, once its independent score reaches this
    /// share of the takedown threshold: a credible report gets a human look before it is corroborated.
    public var reviewShare: Double = 0.5

    /// Review deadline, in hours, of a case opened by a lone report in a critical category.
    public var loneCriticalDeadlineHours: Double = 1

    /// Minutes unvetted reports must stand corroborated before they take a video, comment or
    /// account down: the first reports of a brigade look like organic ones, and a burst or volume
    /// beyond reach only shows as the rest arrive. A vetted voice (trusted flagger, proven
    /// reporter) acts at once; 0 takes down at once.
    public var settleMinutes: Double = 15
    /// The same for live streams, shorter: harm on a live stream happens now.
    public var liveSettleMinutes: Double = 5

    public static let standard = IndependenceRules()

    public init() {}

    /// Whether a reporter's record (as of the report) is proven: enough upheld reports, accurately.
    public func isProven(_ record: TrackRecord) -> Bool {
        let decided = record.upheld + record.dismissed
        // A little slack: the counts decay continuously, so five upheld reports read as 4.9999… a moment later.
        return record.upheld + 0.01 >= provenMinUpheld && decided > 0 && record.upheld / decided >= provenMinAccuracy
    }

    /// The kind of voice a report is counted as.
    public func standing(channel: ReportChannel, record: TrackRecord, credibilityWeight: Double, accountAgeDays: Int?) -> VoiceStanding {
        if channel == .trustedFlagger { return .trusted }
        if isProven(record) { return .proven }
        if credibilityWeight < doubtfulWeight { return .doubtful }
        if let days = accountAgeDays, days < newAccountDays { return .newAccount }
        return .ordinary
    }

    /// Whether a reporter who has filed `reportsFiled` reports in all can be linked to another by
    /// their co-reports: evidence of two or more needs a second shared subject (or a dismissed
    /// one), so a reporter's first report links them to nobody.
    public func mayBeLinked(reportsFiled: Int) -> Bool {
        linkMinEvidence < 2 || reportsFiled >= 2
    }

    /// Whether two reporters' co-reports make them one group.
    public func linked(_ tie: CoReportTie, filedA: Int, filedB: Int) -> Bool {
        tie.evidence >= linkMinEvidence && tie.similarity(filedA: filedA, filedB: filedB) >= linkMinSimilarity
    }

    /// How long unvetted corroboration must stand before it takes a subject of `kind` down, in seconds.
    public func settleSeconds(_ kind: SubjectKind) -> Double {
        (kind == .live ? liveSettleMinutes : settleMinutes) * 60
    }

    /// Unvetted reporters a subject's reach explains within one burst window.
    public func burstAllowance(_ reach: Reach) -> Double {
        burstBaseVoices + Double(max(reach.views, 0)) / burstViewsPerVoice + Double(max(reach.liveViewers, 0)) / burstLiveViewersPerVoice
    }

    /// Unvetted reporters a subject's reach explains before it is reviewed.
    public func volumeAllowance(_ reach: Reach) -> Double {
        volumeBaseVoices + Double(max(reach.views, 0)) / volumeViewsPerVoice + Double(max(reach.liveViewers, 0)) / volumeLiveViewersPerVoice
    }

    /// Checks the settings, listing every problem.
    public func problems() -> [String] {
        var found: [String] = []
        func positive(_ value: Double, _ name: String) {
            if !(value.isFinite && value > 0) { found.append("\(name) must be a positive number") }
        }
        func nonNegative(_ value: Double, _ name: String) {
            if !(value.isFinite && value >= 0) { found.append("\(name) must be zero or more") }
        }
        nonNegative(provenMinUpheld, "proven_min_upheld")
        if !(0...1).contains(provenMinAccuracy) { found.append("proven_min_accuracy must be between 0 and 1") }
        if !(0...36_500).contains(newAccountDays) { found.append("new_account_days must be between 0 and 36500") }
        nonNegative(doubtfulWeight, "doubtful_weight")
        positive(coReportWindowHours, "co_report_window_hours")
        positive(coReportMemoryDays, "co_report_memory_days")
        if !(1...1_000).contains(linkMinEvidence) { found.append("link_min_evidence must be between 1 and 1000") }
        if !(0...1).contains(linkMinSimilarity) { found.append("link_min_similarity must be between 0 and 1") }
        if !(1...1_000).contains(maxCoReportPeers) { found.append("max_co_report_peers must be between 1 and 1000") }
        nonNegative(groupBonus, "group_bonus")
        nonNegative(burstBaseVoices, "burst_base_voices")
        positive(burstViewsPerVoice, "burst_views_per_voice")
        positive(burstLiveViewersPerVoice, "burst_live_viewers_per_voice")
        positive(burstWindowMinutes, "burst_window_minutes")
        nonNegative(volumeBaseVoices, "volume_base_voices")
        positive(volumeViewsPerVoice, "volume_views_per_voice")
        positive(volumeLiveViewersPerVoice, "volume_live_viewers_per_voice")
        if !(2...100_000).contains(shieldMinGroup) { found.append("shield_min_group must be between 2 and 100000") }
        if !(2...100_000).contains(shieldMinCoReportingGroup) { found.append("shield_min_co_reporting_group must be between 2 and 100000") }
        if !(shieldDays.isFinite && shieldDays > 0 && shieldDays <= 365) { found.append("shield_days must be more than 0 and at most 365") }
        if !(shieldThresholdFactor.isFinite && shieldThresholdFactor >= 1 && shieldThresholdFactor <= 100) { found.append("shield_threshold_factor must be between 1 and 100") }
        nonNegative(shieldPriorityBoost, "shield_priority_boost")
        if !(0...1).contains(reviewShare) { found.append("review_share must be between 0 and 1") }
        if !(loneCriticalDeadlineHours.isFinite && loneCriticalDeadlineHours > 0 && loneCriticalDeadlineHours <= 720) {
            found.append("lone_critical_deadline_hours must be more than 0 and at most 720")
        }
        if !(0...1_440).contains(settleMinutes) { found.append("settle_minutes must be between 0 and 1440") }
        if !(0...1_440).contains(liveSettleMinutes) { found.append("live_settle_minutes must be between 0 and 1440") }
        return found
    }
}
