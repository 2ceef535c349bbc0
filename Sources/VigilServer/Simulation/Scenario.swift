import Foundation
import VigilCore
import Yams

/// A platform's traffic for `vigil simulate`: its creators and content, honest reporters, chronic
/// false reporters, brigades, and moderators. Read from YAML (every key optional; unknown keys and
/// bad values are listed together), so a platform can model its own traffic.
public struct Scenario: Sendable, Equatable {
    /// A log-normal distribution given by its median and the standard deviation of its logarithm.
    public struct LogNormal: Sendable, Equatable {
        public var median: Double
        public var sigma: Double
    }

    public struct Range: Sendable, Equatable {
        public var min: Double
        public var max: Double
    }

    public enum BrigadeShape: String, Sendable, CaseIterable {
        /// Accounts made for the attack (days old), one target, in a burst.
        case throwaway
        /// Established accounts with no record, one target, in a burst.
        case aged
        /// Established accounts that move from target to target, hours apart.
        case clique
        /// Established accounts on one target, spread over hours.
        case slowDrip = "slow_drip"
        /// Established accounts cutting one streamer's live streams, one after another.
        case livePileOn = "live_pile_on"
        /// New and established accounts that first file honest reports to build a record, then attack.
        case mixed
    }

    public struct Brigade: Sendable, Equatable {
        public var shape: BrigadeShape
        public var count: Int
        public var size: Range
        /// Targets each brigade attacks (clique and live pile-on; the others attack one).
        public var targets: Int
        public var reason: String
        /// Share of members who join each attack.
        public var participation: Double
    }

    public var name: String
    public var seed: UInt64
    public var hours: Double
    public var creators: Int
    public var subjectsPerCreator: Int
    public var liveShare: Double
    public var commentShare: Double
    public var violatingShare: Double
    public var views: LogNormal
    public var liveViewers: LogNormal
    /// Honest reporters and how often viewers report.
    public var honestReporters: Int
    public var reportRateViolating: Double
    public var reportRateInnocent: Double
    public var honestAccuracy: Range
    public var newAccountShare: Double
    public var chronicFalseReporters: Int
    public var chronicReportsPerDay: Double
    public var brigades: [Brigade]
    public var moderators: Int
    public var minutesPerCase: Double
    public var moderatorErrorRate: Double
    /// The plain count threshold compared against (k reports take a subject down).
    public var countThreshold: Int
    /// Vigil's independence settings for the run (the key `independence`), so a platform can try its own.
    public var independence: IndependenceRules = .standard

    public static let standard = Scenario(
        name: "default", seed: 2026, hours: 48, creators: 400, subjectsPerCreator: 6, liveShare: 0.15, commentShare: 0.15,
        violatingShare: 0.06, views: LogNormal(median: 2_000, sigma: 1.6), liveViewers: LogNormal(median: 120, sigma: 1.2),
        honestReporters: 20_000, reportRateViolating: 0.004, reportRateInnocent: 0.0002, honestAccuracy: Range(min: 0.6, max: 0.98),
        newAccountShare: 0.1, chronicFalseReporters: 40, chronicReportsPerDay: 6,
        brigades: [
            Brigade(shape: .throwaway, count: 12, size: Range(min: 20, max: 200), targets: 1, reason: "harassment", participation: 0.9),
            Brigade(shape: .aged, count: 12, size: Range(min: 20, max: 150), targets: 1, reason: "hate_speech", participation: 0.9),
            Brigade(shape: .clique, count: 8, size: Range(min: 20, max: 60), targets: 6, reason: "harassment", participation: 0.85),
            Brigade(shape: .slowDrip, count: 10, size: Range(min: 20, max: 80), targets: 1, reason: "nudity", participation: 0.9),
            Brigade(shape: .livePileOn, count: 8, size: Range(min: 20, max: 60), targets: 4, reason: "hate_speech", participation: 0.85),
            Brigade(shape: .mixed, count: 8, size: Range(min: 20, max: 100), targets: 1, reason: "child_safety", participation: 0.9),
        ],
        moderators: 6, minutesPerCase: 4, moderatorErrorRate: 0.02, countThreshold: 5)

