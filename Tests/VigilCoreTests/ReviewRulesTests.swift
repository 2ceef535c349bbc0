import Testing
@testable import VigilCore

@Suite("Decision rules")
struct DecisionRulesTests {
    let policy = Policy.builtIn

    func field(_ input: DecisionInput) -> String? {
        do {
            try input.validate(against: policy)
            return nil
        } catch {
            if case .invalidField(let field, _) = error { return field }
            return "\(error)"
        }
    }

    @Test("invalid decisions name their field", arguments: [
        (DecisionInput(outcome: .violation, policyIDs: [], action: .remove, note: "n"), "policy_ids"),
        (DecisionInput(outcome: .violation, policyIDs: ["rudeness"], action: .remove, note: "n"), "policy_ids"),
        (DecisionInput(outcome: .violation, policyIDs: ["spam", "spam"], action: .remove, note: "n"), "policy_ids"),
        (DecisionInput(outcome: .violation, policyIDs: ["spam"], action: nil, note: "n"), "action"),
        (DecisionInput(outcome: .violation, policyIDs: ["spam"], action: .remove, note: " "), "note"),
        (DecisionInput(outcome: .noViolation, policyIDs: ["spam"], note: "n"), "policy_ids"),
        (DecisionInput(outcome: .noViolation, action: .remove, note: "n"), "action"),
        (DecisionInput(outcome: .noViolation, strike: true, note: "n"), "strike"),
        (DecisionInput(outcome: .noViolation, note: String(repeating: "x", count: 5_001)), "note"),
    ])
    func invalid(input: DecisionInput, expected: String) {
        #expect(field(input) == expected)
    }

    @Test("resulting states and grounds")
    func resulting() {
        let remove = DecisionInput(outcome: .violation, policyIDs: ["spam", "hate_speech"], action: .remove, strike: true, note: "n")
        #expect(field(remove) == nil)
        #expect(remove.resultingState == .removed)
        #expect(remove.primaryGround(in: policy)?.id == "hate_speech", "the most severe ground leads")
        #expect(DecisionInput(outcome: .violation, policyIDs: ["spam"], action: .suppress, note: "n").resultingState == .suppressed)
        #expect(DecisionInput(outcome: .noViolation, note: "n").resultingState == .visible)
    }
}

@Suite("Misuse, strikes, pseudonyms, priority")
struct ReviewSupportTests {
    @Test("misuse: warning, then suspension, only for many and mostly dismissed reports", arguments: [
        (4, 0, MisuseStanding.good, nil as MisuseStep?),
        (5, 0, .good, .warn),
        (5, 3, .good, nil),
        (7, 3, .good, .warn),
        (5, 0, .warned, .suspend(days: 14)),
        (5, 0, .suspended, nil),
        (0, 9, .warned, nil),
    ])
    func misuse(dismissed: Int, upheld: Int, standing: MisuseStanding, expected: MisuseStep?) {
        #expect(MisusePolicy.standard.step(dismissed: dismissed, upheld: upheld, standing: standing) == expected)
    }

    @Test("a suspension applies until it ends")
    func suspensionLapses() {
        let until = Timestamp(milliseconds: 10_000)
        let standing = ReporterStanding(standing: .suspended, until: until)
        #expect(standing.isSuspended(at: Timestamp(milliseconds: 9_999)))
        #expect(!standing.isSuspended(at: until))
        #expect(!ReporterStanding(standing: .warned).isSuspended(at: until))
    }

    @Test("the default strike ladder", arguments: [(1, AccountActionKind.warning as AccountActionKind?, nil as Double?), (2, nil, nil), (3, .liveAccessRemoved, 7), (4, nil, nil), (5, .accountSuspended, 30), (6, nil, nil)])
    func ladder(count: Int, action: AccountActionKind?, days: Double?) {
        let rung = StrikePolicy.standard.action(afterStrikeBringingActiveCountTo: count)
        #expect(rung?.action == action)
        #expect(rung?.days == days)
        #expect(StrikePolicy.standard.strikeLifetimeDays == 90)
    }

