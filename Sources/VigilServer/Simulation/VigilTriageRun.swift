import Foundation
import Logging
import Synchronization
import VigilCore
import VigilStore

/// Runs a scenario's traffic through Vigil itself: a real store, the intake workflow (group
/// commit, the Core triage and independence rules), the review workflow's queue and decisions,
/// and the maintenance sweep, all on a simulated clock.
struct VigilTriageRun {
    let scenario: Scenario
    let policy: Policy
    let rules: ModerationRules
    let directory: String
    var name = "vigil"

    /// Calls `progress` with the share done, now and then.
    func run(_ traffic: Traffic, progress: @Sendable (Double) -> Void) async throws -> PolicyOutcome {
        var logger = Logger(label: "vigil.simulate")
        logger.logLevel = .warning
        let store = try await Store.openSQLite(path: (directory as NSString).appendingPathComponent("simulation.sqlite"), logger: logger)
        return try await store.withRunning {
            try await store.migrate()
            return try await drive(store, traffic, progress: progress)
        }
    }

    private func drive(_ store: Store, _ traffic: Traffic, progress: @Sendable (Double) -> Void) async throws -> PolicyOutcome {
        let start = Timestamp(milliseconds: 1_767_225_600_000)  // 2026-01-01T00:00Z
        let now = Mutex(start)
        let clock = VigilClock { now.withLock { $0 } }
        func at(_ hour: Double) -> Timestamp { start.adding(seconds: hour * 3_600) }
        var rules = self.rules
        // A simulated moderator holds a case for the whole review, however long it is.
        rules.claimLeaseSeconds = max(rules.claimLeaseSeconds, scenario.minutesPerCase * 120)
        let intake = IntakeWorkflow(store: store, policy: policy, rules: rules, logger: Logger(label: "vigil.simulate"), clock: clock, metrics: VigilMetrics())
        let subjects = SubjectWorkflow(store: store, clock: clock)
        let review = ReviewWorkflow(store: store, policy: policy, rules: rules, clock: clock)
        let maintenance = MaintenanceService(store: store, logger: Logger(label: "vigil.simulate"), clock: clock)
        let settling = TakedownSettling(store: store, policy: policy, rules: rules)
        let independenceReview = IndependenceReview(store: store, policy: policy, rules: rules)
        let moderators = (0..<scenario.moderators).map { AuthenticatedModerator(id: "mod-\($0)", name: "sim-\($0)", role: .moderator) }
        let index = Dictionary(traffic.subjects.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })

        var outcome = PolicyOutcome(name: name)
        var rng = SeededRandom(seed: scenario.seed ^ 0x5EED)
        var registered = [Int: Int]()  // subject → hour of its last reach update
        var busyUntil = [Double](repeating: 0, count: moderators.count)
        var reviewing: [(until: Double, moderator: Int, caseID: String, subject: Int)] = []
        let minute = 1.0 / 60
        var next = 0
        var hour = 0.0
        var lastSweep = -1
        var lastProgress = -1
        while hour < scenario.hours {
            now.withLock { $0 = at(hour) }
            // The platform registers a subject when it is first reported and refreshes its reach hourly.
            var batch: [SimReport] = []
            while next < traffic.reports.count, traffic.reports[next].hour < hour + minute {
                batch.append(traffic.reports[next])
                next += 1
            }
            for s in Set(batch.map(\.subject)).sorted() where registered[s] != Int(hour) {
                let subject = traffic.subjects[s]
                _ = try await subjects.register(.init(id: subject.id, kind: subject.kind, creatorID: subject.creator, reach: subject.reach(at: hour), title: nil, text: nil))
                registered[s] = Int(hour)
            }
            if !batch.isEmpty {
                let requests = batch.map { r in
                    IntakeRequest(subjectID: traffic.subjects[r.subject].id, reporterHash: r.reporter, reporterSeal: "simulated", reason: r.reason, note: nil,
                                  channel: .userReport, accountAgeDays: r.accountAgeDays, notice: nil, noticeContactSeal: nil, idempotencyKey: nil,
                                  fingerprint: "")
                }
                _ = try await intake.process(requests)
                let states = try await store.read { try await $0.subjects(ids: Set(requests.map(\.subjectID))) }
                for (id, subject) in states where subject.state == .pendingReview {
                    guard let s = index[id], outcome.downAt[s] == nil else { continue }
                    outcome.downAt[s] = hour
                    outcome.provisional.insert(s)
                }
            }
            // The reports' independence review, then takedowns whose settle period is over, as the
            // maintenance service does them every few seconds.
            try await independenceReview.reviewNew(at: at(hour))
            for id in try await settling.settleDue(at: at(hour)) {
                guard let s = index[id], outcome.downAt[s] == nil else { continue }
                outcome.downAt[s] = hour
                outcome.provisional.insert(s)
            }
            if Int(hour) != lastSweep {
                lastSweep = Int(hour)
                _ = try await maintenance.sweep(at: at(hour))
            }
            // Decisions that are due, then free moderators take the next case.
            reviewing.sort { $0.until < $1.until }
            while let first = reviewing.first, first.until <= hour {
                reviewing.removeFirst()
                let subject = traffic.subjects[first.subject]
                let truth = subject.violation
                let found = rng.chance(scenario.moderatorErrorRate) ? (truth == nil ? "spam" : nil) : truth
                let input = found.map { DecisionInput(outcome: .violation, policyIDs: [$0], action: .remove, note: "simulated review") }
                    ?? DecisionInput(outcome: .noViolation, note: "simulated review")
                _ = try await review.decide(caseID: first.caseID, by: moderators[first.moderator], input)
                outcome.decisions += 1
                if found != nil, outcome.downAt[first.subject] == nil { outcome.downAt[first.subject] = hour }
            }
            for m in moderators.indices where busyUntil[m] <= hour {
                guard let claimed = try await review.claimNext(by: moderators[m]), let s = index[claimed.subjectID] else { break }
                busyUntil[m] = hour + scenario.minutesPerCase / 60
                reviewing.append((busyUntil[m], m, claimed.id, s))
            }
            hour += minute
            let done = Int(hour / scenario.hours * 100)
            if done != lastProgress {
                lastProgress = done
                progress(min(1, hour / scenario.hours))
            }
        }
        let counts = try await store.read { session in
            (try await session.openCaseCount(), try await session.caseCount())
        }
        outcome.backlog = counts.0
        outcome.casesOpened = counts.1
        return outcome
    }
}
