import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

@Suite("Transparency report")
struct TransparencyReportTests {
    @Test("a known history gives known figures, recomputed from the audit log", arguments: TestDatabase.all)
    func knownHistory(database: TestDatabase) async throws {
        var rules = ModerationRules.standard
        rules.misuse = MisusePolicy(windowDays: 30, minDismissed: 1, minDismissedShare: 0.5, suspensionDays: 14)
        try await withHarness(database: database, rules: rules) { client, h async throws in
            let start = Timestamp.now().adding(seconds: -1)
            let moderator = try await h.moderator("m")
            let reviewer = try await h.moderator("r", role: .appeals)
            let admin = try await h.moderator("boss", role: .admin)
            // s1: three reports, provisional takedown, removal with a strike (→ a warning).
            try await client.register(h, id: "s1", creator: "c1")
            for i in 0..<3 { _ = try await client.report(h, reporter: "u\(i)", subject: "s1", reason: "hate_speech") }
            try await h.settleTakedowns()
            let d1 = try #require(try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":true,"note":"x"}"#)["decision_id"] as? String)
            // s2: a trusted flagger's report, takedown, no violation (the flagger is warned under these rules).
            try await client.register(h, id: "s2", creator: "c2")
            _ = try await client.report(h, reporter: "tf", subject: "s2", reason: "hate_speech", extra: #","channel":"trusted_flagger""#)
            _ = try await client.decideNext(moderator, #"{"outcome":"no_violation","note":"x"}"#)
            // s3: an Art. 16 notice, queued without takedown, suppressed.
            try await client.register(h, id: "s3", creator: "c3")
            _ = try await client.report(h, reporter: "law", subject: "s3", reason: "spam", extra: #","channel":"illegal_content_notice","notice":{"explanation":"x","location_url":"https://e.x/3","notifier_name":"N","notifier_email":"n@e.x"}"#)
            _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["spam"],"action":"suppress","note":"x"}"#)
            // s4: two child-safety reports, takedown, removal with a second strike.
            try await client.register(h, id: "s4", creator: "c1")
            _ = try await client.report(h, reporter: "u9", subject: "s4", reason: "child_safety")
            _ = try await client.report(h, reporter: "u10", subject: "s4", reason: "child_safety")
            try await h.settleTakedowns()
            let d4 = try #require(try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","strike":true,"note":"x"}"#)["decision_id"] as? String)
            // Two appeals: one granted, one denied.
            for (decision, outcome) in [(d1, "granted"), (d4, "denied")] {
                let appeal = try #require(try await client.json(.post, "/v1/appeals", h, #"{"decision_id":"\#(decision)","creator_id":"c1","statement":"no"}"#).object()["appeal_id"] as? String)
                _ = try await client.mod(.post, "/v1/mod/appeals/\(appeal)/claim", token: reviewer)
                _ = try await client.mod(.post, "/v1/mod/appeals/\(appeal)/decision", token: reviewer, #"{"outcome":"\#(outcome)","note":"x"}"#)
            }
            let end = h.app.clock.now().adding(seconds: 1)

            let report = try await TransparencyReporting(store: h.app.store).report(from: start, to: end)
            #expect(report.reportsReceived == 7)
            #expect(report.reportsByCategory == ["hate_speech": 4, "spam": 1, "child_safety": 2])
            #expect(report.reportsByChannel == ["user_report": 5, "trusted_flagger": 1, "illegal_content_notice": 1])
            #expect(abs(report.trustedFlaggerShare - 1.0 / 7) < 1e-9)
            #expect(report.restrictionsByType == ["pending_review": 3, "removed": 2, "suppressed": 1])
            #expect(report.restrictionsByGround == ["hate_speech": 3, "child_safety": 2, "spam": 1])
            #expect(report.automatedRestrictions == 3)
            #expect(report.humanDecisions == ["violation": 3, "no_violation": 1])
            let toAction = try #require(report.medianSecondsFirstReportToAction)
            // Two of the four actions waited out the settle period (the test clock jumped it).
            #expect(toAction >= 0 && toAction < h.app.rules.independence.settleMinutes * 60 + 60)
            #expect(report.appealsReceived == 2)
            #expect(report.appealsDecided == 2)
            #expect(report.appealsGrantedShare == 0.5)
            let toAppeal = try #require(report.medianSecondsToAppealDecision)
            #expect(toAppeal >= 0 && toAppeal < 60)
            #expect(report.misuseWarnings == 1)
            #expect(report.misuseSuspensions == 0)
            #expect(report.strikes == 2)
            #expect(report.accountActions == ["warning": 1])

            // A period before any of it is empty; the same period through the API gives the same figures.
            let before = try await TransparencyReporting(store: h.app.store).report(from: Timestamp(milliseconds: 0), to: start)
            #expect(before.reportsReceived == 0 && before.restrictionsByType.isEmpty && before.appealsReceived == 0 && before.strikes == 0)
            let api = try await client.mod(.get, "/v1/mod/transparency?from=\(start.iso8601)&to=\(end.iso8601)", token: admin)
            #expect(api.status == .ok, "\(api.text)")
            #expect(try api.object()["reports_received"] as? Int == 7)
            #expect((try api.object()["restrictions_by_type"] as? [String: Int]) == report.restrictionsByType)
            #expect(report.text.contains("Reports received: 7"))
        }
    }

    @Test("the transparency endpoint is for admins and checks its dates", arguments: TestDatabase.all, [
        ("?from=2026-01-01&to=2026-02-01", ModeratorRole.moderator, HTTPResponse.Status.forbidden),
        ("?from=2026-01-01", .admin, .unprocessableContent),
        ("?from=yesterday&to=2026-02-01", .admin, .unprocessableContent),
        ("?from=2026-02-01&to=2026-01-01", .admin, .unprocessableContent),
        ("?from=2026-01-01&to=2026-02-01", .admin, .ok),
    ])
    func endpoint(database: TestDatabase, row: (String, ModeratorRole, HTTPResponse.Status)) async throws {
        let (query, role, status) = row
        try await withHarness(database: database) { client, h async throws in
            let token = try await h.moderator("who", role: role)
            let response = try await client.mod(.get, "/v1/mod/transparency\(query)", token: token)
            #expect(response.status == status, "\(response.text)")
        }
    }
}
