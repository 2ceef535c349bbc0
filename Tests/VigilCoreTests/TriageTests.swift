import Testing
@testable import VigilCore

@Suite("Triage")
struct TriageTests {
    let policy = Policy.builtIn
    let rules = IndependenceRules.standard
    let t0 = Timestamp(milliseconds: 1_700_000_000_000)

    /// Applies reports one after another, as intake does: each from a different reporter, two
    /// hours apart, on a subject with a large audience (so neither burst nor volume applies), and
    /// returns the state after each one.
    func states(kind: SubjectKind, reason: String, voices: [(weight: Double, standing: VoiceStanding)], channel: ReportChannel = .userReport) -> [VisibilityState] {
        guard let category = policy.category(reason) else { return [] }
        var state = VisibilityState.visible
        var score = 0.0
        var hasCase = false
        var counted: [ReportVoice] = []
        return voices.enumerated().map { index, entry in
            let voice = ReportVoice(reporterHash: "r\(index)", category: reason, weight: entry.weight, standing: entry.standing,
                                    receivedAt: t0.adding(seconds: Double(index) * 7_200), reporterReportsFiled: 10)
            let assessment = Independence.assess(voices: counted + [voice], ties: CoReportGraph(), reach: Reach(views: 1_000_000), rules: rules)
            let outcome = Triage.assess(subject: TriageSubject(state: state, kind: kind, hasOpenCase: hasCase), category: category, currentScore: score,
                                        weight: entry.weight, channel: channel, corroboration: Corroboration(assessment, category: reason))
            score = outcome.categoryScore
            if outcome.counted { counted.append(voice) }
            if let newState = outcome.newState { state = newState }
            if outcome.opensCase { hasCase = true }
            return state
        }
    }

