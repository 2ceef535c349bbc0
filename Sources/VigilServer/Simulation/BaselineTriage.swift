import Foundation
import VigilCore

/// What one triage policy did with a scenario's traffic.
struct PolicyOutcome: Sendable {
    var name: String
    /// The hour each subject first went down (provisional takedown or removal), by subject index.
    var downAt: [Int: Double] = [:]
    /// Subjects taken down by reports before any human looked (provisional takedowns).
    var provisional: Set<Int> = []
    var decisions = 0
    var casesOpened = 0
    var backlog = 0
}

/// The two rules Vigil is measured against, run in memory on the same traffic with the same
/// moderator team: a plain count threshold, and Discourse's accuracy-weighted flag score.
struct BaselineTriage {
    enum Rule {
        /// k distinct reports take a subject down.
        case count(k: Int)
        /// Discourse: per flag `max(0, 1 + trust_level + accuracy_bonus)`; hidden at `threshold`.
        case discourse(threshold: Double)
    }

    let rule: Rule
    let scenario: Scenario

    var name: String {
        switch rule {
        case .count(let k): "count k=\(k)"
        case .discourse(let threshold): "discourse T=\(String(format: "%.1f", threshold))"
        }
    }

    /// Discourse's accuracy bonus (lib/post_action_creator / reviewable score): with more than five
    /// decided flags, `m = 5·log4(total)` scaled by how far agreement is above or below 70%.
    static func accuracyBonus(agreed: Int, disagreed: Int) -> Double {
        let total = agreed + disagreed
        guard total > 5 else { return 0 }
        let p = Double(agreed) / Double(total)
        let m = 5 * log(Double(total)) / log(4)
        return p >= 0.7 ? ((p - 0.7) / 0.3) * m : -((0.7 - p) / 0.7) * m
    }

    /// Discourse trust levels from account age: a stand-in for its activity-based levels.
    static func trustLevel(accountAgeDays: Int) -> Double {
        switch accountAgeDays {
        case ..<2: 0
        case ..<30: 1
        default: 2
        }
    }

    func run(_ traffic: Traffic) -> PolicyOutcome {
        var outcome = PolicyOutcome(name: name)
        var score = [Int: Double]()
        var flaggers = [Int: [String]]()
        var hidden = Set<Int>()
        var removed = Set<Int>()
        var inQueue = Set<Int>()
        var firstQueued = [Int: Double]()
        var record = [String: (agreed: Int, disagreed: Int)]()
        var rng = SeededRandom(seed: scenario.seed ^ 0xBA5E)
        var busyUntil = [Double](repeating: 0, count: scenario.moderators)
        var reviewing: [(until: Double, subject: Int)] = []
        let minute = 1.0 / 60
        let threshold: Double
        switch rule {
        case .count(let k): threshold = Double(k)
        case .discourse(let t): threshold = t
        }
        let reviewThreshold = max(1, threshold / 2)

        var next = 0
        var hour = 0.0
        while hour < scenario.hours || next < traffic.reports.count {
            // Reports of this minute.
            while next < traffic.reports.count, traffic.reports[next].hour < hour + minute {
                let report = traffic.reports[next]
                next += 1
                let s = report.subject
                guard !removed.contains(s), !(flaggers[s]?.contains(report.reporter) ?? false) else { continue }
                flaggers[s, default: []].append(report.reporter)
                let weight: Double
                switch rule {
                case .count: weight = 1
                case .discourse:
                    let r = record[report.reporter] ?? (0, 0)
                    weight = max(0, 1 + Self.trustLevel(accountAgeDays: report.accountAgeDays) + Self.accuracyBonus(agreed: r.agreed, disagreed: r.disagreed))
                }
                score[s, default: 0] += weight
                if !hidden.contains(s), score[s, default: 0] >= threshold {
                    hidden.insert(s)
                    outcome.provisional.insert(s)
                    if outcome.downAt[s] == nil { outcome.downAt[s] = report.hour }
                }
                if !inQueue.contains(s), hidden.contains(s) || score[s, default: 0] >= reviewThreshold {
                    inQueue.insert(s)
                    firstQueued[s] = report.hour
                    outcome.casesOpened += 1
                }
            }
            // Decisions that are due.
            reviewing.sort { $0.until < $1.until }
            while let first = reviewing.first, first.until <= hour {
                reviewing.removeFirst()
                let s = first.subject
                outcome.decisions += 1
                let truth = traffic.subjects[s].violation != nil
                let found = rng.chance(scenario.moderatorErrorRate) ? !truth : truth
                for reporter in flaggers[s] ?? [] {
                    var r = record[reporter] ?? (0, 0)
                    if found { r.agreed += 1 } else { r.disagreed += 1 }
                    record[reporter] = r
                }
                if found {
                    removed.insert(s)
                    if outcome.downAt[s] == nil { outcome.downAt[s] = hour }
                } else {
                    hidden.remove(s)
                }
                // Decided reports are spent, as in Vigil; the reporters stay recorded for duplicates.
                score[s] = 0
            }
            // Free moderators take the most urgent subject: hidden first, then the highest score.
            for m in busyUntil.indices where busyUntil[m] <= hour {
                guard let pick = inQueue.max(by: { a, b in
                    let ka = (hidden.contains(a) ? 1 : 0, score[a] ?? 0, -(firstQueued[a] ?? 0), -a)
                    let kb = (hidden.contains(b) ? 1 : 0, score[b] ?? 0, -(firstQueued[b] ?? 0), -b)
                    return ka < kb
                }) else { break }
                inQueue.remove(pick)
                busyUntil[m] = hour + scenario.minutesPerCase / 60
                reviewing.append((busyUntil[m], pick))
            }
            hour += minute
            if hour > scenario.hours * 3 { break }
        }
        outcome.backlog = inQueue.count + reviewing.count
        return outcome
    }
}