    /// Reads a scenario file; keys it leaves out keep the standard values.
    public static func load(path: String) throws -> Scenario {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ScenarioInvalid(problems: ["cannot read \(path)"])
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws -> Scenario {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw ScenarioInvalid(problems: ["not valid YAML: \(error)"]) }
        guard let document = root as? [String: Any] else { throw ScenarioInvalid(problems: ["a scenario must be a mapping"]) }
        var reader = ScenarioReader(document: document)
        var s = Scenario.standard
        s.name = reader.string("name") ?? s.name
        s.seed = UInt64(reader.number("seed", 0...Double(UInt32.max)) ?? Double(s.seed))
        s.hours = reader.number("hours", 1...24 * 30) ?? s.hours
        s.creators = Int(reader.number("creators", 1...100_000) ?? Double(s.creators))
        s.subjectsPerCreator = Int(reader.number("subjects_per_creator", 1...1_000) ?? Double(s.subjectsPerCreator))
        s.liveShare = reader.number("live_share", 0...1) ?? s.liveShare
        s.commentShare = reader.number("comment_share", 0...1) ?? s.commentShare
        s.violatingShare = reader.number("violating_share", 0...1) ?? s.violatingShare
        s.views = reader.logNormal("views") ?? s.views
        s.liveViewers = reader.logNormal("live_viewers") ?? s.liveViewers
        s.honestReporters = Int(reader.number("honest_reporters", 1...10_000_000) ?? Double(s.honestReporters))
        s.reportRateViolating = reader.number("report_rate_violating", 0...1) ?? s.reportRateViolating
        s.reportRateInnocent = reader.number("report_rate_innocent", 0...1) ?? s.reportRateInnocent
        s.honestAccuracy = reader.range("honest_accuracy", within: 0...1) ?? s.honestAccuracy
        s.newAccountShare = reader.number("new_account_share", 0...1) ?? s.newAccountShare
        s.chronicFalseReporters = Int(reader.number("chronic_false_reporters", 0...100_000) ?? Double(s.chronicFalseReporters))
        s.chronicReportsPerDay = reader.number("chronic_reports_per_day", 0...1_000) ?? s.chronicReportsPerDay
        if let brigades = reader.brigades("brigades") { s.brigades = brigades }
        s.moderators = Int(reader.number("moderators", 1...10_000) ?? Double(s.moderators))
        s.minutesPerCase = reader.number("minutes_per_case", 0.1...600) ?? s.minutesPerCase
        s.moderatorErrorRate = reader.number("moderator_error_rate", 0...0.5) ?? s.moderatorErrorRate
        s.countThreshold = Int(reader.number("count_threshold", 1...1_000) ?? Double(s.countThreshold))
        s.independence = reader.independence("independence") ?? s.independence
        reader.rejectUnknownKeys()
        if s.liveShare + s.commentShare > 1 { reader.problems.append("live_share + comment_share must be at most 1") }
        // What one run may generate, so that a scenario file cannot exhaust the machine.
        if s.creators * s.subjectsPerCreator > 1_000_000 { reader.problems.append("creators × subjects_per_creator must be at most 1000000") }
        let members = s.brigades.reduce(0.0) { $0 + Double($1.count) * $1.size.max * Double($1.targets) }
        if members > 5_000_000 { reader.problems.append("brigades: count × size.max × targets must add up to at most 5000000") }
        guard reader.problems.isEmpty else { throw ScenarioInvalid(problems: reader.problems) }
        return s
    }
}

public struct ScenarioInvalid: Error, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "invalid scenario:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
}

/// Reads typed, bounded values out of a YAML mapping, collecting every problem.
private struct ScenarioReader {
    let document: [String: Any]
    var problems: [String] = []
    private var used: Set<String> = []

    init(document: [String: Any]) { self.document = document }

    mutating func string(_ key: String) -> String? {
        used.insert(key)
        guard let value = document[key] else { return nil }
        guard let text = value as? String, !text.isEmpty, text.count <= 200 else {
            problems.append("\(key): must be a text of 1 to 200 characters")
            return nil
        }
        return text
    }

