import Testing
@testable import VigilCore

@Suite("Independent voices")
struct IndependenceTests {
    let rules = IndependenceRules.standard
    let t0 = Timestamp(milliseconds: 1_700_000_000_000)

    func voice(_ name: String, _ standing: VoiceStanding = .ordinary, weight: Double = 1, minutes: Double, category: String = "harassment", filed: Int = 3) -> ReportVoice {
        ReportVoice(reporterHash: name, category: category, weight: weight, standing: standing, receivedAt: t0.adding(seconds: minutes * 60), reporterReportsFiled: filed)
    }

    /// Reporters spread over hours on a subject with a large audience are independent.
    @Test("spread-out ordinary reporters on a widely seen subject are all independent")
    func organic() {
        let voices = (0..<8).map { voice("r\($0)", minutes: Double($0) * 120) }
        let result = Independence.assess(voices: voices, ties: CoReportGraph(), reach: Reach(views: 100_000), rules: rules)
        #expect(result.independentVoices(category: "harassment") == 8)
        #expect(result.effectiveScore(category: "harassment") == 8)
        #expect(!result.coordinationSuspected)
    }

    @Test("co-reporters with two shared targets are one voice; upheld co-reports do not link, dismissed ones count double")
    func coReporting() {
        let voices = [voice("a", minutes: 0), voice("b", minutes: 200), voice("c", minutes: 400)]
        var ties = CoReportGraph()
        ties.set(ReporterPair("a", "b"), CoReportTie(open: 2))
        let linked = Independence.assess(voices: voices, ties: ties, reach: Reach(views: 100_000), rules: rules)
        #expect(linked.independentVoices(category: "harassment") == 2)
        #expect(linked.effectiveScore(category: "harassment") == 2.25, "a group counts as its strongest member plus the bonus")
        #expect(linked.groups.first?.signals == [.coReporting])
        #expect(linked.coordinationSuspected)

        var honest = CoReportGraph()
        honest.set(ReporterPair("a", "b"), CoReportTie(open: 1, upheld: 5))
        #expect(Independence.assess(voices: voices, ties: honest, reach: Reach(views: 100_000), rules: rules).independentVoices(category: "harassment") == 3)

        var dismissed = CoReportGraph()
        dismissed.set(ReporterPair("b", "c"), CoReportTie(dismissed: 1))
        #expect(Independence.assess(voices: voices, ties: dismissed, reach: Reach(views: 100_000), rules: rules).independentVoices(category: "harassment") == 2)
    }

    @Test("a reporter's first report links them to nobody, unless one co-report is evidence enough")
    func firstReportsHaveNoLinks() {
        #expect(!rules.mayBeLinked(reportsFiled: 1))
        #expect(rules.mayBeLinked(reportsFiled: 2))
        var eager = rules
        eager.linkMinEvidence = 1
        #expect(eager.mayBeLinked(reportsFiled: 1))
    }

    @Test("busy reporters who overlap by chance are not linked (similarity)")
    func similarity() {
        let voices = [voice("a", minutes: 0, filed: 400), voice("b", minutes: 300, filed: 300)]
        var ties = CoReportGraph()
        ties.set(ReporterPair("a", "b"), CoReportTie(open: 3))
        #expect(Independence.assess(voices: voices, ties: ties, reach: Reach(views: 100_000), rules: rules).independentVoices(category: "harassment") == 2)
    }

    @Test("reports a decision spent still count towards a burst, but add no weight and no voice")
    func spentReportsStillMakeABurst() {
        // A subject whose reach explains about five reports in one window (views/2,500 + 1).
        let reach = Reach(views: 10_000)
        var decided = (0..<10).map { voice("w\($0)", minutes: Double($0)) }
        for index in decided.indices { decided[index].spent = true }
        // The wave goes on after the moderator ruled on its first half: four more within the window.
        let after = (10..<14).map { voice("w\($0)", minutes: Double($0)) }
        let result = Independence.assess(voices: decided + after, ties: CoReportGraph(), reach: reach, rules: rules)
        #expect(result.independentVoices(category: "harassment") == 1, "the four are one voice with the wave they continue")
        #expect(result.effectiveScore(category: "harassment") == 1.25)
        #expect(result.groups.first?.signals.contains(.burst) == true)
        // The same four alone are within what the reach explains.
        let alone = Independence.assess(voices: after, ties: CoReportGraph(), reach: reach, rules: rules)
        #expect(alone.independentVoices(category: "harassment") == 4)
        // Spent reports add no weight, and a spent vetted report cannot act again.
        var flagger = voice("t", .trusted, weight: 3, minutes: 0)
        flagger.spent = true
        let spentFlagger = Independence.assess(voices: [flagger], ties: CoReportGraph(), reach: reach, rules: rules)
        #expect(spentFlagger.effectiveScore(category: "harassment") == 0)
        #expect(!spentFlagger.hasVettedVoice(category: "harassment"))
    }

