import Testing
@testable import VigilCore

/// The appeal rules as pure functions: what a granted or denied appeal changes.
@Suite("Appeal effects")
struct AppealEffectsTests {
    static let now = Timestamp(milliseconds: 1_800_000_000_000)
    static let subject = Subject(id: "clip", kind: .video, creatorID: "creator-1", reach: Reach(views: 10), state: .removed, stateGround: "hate_speech",
                                 stateChangedAt: now)

    static func decision(outcome: DecisionOutcome) -> DecisionRecord {
        DecisionRecord(id: "dec_1", caseID: "case_1", subjectID: "clip", creatorID: "creator-1", moderatorID: "mod-1", outcome: outcome,
                       policyIDs: outcome == .violation ? ["hate_speech"] : [], action: outcome == .violation ? .remove : nil,
                       strike: outcome == .violation, note: "n", policyVersion: "v1", previousState: .pendingReview,
                       resultingState: outcome == .violation ? .removed : .visible, automated: false, decidedAt: now.adding(seconds: -86_400))
    }

    static func loaded(appellant: AppellantType, outcome: DecisionOutcome, subject: Subject = subject, openCase: Bool = false) -> DecisionAppealEffects.Loaded {
        let reporters = ["h1": ReporterRecord(reporterHash: "h1", record: TrackRecord(upheld: 3, dismissed: 0, asOf: now), reportsFiled: 3, pending: 0)]
        return DecisionAppealEffects.Loaded(
            appeal: AppealRecord(id: "apl_1", target: .decision("dec_1"), appellantType: appellant, appellant: appellant == .creator ? "creator-1" : "h1",
                                 statement: "s", filedAt: now),
            decision: decision(outcome: outcome), subject: subject,
            unrevokedStrikes: [("stk_live", now.adding(seconds: 86_400)), ("stk_expired", now.adding(seconds: -1))],
            activeStrikes: 3,
            liftableActions: [AccountActionRecord(id: "act_1", creatorID: "creator-1", action: .liveAccessRemoved, decisionID: "dec_1", activeStrikes: 3,
                                                  startsAt: now, endsAt: now.adding(seconds: 7 * 86_400))],
            countedReports: ["h1": 1], reporters: reporters, subjectHasOpenCase: openCase, decidedCategory: "hate_speech")
    }

    @Test("a creator's granted appeal: visible again, strikes revoked, measures lifted with the count as it now stands, reporters corrected")
    func creatorGranted() {
        let effects = DecisionAppealEffects(Self.loaded(appellant: .creator, outcome: .violation), outcome: .granted, moderatorID: "mod-2",
                                            note: "context", policy: .builtIn, rules: .standard, now: Self.now)
        #expect(effects.subjectState == .visible)
        #expect(effects.revokesStrikes)
        #expect(effects.liftedActionIDs == ["act_1"])
        let lifted = effects.events.first { $0.type == .accountActionLifted }
        #expect(lifted.map { $0.payload.contains(#""active_strikes":2"#) } == true, "3 active, 1 of them revoked (the other had expired)")
        #expect(effects.events.map(\.type) == [.appealDecided, .subjectStateChanged, .strikeRevoked, .strikeRevoked, .accountActionLifted])
        #expect(effects.reporters.first?.record.upheld == 2 && effects.reporters.first?.record.dismissed == 1)
        #expect(effects.reportStatus == .noViolation)
        #expect(effects.reopenedCase == nil)
        #expect(effects.notice.recipient == .creator("creator-1") && effects.notice.body.contains("granted"))
    }

    @Test("a creator's granted appeal leaves a subject alone that is no longer in the decided state")
    func creatorGrantedStateMovedOn() {
        var moved = Self.subject
        moved.state = .visible
        let effects = DecisionAppealEffects(Self.loaded(appellant: .creator, outcome: .violation, subject: moved), outcome: .granted,
                                            moderatorID: "mod-2", note: "n", policy: .builtIn, rules: .standard, now: Self.now)
        #expect(effects.subjectState == nil)
        #expect(!effects.events.contains { $0.type == .subjectStateChanged })
    }

    @Test("a reporter's granted appeal: records corrected the other way, and a case reopened unless one is open", arguments: [false, true])
    func reporterGranted(openCase: Bool) {
        var visible = Self.subject
        visible.state = .visible
        let effects = DecisionAppealEffects(Self.loaded(appellant: .reporter, outcome: .noViolation, subject: visible, openCase: openCase),
                                            outcome: .granted, moderatorID: "mod-2", note: "n", policy: .builtIn, rules: .standard, now: Self.now)
        #expect(effects.subjectState == nil && !effects.revokesStrikes && effects.liftedActionIDs.isEmpty)
        #expect(effects.reporters.first?.record.upheld == 4)
        #expect((effects.reopenedCase != nil) == !openCase)
        #expect(effects.notice.recipient == .reporter(hash: "h1"))
    }

    @Test("a denied appeal changes nothing but tells the appellant why")
    func denied() {
        let effects = DecisionAppealEffects(Self.loaded(appellant: .creator, outcome: .violation), outcome: .denied, moderatorID: "mod-2",
                                            note: "stands", policy: .builtIn, rules: .standard, now: Self.now)
        #expect(effects.subjectState == nil && !effects.revokesStrikes && effects.liftedActionIDs.isEmpty && effects.reporters.isEmpty)
        #expect(effects.events.map(\.type) == [.appealDecided])
        #expect(effects.notice.body.contains("stands"))
    }

    @Test("a granted misuse appeal: a latest suspension ends (warned), a latest warning is withdrawn (good), an older one only voided", arguments: [
        (MisuseMeasureKind.suspension, true, MisuseStanding?.some(.warned)),
        (.warning, true, .good),
        (.suspension, false, nil),
    ])
    func misuse(kind: MisuseMeasureKind, latest: Bool, standing: MisuseStanding?) {
        let measure = MisuseMeasureRecord(id: "mm_1", reporterHash: "h1", kind: kind, imposedAt: Self.now, until: nil)
        let reporter = ReporterRecord(reporterHash: "h1", record: .newcomer(at: Self.now), reportsFiled: 9, pending: 0,
                                      standing: ReporterStanding(standing: kind == .suspension ? .suspended : .warned))
        let appeal = AppealRecord(id: "apl_2", target: .misuseMeasure("mm_1"), appellantType: .reporter, appellant: "h1", statement: "s", filedAt: Self.now)
        let effects = MisuseAppealEffects(appeal: appeal, measure: measure, latestMeasureID: latest ? "mm_1" : "mm_2", reporter: reporter,
                                          outcome: .granted, moderatorID: "mod-2", note: "n", now: Self.now)
        #expect(effects.revokesMeasure)
        #expect(effects.reporter?.standing.standing == standing)
        #expect(effects.events.map(\.type) == [.appealDecided, .misuseMeasureRevoked])
    }
}