    mutating func number(_ key: String, _ range: ClosedRange<Double>, in mapping: [String: Any]? = nil, path: String? = nil) -> Double? {
        let source = mapping ?? document
        if mapping == nil { used.insert(key) }
        guard let value = source[key] else { return nil }
        let number = (value as? Double) ?? (value as? Int).map(Double.init)
        guard let number, number.isFinite, range.contains(number) else {
            problems.append("\(path ?? key): must be a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    mutating func logNormal(_ key: String) -> Scenario.LogNormal? {
        used.insert(key)
        guard let value = document[key] else { return nil }
        guard let mapping = value as? [String: Any] else {
            problems.append("\(key): must be a mapping with median and sigma")
            return nil
        }
        guard let median = number("median", 0...1e12, in: mapping, path: "\(key).median"),
              let sigma = number("sigma", 0...5, in: mapping, path: "\(key).sigma") else {
            if mapping["median"] == nil || mapping["sigma"] == nil { problems.append("\(key): needs median and sigma") }
            return nil
        }
        return Scenario.LogNormal(median: median, sigma: sigma)
    }

    mutating func range(_ key: String, within bounds: ClosedRange<Double>, in mapping: [String: Any]? = nil, path: String? = nil) -> Scenario.Range? {
        let source = mapping ?? document
        if mapping == nil { used.insert(key) }
        let name = path ?? key
        guard let value = source[key] else { return nil }
        guard let fields = value as? [String: Any],
              let low = number("min", bounds, in: fields, path: "\(name).min"),
              let high = number("max", bounds, in: fields, path: "\(name).max") else {
            problems.append("\(name): must be a mapping with min and max from \(bounds.lowerBound) to \(bounds.upperBound)")
            return nil
        }
        guard low <= high else {
            problems.append("\(name): min must not exceed max")
            return nil
        }
        return Scenario.Range(min: low, max: high)
    }

    mutating func brigades(_ key: String) -> [Scenario.Brigade]? {
        used.insert(key)
        guard let value = document[key] else { return nil }
        guard let list = value as? [Any] else {
            problems.append("\(key): must be a list")
            return nil
        }
        var result: [Scenario.Brigade] = []
        let known: Set<String> = ["shape", "count", "size", "targets", "reason", "participation"]
        for (index, item) in list.enumerated() {
            let path = "\(key)[\(index)]"
            guard let fields = item as? [String: Any] else {
                problems.append("\(path): must be a mapping")
                continue
            }
            for unknown in Set(fields.keys).subtracting(known).sorted() { problems.append("\(path).\(unknown): unknown key") }
            guard let shapeName = fields["shape"] as? String, let shape = Scenario.BrigadeShape(rawValue: shapeName) else {
                problems.append("\(path).shape: must be one of \(Scenario.BrigadeShape.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            let reason = (fields["reason"] as? String) ?? "harassment"
            if Policy.builtIn.category(reason) == nil { problems.append("\(path).reason: '\(reason)' is not a built-in policy category") }
            let count = number("count", 0...10_000, in: fields, path: "\(path).count") ?? 1
            let size = range("size", within: 1...100_000, in: fields, path: "\(path).size") ?? Scenario.Range(min: 20, max: 100)
            let targets = number("targets", 1...100, in: fields, path: "\(path).targets") ?? 1
            let participation = number("participation", 0.05...1, in: fields, path: "\(path).participation") ?? 0.9
            result.append(Scenario.Brigade(shape: shape, count: Int(count), size: size, targets: Int(targets), reason: reason, participation: participation))
        }
        return result
    }

    /// Overrides of ``IndependenceRules``, by their snake_case names; checked as the server checks them.
    mutating func independence(_ key: String) -> IndependenceRules? {
        used.insert(key)
        guard let value = document[key] else { return nil }
        guard let fields = value as? [String: Any] else {
            problems.append("\(key): must be a mapping of setting to number")
            return nil
        }
        var rules = IndependenceRules.standard
        let settings: [String: WritableKeyPath<IndependenceRules, Double>] = [
            "proven_min_upheld": \.provenMinUpheld, "proven_min_accuracy": \.provenMinAccuracy, "doubtful_weight": \.doubtfulWeight,
            "co_report_window_hours": \.coReportWindowHours, "co_report_memory_days": \.coReportMemoryDays,
            "link_min_similarity": \.linkMinSimilarity, "group_bonus": \.groupBonus, "burst_base_voices": \.burstBaseVoices,
            "burst_views_per_voice": \.burstViewsPerVoice, "burst_live_viewers_per_voice": \.burstLiveViewersPerVoice,
            "burst_window_minutes": \.burstWindowMinutes, "volume_base_voices": \.volumeBaseVoices,
            "volume_views_per_voice": \.volumeViewsPerVoice, "volume_live_viewers_per_voice": \.volumeLiveViewersPerVoice,
            "shield_days": \.shieldDays, "shield_threshold_factor": \.shieldThresholdFactor, "shield_priority_boost": \.shieldPriorityBoost,
            "review_share": \.reviewShare, "lone_critical_deadline_hours": \.loneCriticalDeadlineHours,
            "settle_minutes": \.settleMinutes, "live_settle_minutes": \.liveSettleMinutes,
        ]
        let whole: [String: WritableKeyPath<IndependenceRules, Int>] = [
            "new_account_days": \.newAccountDays, "link_min_evidence": \.linkMinEvidence, "max_co_report_peers": \.maxCoReportPeers,
            "shield_min_group": \.shieldMinGroup, "shield_min_co_reporting_group": \.shieldMinCoReportingGroup,
        ]
        for name in fields.keys.sorted() {
            let number = (fields[name] as? Double) ?? (fields[name] as? Int).map(Double.init)
            guard let number, number.isFinite, abs(number) <= 1e9 else {
                problems.append("\(key).\(name): must be a number")
                continue
            }
            if let path = settings[name] {
                rules[keyPath: path] = number
            } else if let path = whole[name], number == number.rounded() {
                rules[keyPath: path] = Int(number)
            } else {
                problems.append("\(key).\(name): unknown setting (or not a whole number)")
            }
        }
        problems += rules.problems().map { "\(key): \($0)" }
        return rules
    }

    mutating func rejectUnknownKeys() {
        for key in Set(document.keys).subtracting(used).sorted() { problems.append("\(key): unknown key") }
    }
}
