import Foundation
import VigilCore

/// A seeded, portable random source (SplitMix64): the same seed gives the same traffic on every machine.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A standard normal deviate (Box–Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    mutating func logNormal(_ d: Scenario.LogNormal) -> Double { d.median * exp(d.sigma * normal()) }

    /// A Poisson count (Knuth for small means, a rounded normal for large ones), at most `cap`:
    /// scenario values are bounded, but a log-normal tail times a rate is not.
    mutating func poisson(_ mean: Double, cap: Int = Traffic.maxReportsPerSubject) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 50 { return max(0, Int(min(Double(cap), (mean + mean.squareRoot() * normal()).rounded()))) }
        let limit = exp(-mean)
        var k = 0
        var p = unit()
        while p > limit {
            k += 1
            p *= unit()
        }
        return min(k, cap)
    }

    /// A log-normal draw clamped to the counts Vigil accepts (`Reach.maxCount`).
    mutating func count(_ d: Scenario.LogNormal) -> Double { min(logNormal(d), Double(Reach.maxCount)) }
}

/// One piece of simulated content, with the truth the moderators find.
struct SimSubject: Sendable {
    var id: String
    var creator: String
    var kind: SubjectKind
    var publishedAt: Double
    /// Views it will have in all, and how fast they come (time constant, hours).
    var totalViews: Double
    var viewHours: Double
    var liveViewers: Int
    /// Live streams end; their audience is gone after.
    var liveUntil: Double
    /// The category it truly violates, or nil when it is innocent.
    var violation: String?
    /// The shape of the brigade that attacked it, if any.
    var brigadeShape: Scenario.BrigadeShape?

    var brigadeTarget: Bool { brigadeShape != nil }

    /// Reach as the platform would report it at `hour`.
    func reach(at hour: Double) -> Reach {
        let age = max(0, hour - publishedAt)
        let views = totalViews * (1 - exp(-age / viewHours))
        let live = kind == .live && hour < liveUntil ? liveViewers : 0
        return Reach(views: Int(min(views, Double(Reach.maxCount))), liveViewers: live)
    }
}

/// Who files a simulated report.
enum ReporterKind: Sendable { case honest, chronic, brigade }

/// One simulated report.
struct SimReport: Sendable {
    var hour: Double
    var reporter: String
    var kind: ReporterKind
    var subject: Int
    var reason: String
    var accountAgeDays: Int
}

/// The whole traffic of a scenario: content and the reports on it, in time order.
struct Traffic: Sendable {
    var subjects: [SimSubject]
    var reports: [SimReport]

    /// Honest traffic only: what the Discourse threshold is calibrated on.
    var honest: Traffic { Traffic(subjects: subjects, reports: reports.filter { $0.kind != .brigade }) }

    /// Reports one subject can draw in a simulation, however large its audience.
    static let maxReportsPerSubject = 100_000

    static let violationMix: [(String, Double)] = [
        ("spam", 0.28), ("harassment", 0.18), ("hate_speech", 0.14), ("nudity", 0.12), ("misinformation", 0.08),
        ("dangerous_acts", 0.06), ("self_harm", 0.04), ("impersonation", 0.04), ("child_safety", 0.03), ("violent_extremism", 0.03),
    ]

