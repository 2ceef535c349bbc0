import Foundation

/// How a rule has fared against moderators' decisions on the subjects it matched.
public struct RuleStats: Sendable, Equatable {
    public var ruleID: String
    /// Matches recorded (live and shadow).
    public var hits: Int
    /// Matches that acted (restricted or escalated).
    public var actions: Int
    /// Matches on subjects a moderator then found in violation.
    public var upheld: Int
    /// Matches on subjects a moderator found not in violation, or whose decision an appeal reversed.
    public var overturned: Int
    /// Appeals granted against decisions on the rule's matches.
    public var appealsGranted: Int

    public init(ruleID: String, hits: Int = 0, actions: Int = 0, upheld: Int = 0, overturned: Int = 0, appealsGranted: Int = 0) {
        self.ruleID = ruleID
        self.hits = hits
        self.actions = actions
        self.upheld = upheld
        self.overturned = overturned
        self.appealsGranted = appealsGranted
    }

    public var decided: Int { upheld + overturned }

    /// Upheld over decided; nil before any decision.
    public var precision: Double? { decided == 0 ? nil : Double(upheld) / Double(decided) }

    /// The 95% Wilson score interval of the precision: honest at small counts, where a plain
    /// proportion claims certainty it does not have.
    public var interval: (low: Double, high: Double)? {
        Self.wilson(successes: upheld, trials: decided)
    }

    public static func wilson(successes: Int, trials: Int, z: Double = 1.959964) -> (low: Double, high: Double)? {
        guard trials > 0 else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (max(0, centre - half), min(1, centre + half))
    }
}

extension PrecisionFloor {
    /// Whether a live rule with these figures must go to shadow: enough decisions, precision under the floor.
    public func demotes(_ stats: RuleStats) -> Bool {
        guard stats.decided >= minDecisions, let precision = stats.precision else { return false }
        return precision < floor
    }
}
