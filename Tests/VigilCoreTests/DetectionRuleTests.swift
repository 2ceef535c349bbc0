import Testing
@testable import VigilCore

@Suite("Detection rules")
struct DetectionRuleTests {
    static let now = Timestamp(milliseconds: 1_800_000_000_000)
    static let video = SubjectFacts(kind: .video, reach: Reach(views: 500), creatorActiveStrikes: 1)

    static func score(_ label: String, _ score: Double, source: String = "p") -> Signal {
        Signal(source: source, id: "\(label)-\(score)", subjectID: "s", kind: .classifier, label: label, score: score, model: "m", receivedAt: now)
    }

    static func rule(_ id: String, _ action: RuleAction, mode: RuleMode = .live, cap: Int? = nil, _ condition: RuleCondition) -> DetectionRule {
        DetectionRule(id: id, title: id, policy: "nudity", action: action, mode: mode, dailyCap: cap, condition: condition)
    }

    static func atLeast(_ label: String, _ value: Double) -> RuleCondition {
        .signal(SignalCondition(kind: .classifier, label: label, scoreAtLeast: value))
    }

    @Test("conditions: all, any, not, signal bounds and subject facts")
    func conditions() {
        let signals = [Self.score("nudity", 0.8), Self.score("violence", 0.2)]
        let cases: [(RuleCondition, Bool)] = [
            (Self.atLeast("nudity", 0.8), true),
            (Self.atLeast("nudity", 0.81), false),
            (.signal(SignalCondition(kind: .classifier, label: "violence", scoreBelow: 0.2)), false),
            (.signal(SignalCondition(kind: .classifier, label: "violence", scoreBelow: 0.21)), true),
            (.signal(SignalCondition(kind: .hashMatch)), false),
            (.all([Self.atLeast("nudity", 0.5), .subject(SubjectCondition(kinds: [.video]))]), true),
            (.all([Self.atLeast("nudity", 0.5), .subject(SubjectCondition(kinds: [.live]))]), false),
            (.any([.subject(SubjectCondition(kinds: [.live])), Self.atLeast("violence", 0.1)]), true),
            (.not(.subject(SubjectCondition(creatorStrikesAtLeast: 1))), false),
            (.subject(SubjectCondition(viewsAtLeast: 501)), false),
            (.subject(SubjectCondition(creatorStrikesAtMost: 1)), true),
            (.signal(SignalCondition(kind: .classifier, label: "nudity", source: "other")), false),
        ]
        for (condition, expected) in cases {
            #expect(condition.matches(Self.video, signals: signals) == expected, "\(condition)")
        }
        #expect(RuleCondition.not(.subject(SubjectCondition(creatorStrikesAtMost: 3))).testsCreatorStrikes)
        #expect(!Self.atLeast("nudity", 0.5).testsCreatorStrikes)
    }

    @Test("the strongest live match acts; shadow, disabled, already-matched and allow rules do not; a spent cap escalates")
    func evaluation() {
        let signals = [Self.score("nudity", 0.95)]
        let set = RuleSet(version: "v", rules: [
            Self.rule("suppress", .suppress, Self.atLeast("nudity", 0.7)),
            Self.rule("takedown", .pendingReview, cap: 10, Self.atLeast("nudity", 0.9)),
            Self.rule("remove-shadow", .remove, mode: .shadow, Self.atLeast("nudity", 0.9)),
            Self.rule("off", .remove, mode: .disabled, Self.atLeast("nudity", 0.1)),
            Self.rule("allow", .allow, Self.atLeast("nudity", 0.1)),
        ])
        let verdicts = RuleEvaluation.evaluate(set, facts: Self.video, signals: signals)
        #expect(verdicts.map(\.ruleID) == ["suppress", "takedown", "remove-shadow", "allow"])
        #expect(RuleEvaluation.strongest(verdicts)?.ruleID == "takedown")
        #expect(verdicts.first { $0.ruleID == "suppress" }?.evidence == ["p/nudity-0.95"])

        let again = RuleEvaluation.evaluate(set, facts: Self.video, signals: signals, alreadyMatched: ["takedown"])
        #expect(RuleEvaluation.strongest(again)?.ruleID == "suppress")

        let capped = RuleEvaluation.evaluate(set, facts: Self.video, signals: signals, actedToday: ["takedown": 10])
        let takedown = capped.first { $0.ruleID == "takedown" }
        #expect(takedown?.action == .escalate && takedown?.capped == true && takedown?.declaredAction == .pendingReview)
        #expect(RuleEvaluation.strongest(capped)?.ruleID == "suppress", "escalation ranks below suppression")

        let demoted = RuleEvaluation.evaluate(set, facts: Self.video, signals: signals, modes: ["takedown": .shadow, "suppress": .shadow])
        #expect(RuleEvaluation.strongest(demoted) == nil, "only shadow and allow matches remain: nothing acts")
    }