    @Test("pseudonyms run A to Z, then AA", arguments: [(0, "Reporter A"), (1, "Reporter B"), (25, "Reporter Z"), (26, "Reporter AA"), (27, "Reporter AB"), (701, "Reporter ZZ"), (702, "Reporter AAA")])
    func pseudonyms(index: Int, name: String) {
        #expect(Pseudonym.reporter(index) == name)
    }

    @Test("priority: severity first, then score and reach; lowered notices go last")
    func priority() {
        let quietCritical = CasePriority.base(severity: .critical, weightedScore: 1, reach: Reach(views: 0))
        let viralLow = CasePriority.base(severity: .low, weightedScore: 1_000, reach: Reach(views: 100_000_000))
        #expect(quietCritical > viralLow)
        #expect(CasePriority.base(severity: .high, weightedScore: 6, reach: Reach()) > CasePriority.base(severity: .high, weightedScore: 3, reach: Reach()))
        #expect(CasePriority.base(severity: .high, weightedScore: 3, reach: Reach(views: 1_000_000)) > CasePriority.base(severity: .high, weightedScore: 3, reach: Reach(views: 10)))
        #expect(CasePriority.base(severity: .critical, weightedScore: 0, reach: Reach(), lowered: true) < CasePriority.base(severity: .low, weightedScore: 0, reach: Reach()))
    }
}

@Suite("Triage after a decision and under misuse")
struct TriageAfterDecisionTests {
    let policy = Policy.builtIn

    @Test("a reason already ruled on needs the full threshold again; a new reason opens review with one credible report")
    func decidedSubjects() throws {
        let hate = try #require(policy.category("hate_speech"))
        let spam = try #require(policy.category("spam"))
        let decided = TriageSubject(state: .visible, kind: .video, hasOpenCase: false, reviewedReasons: ["hate_speech"])
        let sameReason = Triage.assess(subject: decided, category: hate, currentScore: 0, weight: 1, channel: .userReport, corroboration: .init(independentScore: 1, voices: 1, vetted: false))
        #expect(!sameReason.opensCase)
        #expect(sameReason.newState == nil)
        let crossing = Triage.assess(subject: decided, category: hate, currentScore: 2, weight: 1, channel: .userReport, corroboration: .init(independentScore: 3, voices: 3, vetted: false))
        #expect(crossing.newState == .pendingReview)
        let newReason = Triage.assess(subject: decided, category: spam, currentScore: 0, weight: 1, channel: .userReport, corroboration: .init(independentScore: 1, voices: 1, vetted: false))
        #expect(newReason.opensCase)
        #expect(newReason.newState == nil, "a new allegation is reviewed, not taken down on one report")
        let weakNewReason = Triage.assess(subject: decided, category: spam, currentScore: 0, weight: 0.5, channel: .userReport, corroboration: .init(independentScore: 0.5, voices: 1, vetted: false))
        #expect(!weakNewReason.opensCase)
        let neverDecided = TriageSubject(state: .visible, kind: .video, hasOpenCase: false)
        #expect(!Triage.assess(subject: neverDecided, category: spam, currentScore: 0, weight: 1, channel: .userReport, corroboration: .init(independentScore: 1, voices: 1, vetted: false)).opensCase)
    }

    @Test("a suspended reporter is recorded, not counted; their illegal-content notice is still queued, lowered")
    func suspended() throws {
        let critical = try #require(policy.category("child_safety"))
        let subject = TriageSubject(state: .visible, kind: .video, hasOpenCase: false)
        let report = Triage.assess(subject: subject, category: critical, currentScore: 0, weight: 0, channel: .userReport, corroboration: .init(independentScore: 0, voices: 1, vetted: false), reporterSuspended: true)
        #expect(!report.counted)
        #expect(!report.opensCase)
        #expect(report.newState == nil)
        let notice = Triage.assess(subject: subject, category: critical, currentScore: 0, weight: 0, channel: .illegalContentNotice, corroboration: .init(independentScore: 0, voices: 1, vetted: false), reporterSuspended: true)
        #expect(!notice.counted)
        #expect(notice.opensCase)
        #expect(notice.lowersPriority)
        #expect(notice.newState == nil)
    }
}
