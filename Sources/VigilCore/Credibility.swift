import Foundation

/// A reporter's track record: how many of their reports moderators upheld or dismissed. The counts
/// decay with a half-life so that recent decisions weigh more than old ones and a reporter who stops
/// filing false reports recovers.
public struct TrackRecord: Sendable, Equatable {
    /// Decayed count of upheld reports, as of `asOf`.
    public var upheld: Double
    /// Decayed count of dismissed reports, as of `asOf`.
    public var dismissed: Double
    public var asOf: Timestamp

    public init(upheld: Double = 0, dismissed: Double = 0, asOf: Timestamp) {
        self.upheld = upheld
        self.dismissed = dismissed
        self.asOf = asOf
    }

    public static func newcomer(at time: Timestamp) -> TrackRecord { TrackRecord(asOf: time) }

    /// The record as it stands at `time`, every count shrunk by the time passed since `asOf`.
    public func decayed(to time: Timestamp, halfLifeDays: Double = CredibilityModel.standard.halfLifeDays) -> TrackRecord {
        let days = max(0, asOf.seconds(until: time) / 86_400)
        let factor = pow(0.5, days / halfLifeDays)
        return TrackRecord(upheld: upheld * factor, dismissed: dismissed * factor, asOf: max(asOf, time))
    }
}

/// How credibility and report weight follow from a track record. A Bayesian estimate of accuracy
/// with a Beta prior: newcomers start at the prior mean (neutral), and evidence moves them.
public struct CredibilityModel: Sendable, Equatable {
    /// Beta prior pseudo-counts; equal values make the neutral estimate 0.5.
    public var priorUpheld: Double = 2
    public var priorDismissed: Double = 2
    /// Evidence older than this counts half as much.
    public var halfLifeDays: Double = 180
    /// No single ordinary reporter weighs more than this many newcomers.
    public var maxWeight: Double = 2
    /// The fixed weight of a trusted flagger's report.
    public var trustedFlaggerWeight: Double = 3

    public static let standard = CredibilityModel()

    /// Smoothed accuracy in (0, 1): the posterior mean of the Beta distribution.
    public func credibility(_ record: TrackRecord) -> Double {
        (priorUpheld + record.upheld) / (priorUpheld + priorDismissed + record.upheld + record.dismissed)
    }

    /// The credibility of someone with no record; the point where weight is 1.
    public var neutralCredibility: Double { priorUpheld / (priorUpheld + priorDismissed) }

    /// Weight from credibility: quadratic, so that chronic false reporters fall towards zero fast
    /// while a good record raises weight only up to `maxWeight`.
    public func weight(credibility: Double) -> Double {
        min(maxWeight, pow(credibility / neutralCredibility, 2))
    }

    /// New accounts are cheap to make, so their reports weigh less until the account has some age.
    public func accountAgeFactor(days: Int?) -> Double {
        guard let days else { return 1 }
        switch days {
        case ..<7: return 0.5
        case ..<30: return 0.75
        default: return 1
        }
    }

    /// The weight a reporter's record alone earns at `time`, before the account-age factor.
    public func credibilityWeight(record: TrackRecord, at time: Timestamp) -> Double {
        weight(credibility: credibility(record.decayed(to: time, halfLifeDays: halfLifeDays)))
    }

    /// The weight one report carries when it is counted.
    public func reportWeight(channel: ReportChannel, record: TrackRecord, accountAgeDays: Int?, at time: Timestamp) -> Double {
        if channel == .trustedFlagger { return trustedFlaggerWeight }
        let current = record.decayed(to: time, halfLifeDays: halfLifeDays)
        return weight(credibility: credibility(current)) * accountAgeFactor(days: accountAgeDays)
    }
}