    @Test("a trusted flagger is never grouped")
    func trustedStandsAlone() {
        let voices = [voice("t", .trusted, weight: 3, minutes: 0)] + (0..<30).map { voice("n\($0)", .newAccount, weight: 0.5, minutes: Double($0)) }
        var ties = CoReportGraph()
        ties.set(ReporterPair("t", "n1"), CoReportTie(open: 5))
        let result = Independence.assess(voices: voices, ties: ties, reach: Reach(views: 10), rules: rules)
        #expect(result.independentVoices(category: "harassment") == 2)
        #expect(result.hasVettedVoice(category: "harassment"))
    }

    @Test("a burst beyond the reach's allowance is one voice; the same count over a larger audience is not")
    func burst() {
        let burst = (0..<12).map { voice("b\($0)", minutes: Double($0)) }
        let small = Independence.assess(voices: burst, ties: CoReportGraph(), reach: Reach(views: 2_000), rules: rules)
        #expect(small.independentVoices(category: "harassment") == 1)
        #expect(small.groups.first?.signals.contains(.burst) == true)
        #expect(small.burstPeak == 12)
        let large = Independence.assess(voices: burst, ties: CoReportGraph(), reach: Reach(views: 50_000), rules: rules)
        #expect(large.independentVoices(category: "harassment") == 12)
    }

    @Test("a slow drip beyond what the reach explains in all is one voice; proven reporters keep their own voice")
    func volume() {
        let drip = (0..<20).map { voice("d\($0)", minutes: Double($0) * 45) } + [voice("p", .proven, weight: 2, minutes: 5)]
        let result = Independence.assess(voices: drip, ties: CoReportGraph(), reach: Reach(views: 1_000), rules: rules)
        #expect(result.burstPeak <= 3)
        #expect(result.independentVoices(category: "harassment") == 2)
        #expect(result.groups.contains { $0.signals.contains(.volume) && $0.members.count == 20 })
    }

    @Test("live viewers raise the burst allowance")
    func liveAllowance() {
        let five = (0..<5).map { voice("l\($0)", minutes: Double($0)) }
        #expect(Independence.assess(voices: five, ties: CoReportGraph(), reach: Reach(liveViewers: 20), rules: rules).independentVoices(category: "harassment") == 1)
        #expect(Independence.assess(voices: five, ties: CoReportGraph(), reach: Reach(liveViewers: 2_000), rules: rules).independentVoices(category: "harassment") == 5)
    }

    @Test("proven reporters: enough upheld reports, accurately")
    func proven() {
        #expect(rules.isProven(TrackRecord(upheld: 5, dismissed: 1, asOf: t0)))
        #expect(!rules.isProven(TrackRecord(upheld: 4, dismissed: 0, asOf: t0)))
        #expect(!rules.isProven(TrackRecord(upheld: 8, dismissed: 3, asOf: t0)))
        #expect(rules.standing(channel: .trustedFlagger, record: .newcomer(at: t0), credibilityWeight: 1, accountAgeDays: 1) == .trusted)
        #expect(rules.standing(channel: .userReport, record: .newcomer(at: t0), credibilityWeight: 1, accountAgeDays: 2) == .newAccount)
        #expect(rules.standing(channel: .userReport, record: .newcomer(at: t0), credibilityWeight: 0.3, accountAgeDays: 400) == .doubtful)
        #expect(rules.standing(channel: .userReport, record: .newcomer(at: t0), credibilityWeight: 1, accountAgeDays: nil) == .ordinary)
    }

    @Test("a pile-on across a creator's content is more reporters than its reach explains, over two subjects or more")
    func pileOn() {
        #expect(rules.isPileOn(CreatorPressure(reports: 40, subjects: 8, views: 1_000, liveViewers: 0)))
        #expect(!rules.isPileOn(CreatorPressure(reports: 40, subjects: 1, views: 1_000, liveViewers: 0)))
        #expect(!rules.isPileOn(CreatorPressure(reports: 40, subjects: 8, views: 1_000_000, liveViewers: 0)))
    }

    @Test("the default settings are valid; bad ones are all listed")
    func settings() {
        #expect(rules.problems().isEmpty)
        var bad = rules
        bad.linkMinSimilarity = 2
        bad.shieldThresholdFactor = 0.5
        bad.burstWindowMinutes = .nan
        #expect(bad.problems().count == 3)
    }
}