    static func ordinary(_ count: Int, weight: Double = 1) -> [(weight: Double, standing: VoiceStanding)] {
        Array(repeating: (weight, .ordinary), count: count)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: SubjectKind
        var reason: String
        var voices: [(weight: Double, standing: VoiceStanding)]
        /// 1-based index of the report that takes the subject down, or nil if none does.
        var takenDownBy: Int?
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "one ordinary child_safety report does not take a video down", kind: .video, reason: "child_safety", voices: ordinary(1), takenDownBy: nil),
        Row(name: "a second independent child_safety report does", kind: .video, reason: "child_safety", voices: ordinary(2), takenDownBy: 2),
        Row(name: "a proven reporter's child_safety report acts alone", kind: .video, reason: "child_safety", voices: [(2, .proven)], takenDownBy: 1),
        Row(name: "a trusted flagger's violent_extremism report acts alone on a comment", kind: .comment, reason: "violent_extremism", voices: [(3, .trusted)], takenDownBy: 1),
        Row(name: "a proven reporter alone cannot reach a high threshold", kind: .video, reason: "harassment", voices: [(2, .proven)], takenDownBy: nil),
        Row(name: "nine ordinary spam reports leave a video visible", kind: .video, reason: "spam", voices: ordinary(9), takenDownBy: nil),
        Row(name: "ten independent spam reports take a video down", kind: .video, reason: "spam", voices: ordinary(10), takenDownBy: 10),
        Row(name: "the same spam reports take a live stream down at the sixth", kind: .live, reason: "spam", voices: ordinary(10), takenDownBy: 6),
        Row(name: "hate speech on a live stream at two", kind: .live, reason: "hate_speech", voices: ordinary(3), takenDownBy: 2),
        Row(name: "hate speech on a video at three", kind: .video, reason: "hate_speech", voices: ordinary(3), takenDownBy: 3),
        Row(name: "ten new accounts are one voice: no harassment takedown", kind: .video, reason: "harassment",
            voices: Array(repeating: (0.5, .newAccount), count: 10), takenDownBy: nil),
        Row(name: "twenty doubtful reporters are one voice", kind: .video, reason: "harassment",
            voices: Array(repeating: (0.3, .doubtful), count: 20), takenDownBy: nil),
    ]

    @Test("threshold crossing needs independent weight and corroboration", arguments: rows)
    func thresholdCrossing(_ row: Row) {
        let states = states(kind: row.kind, reason: row.reason, voices: row.voices)
        let firstDown = states.firstIndex(of: .pendingReview).map { $0 + 1 }
        #expect(firstDown == row.takenDownBy)
        if let index = firstDown {
            #expect(states[(index - 1)...].allSatisfy { $0 == .pendingReview }, "stays down until a human decides")
        }
    }

    @Test("live streams need less weight than videos in every category")
    func liveIsFaster() {
        for category in policy.categories.values {
            #expect(category.threshold(for: .live) < category.threshold(for: .video), "\(category.id)")
        }
    }

    @Test("a lone critical report opens an urgent case and takes nothing down")
    func loneCritical() throws {
        let category = try #require(policy.category("child_safety"))
        let lone = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: category, currentScore: 0, weight: 1,
                                 channel: .userReport, corroboration: Corroboration(independentScore: 1, voices: 1, vetted: false))
        #expect(lone.newState == nil)
        #expect(lone.opensCase)
        #expect(lone.urgent)
        let spam = try #require(policy.category("spam"))
        let ordinary = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: spam, currentScore: 0, weight: 1,
                                     channel: .userReport, corroboration: Corroboration(independentScore: 1, voices: 1, vetted: false))
        #expect(!ordinary.opensCase, "a lone report below the threshold in an ordinary category waits for more")
        #expect(!ordinary.urgent)
    }

    @Test("raw weight past the threshold without independence opens a case, flagged held back, without a takedown")
    func heldBack() throws {
        let category = try #require(policy.category("harassment"))
        let outcome = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: category, currentScore: 9, weight: 1,
                                    channel: .userReport, corroboration: Corroboration(independentScore: 1.25, voices: 1, vetted: false))
        #expect(outcome.newState == nil)
        #expect(outcome.heldBack)
        #expect(outcome.opensCase)
    }

    @Test("a shield multiplies the threshold")
    func shield() throws {
        let category = try #require(policy.category("hate_speech"))
        let corroborated = Corroboration(independentScore: 3, voices: 3, vetted: false)
        let subject = TriageSubject(state: .visible, kind: .video, hasOpenCase: false)
        #expect(Triage.assess(subject: subject, category: category, currentScore: 2, weight: 1, channel: .userReport, corroboration: corroborated).newState == .pendingReview)
        #expect(Triage.assess(subject: subject, category: category, currentScore: 2, weight: 1, channel: .userReport, corroboration: corroborated,
                              thresholdFactor: 2).newState == nil)
    }

    @Test("crossing opens exactly one case")
    func caseOpensOnce() throws {
        let category = try #require(policy.category("child_safety"))
        let two = Corroboration(independentScore: 2, voices: 2, vetted: false)
        let first = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: category, currentScore: 1, weight: 1, channel: .userReport, corroboration: two)
        #expect(first.newState == .pendingReview)
        #expect(first.opensCase)
        let second = Triage.assess(subject: TriageSubject(state: .pendingReview, kind: .video, hasOpenCase: true), category: category, currentScore: 2, weight: 1, channel: .userReport, corroboration: two)
        #expect(second.counted)
        #expect(second.newState == nil)
        #expect(!second.opensCase)
        #expect(!second.urgent, "a subject already down is not urgent")
    }

    @Test("reports on removed content are recorded but not counted")
    func removedNotCounted() throws {
        let category = try #require(policy.category("spam"))
        let outcome = Triage.assess(subject: TriageSubject(state: .removed, kind: .video, hasOpenCase: false), category: category, currentScore: 3, weight: 1,
                                    channel: .userReport, corroboration: Corroboration(independentScore: 4, voices: 4, vetted: false))
        #expect(!outcome.counted)
        #expect(outcome.categoryScore == 3)
        #expect(outcome.newState == nil)
        #expect(!outcome.opensCase)
    }

    @Test("an illegal-content notice below the threshold is queued without a takedown")
    func noticeAlwaysQueued() throws {
        let category = try #require(policy.category("hate_speech"))
        let weak = Corroboration(independentScore: 0.1, voices: 1, vetted: false)
        let outcome = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: category, currentScore: 0, weight: 0.1, channel: .illegalContentNotice, corroboration: weak)
        #expect(outcome.opensCase)
        #expect(outcome.newState == nil)
        let ordinary = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: category, currentScore: 0, weight: 0.1, channel: .userReport, corroboration: weak)
        #expect(!ordinary.opensCase)
    }

    @Test("a suppressed subject can still be taken down by corroborated reports")
    func suppressedCanBeTakenDown() throws {
        let category = try #require(policy.category("child_safety"))
        let outcome = Triage.assess(subject: TriageSubject(state: .suppressed, kind: .video, hasOpenCase: false), category: category, currentScore: 1, weight: 1,
                                    channel: .userReport, corroboration: Corroboration(independentScore: 2, voices: 2, vetted: false))
        #expect(outcome.newState == .pendingReview)
    }
}
