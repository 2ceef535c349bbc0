import Testing
@testable import VigilCore

@Suite("Triage")
struct TriageTests {
    let policy = Policy.builtIn
    let t0 = Timestamp(milliseconds: 1_700_000_000_000)

    /// Applies reports of equal weight one after another, as intake does, and returns the state
    /// after each one.
    func states(kind: SubjectKind, reason: String, weights: [Double], channel: ReportChannel = .userReport) -> [VisibilityState] {
        guard let category = policy.category(reason) else { return [] }
        var state = VisibilityState.visible
        var score = 0.0
        var hasCase = false
        return weights.map { weight in
            let outcome = Triage.assess(subject: TriageSubject(state: state, kind: kind, hasOpenCase: hasCase), category: category, currentScore: score, weight: weight, channel: channel)
            score = outcome.categoryScore
            if let newState = outcome.newState { state = newState }
            if outcome.opensCase { hasCase = true }
            return state
        }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: SubjectKind
        var reason: String
        var weights: [Double]
        /// 1-based index of the report that takes the subject down, or nil if none does.
        var takenDownBy: Int?
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "one credible child_safety report takes a video down", kind: .video, reason: "child_safety", weights: [1], takenDownBy: 1),
        Row(name: "one credible violent_extremism report takes a comment down", kind: .comment, reason: "violent_extremism", weights: [1], takenDownBy: 1),
        Row(name: "a new account's lone child_safety report does not", kind: .video, reason: "child_safety", weights: [0.5], takenDownBy: nil),
        Row(name: "five newcomers' spam reports leave a video visible", kind: .video, reason: "spam", weights: Array(repeating: 1, count: 5), takenDownBy: nil),
        Row(name: "nine newcomers' spam reports leave a video visible", kind: .video, reason: "spam", weights: Array(repeating: 1, count: 9), takenDownBy: nil),
        Row(name: "ten newcomers' spam reports take a video down", kind: .video, reason: "spam", weights: Array(repeating: 1, count: 10), takenDownBy: 10),
        Row(name: "the same spam reports take a live stream down at the sixth", kind: .live, reason: "spam", weights: Array(repeating: 1, count: 10), takenDownBy: 6),
        Row(name: "hate speech: live at two, video at three", kind: .live, reason: "hate_speech", weights: [1, 1, 1], takenDownBy: 2),
        Row(name: "hate speech on a video at three", kind: .video, reason: "hate_speech", weights: [1, 1, 1], takenDownBy: 3),
        Row(name: "chronic false reporters barely move the score", kind: .video, reason: "harassment", weights: Array(repeating: 0.08, count: 20), takenDownBy: nil),
    ]

    @Test("threshold crossing", arguments: rows)
    func thresholdCrossing(_ row: Row) {
        let states = states(kind: row.kind, reason: row.reason, weights: row.weights)
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

    @Test("crossing opens exactly one case")
    func caseOpensOnce() throws {
        let category = try #require(policy.category("child_safety"))
        let first = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: category, currentScore: 0, weight: 1, channel: .userReport)
        #expect(first.newState == .pendingReview)
        #expect(first.opensCase)
        let second = Triage.assess(subject: TriageSubject(state: .pendingReview, kind: .video, hasOpenCase: true), category: category, currentScore: 1, weight: 1, channel: .userReport)
        #expect(second.counted)
        #expect(second.newState == nil)
        #expect(!second.opensCase)
    }

    @Test("reports on removed content are recorded but not counted")
    func removedNotCounted() throws {
        let category = try #require(policy.category("spam"))
        let outcome = Triage.assess(subject: TriageSubject(state: .removed, kind: .video, hasOpenCase: false), category: category, currentScore: 3, weight: 1, channel: .userReport)
        #expect(!outcome.counted)
        #expect(outcome.categoryScore == 3)
        #expect(outcome.newState == nil)
        #expect(!outcome.opensCase)
    }

    @Test("an illegal-content notice below the threshold is queued without a takedown")
    func noticeAlwaysQueued() throws {
        let category = try #require(policy.category("hate_speech"))
        let outcome = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: category, currentScore: 0, weight: 0.1, channel: .illegalContentNotice)
        #expect(outcome.opensCase)
        #expect(outcome.newState == nil)
        let ordinary = Triage.assess(subject: TriageSubject(state: .visible, kind: .video, hasOpenCase: false), category: category, currentScore: 0, weight: 0.1, channel: .userReport)
        #expect(!ordinary.opensCase)
    }

    @Test("a suppressed subject can still be taken down by reports")
    func suppressedCanBeTakenDown() throws {
        let category = try #require(policy.category("child_safety"))
        let outcome = Triage.assess(subject: TriageSubject(state: .suppressed, kind: .video, hasOpenCase: false), category: category, currentScore: 0, weight: 1, channel: .userReport)
        #expect(outcome.newState == .pendingReview)
    }
}