    static func generate(_ s: Scenario) -> Traffic {
        var rng = SeededRandom(seed: s.seed)
        var subjects: [SimSubject] = []
        func pick(_ mix: [(String, Double)]) -> String {
            var x = rng.unit() * mix.reduce(0) { $0 + $1.1 }
            for (name, weight) in mix {
                x -= weight
                if x <= 0 { return name }
            }
            return mix[mix.count - 1].0
        }
        let horizon = s.hours
        for c in 0..<s.creators {
            for n in 0..<s.subjectsPerCreator {
                let roll = rng.unit()
                let kind: SubjectKind = roll < s.liveShare ? .live : roll < s.liveShare + s.commentShare ? .comment : .video
                let published = rng.uniform(0, horizon * 0.85)
                var views = rng.count(s.views)
                if kind == .comment { views /= 5 }
                let viewers = kind == .live ? max(1, Int(rng.count(s.liveViewers))) : 0
                let duration = rng.uniform(1, 3)
                if kind == .live { views = min(Double(viewers) * duration * 4, Double(Reach.maxCount)) }
                subjects.append(SimSubject(
                    id: "s\(c)-\(n)", creator: "creator-\(c)", kind: kind, publishedAt: published, totalViews: views,
                    viewHours: kind == .live ? duration : rng.uniform(6, 24), liveViewers: viewers, liveUntil: published + duration,
                    violation: rng.chance(s.violatingShare) ? pick(violationMix) : nil))
            }
        }

        // Honest reporters: each with an accuracy and an account age.
        let honest = (0..<s.honestReporters).map { _ in
            (accuracy: rng.uniform(s.honestAccuracy.min, s.honestAccuracy.max),
             age: rng.chance(s.newAccountShare) ? Int(rng.uniform(1, 29)) : Int(rng.uniform(30, 3_000)))
        }
        // Accurate reporters file most true reports, careless ones most mistaken ones.
        let trueCumulative = cumulative(honest.map(\.accuracy))
        let falseCumulative = cumulative(honest.map { 1 - $0.accuracy })
        var reports: [SimReport] = []
        let categories = Policy.builtIn.categoryIDs
        for (index, subject) in subjects.enumerated() {
            let rate = subject.violation == nil ? s.reportRateInnocent : s.reportRateViolating
            let count = rng.poisson(subject.totalViews * rate)
            var seen = Set<Int>()
            for _ in 0..<count {
                // A report arrives as the views do: on the same exponential curve.
                let delay = -subject.viewHours * log(max(1e-9, 1 - rng.unit() * 0.98))
                let hour = subject.publishedAt + delay
                guard hour < horizon else { continue }
                let who = draw(subject.violation == nil ? falseCumulative : trueCumulative, &rng)
                guard seen.insert(who).inserted else { continue }
                let reason = subject.violation.map { rng.chance(0.9) ? $0 : pick(violationMix) } ?? pick(violationMix)
                reports.append(SimReport(hour: hour, reporter: "honest-\(who)", kind: .honest, subject: index, reason: reason, accountAgeDays: honest[who].age))
            }
        }

        // Chronic false reporters: established accounts reporting what they dislike, mostly innocent content.
        for c in 0..<s.chronicFalseReporters {
            let count = rng.poisson(s.chronicReportsPerDay * s.hours / 24)
            for _ in 0..<count {
                let hour = rng.uniform(0, horizon)
                let target = Int(rng.next() % UInt64(subjects.count))
                guard subjects[target].publishedAt < hour else { continue }
                reports.append(SimReport(hour: hour, reporter: "chronic-\(c)", kind: .chronic, subject: target,
                                         reason: categories[Int(rng.next() % UInt64(categories.count))], accountAgeDays: Int(rng.uniform(60, 2_000))))
            }
        }

        // Brigades: every target is innocent content.
        var brigadeNumber = 0
        for brigade in s.brigades {
            for _ in 0..<brigade.count {
                brigadeNumber += 1
                let size = Int(rng.uniform(brigade.size.min, brigade.size.max).rounded())
                let members = (0..<size).map { m -> (id: String, age: Int) in
                    let young: Bool
                    switch brigade.shape {
                    case .throwaway: young = true
                    case .mixed: young = m % 2 == 0
                    default: young = false
                    }
                    return ("brigade-\(brigadeNumber)-\(m)", young ? Int(rng.uniform(0, 6)) : Int(rng.uniform(60, 2_500)))
                }
                let start = rng.uniform(2, max(3, horizon - 12))
                var targets: [Int] = []
                let targetCount = (brigade.shape == .clique || brigade.shape == .livePileOn) ? brigade.targets : 1
                if brigade.shape == .livePileOn {
                    // One streamer's streams, one every few hours.
                    let streamer = "streamer-\(brigadeNumber)"
                    for t in 0..<targetCount {
                        let at = start + Double(t) * rng.uniform(3, 6)
                        let viewers = max(5, Int(rng.count(s.liveViewers)))
                        subjects.append(SimSubject(
                            id: "live-\(brigadeNumber)-\(t)", creator: streamer, kind: .live, publishedAt: at, totalViews: min(Double(viewers) * 8, Double(Reach.maxCount)),
                            viewHours: 2, liveViewers: viewers, liveUntil: at + 2, violation: nil, brigadeShape: .livePileOn))
                        targets.append(subjects.count - 1)
                    }
                } else {
                    // Innocent content published before the attack; a clique may stay with one creator.
                    let pool = subjects.indices.filter { subjects[$0].violation == nil && subjects[$0].kind != .live && subjects[$0].publishedAt < start }
                    guard !pool.isEmpty else { continue }
                    let creator = subjects[pool[Int(rng.next() % UInt64(pool.count))]].creator
                    let sameCreator = pool.filter { subjects[$0].creator == creator }
                    for t in 0..<targetCount {
                        let from = (brigade.shape == .clique && t % 2 == 1 && !sameCreator.isEmpty) ? sameCreator : pool
                        targets.append(from[Int(rng.next() % UInt64(from.count))])
                    }
                }
                // Mixed brigades build a record first: honest reports on violating content.
                if brigade.shape == .mixed {
                    let violating = subjects.indices.filter { subjects[$0].violation != nil && subjects[$0].publishedAt < start - 1 }
                    for member in members where !violating.isEmpty {
                        for _ in 0..<Int(rng.uniform(1, 4)) {
                            let v = violating[Int(rng.next() % UInt64(violating.count))]
                            let hour = rng.uniform(subjects[v].publishedAt, start)
                            reports.append(SimReport(hour: hour, reporter: member.id, kind: .brigade, subject: v,
                                                     reason: subjects[v].violation ?? brigade.reason, accountAgeDays: member.age))
                        }
                    }
                }
                for (t, target) in Set(targets).sorted().enumerated() {
                    subjects[target].brigadeShape = brigade.shape
                    let attackStart: Double
                    switch brigade.shape {
                    case .clique: attackStart = start + Double(t) * rng.uniform(1, 4)
                    case .livePileOn: attackStart = subjects[target].publishedAt + rng.uniform(0.05, 0.5)
                    default: attackStart = start
                    }
                    let spread: Double = brigade.shape == .slowDrip ? rng.uniform(4, 10) : rng.uniform(5, 30) / 60
                    for member in members where rng.chance(brigade.participation) {
                        let hour = attackStart + rng.unit() * spread
                        guard hour < horizon else { continue }
                        reports.append(SimReport(hour: hour, reporter: member.id, kind: .brigade, subject: target, reason: brigade.reason, accountAgeDays: member.age))
                    }
                }
            }
        }
        reports.sort { ($0.hour, $0.reporter, $0.subject) < ($1.hour, $1.reporter, $1.subject) }
        return Traffic(subjects: subjects, reports: reports)
    }

    private static func cumulative(_ weights: [Double]) -> [Double] {
        var total = 0.0
        return weights.map { total += $0; return total }
    }

    private static func draw(_ cumulative: [Double], _ rng: inout SeededRandom) -> Int {
        let x = rng.unit() * (cumulative.last ?? 0)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < x { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