    @Test("automated effects restrict only further up the ladder, open or reuse one case, and name the policy, never the rule")
    func effects() throws {
        let policy = Policy.builtIn
        let set = RuleSet(version: "v", rules: [Self.rule("takedown", .pendingReview, Self.atLeast("nudity", 0.9))])
        let subject = Subject(id: "s", kind: .video, creatorID: "c", reach: Reach(views: 10), stateChangedAt: Self.now)
        let verdicts = RuleEvaluation.evaluate(set, facts: Self.video, signals: [Self.score("nudity", 0.95)])
        let effects = AutomatedActionEffects(policy: policy, ruleSet: set, subject: subject, openCase: nil, verdicts: verdicts, now: Self.now)
        #expect(effects.newState == .pendingReview)
        #expect(effects.newCase?.detectedBy == "takedown")
        #expect(effects.detectedCategories == ["nudity"])
        let notice = try #require(effects.notices.first)
        #expect(notice.createdAt == Self.now.hourFloor)
        #expect(!notice.body.contains("takedown") && !notice.body.contains("0.9"), "\(notice.body)")
        #expect(effects.events.map(\.type) == [.subjectStateChanged, .caseOpened, .ruleMatched])

        var removed = subject
        removed.state = .removed
        let none = AutomatedActionEffects(policy: policy, ruleSet: set, subject: removed, openCase: nil, verdicts: verdicts, now: Self.now)
        #expect(none.newState == nil && none.newCase == nil && none.notices.isEmpty, "removed content goes no further")
        #expect(none.matches.count == 1, "the match is still recorded")
    }

    @Test("precision and its Wilson interval; the floor demotes only over enough decisions")
    func precision() throws {
        let interval = try #require(RuleStats.wilson(successes: 8, trials: 10))
        #expect(abs(interval.low - 0.4902) < 0.001 && abs(interval.high - 0.9433) < 0.001, "\(interval)")
        #expect(RuleStats.wilson(successes: 0, trials: 0) == nil)
        let floor = PrecisionFloor(floor: 0.7, minDecisions: 20)
        #expect(!floor.demotes(RuleStats(ruleID: "r", upheld: 0, overturned: 19)), "19 decisions are not enough")
        #expect(floor.demotes(RuleStats(ruleID: "r", upheld: 13, overturned: 7)), "0.65 over 20")
        #expect(!floor.demotes(RuleStats(ruleID: "r", upheld: 14, overturned: 6)), "0.70 over 20 is at the floor")
    }

    @Test("detection corroborates one independent voice, never none, and never replaces the threshold")
    func corroboration() {
        #expect(Corroboration(independentScore: 1, voices: 1, vetted: false, detected: true).carries(1))
        #expect(!Corroboration(independentScore: 1, voices: 1, vetted: false, detected: false).carries(1))
        #expect(!Corroboration(independentScore: 0.5, voices: 1, vetted: false, detected: true).carries(1))
        #expect(!Corroboration(independentScore: 0, voices: 0, vetted: false, detected: true).carries(0))
    }
}
