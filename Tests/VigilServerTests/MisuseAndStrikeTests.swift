import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

@Suite("Misuse and strikes")
struct MisuseAndStrikeTests {
    /// Misuse rules that act after two dismissed reports, so a test reaches each step quickly.
    static var quickMisuse: ModerationRules {
        var rules = ModerationRules.standard
        rules.misuse = MisusePolicy(windowDays: 30, minDismissed: 2, minDismissedShare: 0.6, suspensionDays: 14)
        return rules
    }

    /// A subject that `reporter` alone notifies as illegal (a notice always reaches the queue,
    /// whatever the reporter's weight), then decided.
    func reportAndDecide(_ client: any TestClientProtocol, _ h: Harness, subject: String, reporter: String, moderator: String, decision: String) async throws {
        try await client.register(h, id: subject)
        let notice = #","channel":"illegal_content_notice","notice":{"explanation":"Illegal","location_url":"https://e.x/v","notifier_name":"N","notifier_email":"n@e.x"}"#
        #expect(try await client.report(h, reporter: reporter, subject: subject, reason: "child_safety", extra: notice).status == .created)
        _ = try await client.decideNext(moderator, decision)
    }

    func reporterNotices(_ client: any TestClientProtocol, _ h: Harness, _ reporter: String) async throws -> [String] {
        let page = try await client.json(.get, "/v1/reporters/\(reporter)/notices", h).object()
        return try #require(page["notices"] as? [[String: Any]]).compactMap { $0["kind"] as? String }
    }

    @Test("misuse: warned, then suspended (recorded, not counted, notices still queued), then lifted automatically", arguments: TestDatabase.all)
    func misuseSteps(database: TestDatabase) async throws {
        try await withHarness(database: database, rules: Self.quickMisuse) { client, h async throws in
            let moderator = try await h.moderator("m")
            let dismiss = #"{"outcome":"no_violation","note":"nothing there"}"#
            try await reportAndDecide(client, h, subject: "a", reporter: "troll", moderator: moderator, decision: dismiss)
            #expect(try await reporterNotices(client, h, "troll").isEmpty)
            try await reportAndDecide(client, h, subject: "b", reporter: "troll", moderator: moderator, decision: dismiss)
            #expect(try await reporterNotices(client, h, "troll") == ["misuse_warning"])
            try await reportAndDecide(client, h, subject: "c", reporter: "troll", moderator: moderator, decision: dismiss)
            #expect(try await reporterNotices(client, h, "troll") == ["misuse_suspension", "misuse_warning"])

            // Suspended: accepted and recorded, but weighs nothing and opens no case.
            try await client.register(h, id: "d")
            let report = try await client.report(h, reporter: "troll", subject: "d", reason: "child_safety")
            #expect(report.status == .created)
            #expect(try report.object()["counted"] as? Bool == false)
            #expect(try await client.state(h, of: "d") == "visible")
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 0)

            // An illegal-content notice from them is still queued — behind every other case.
            try await client.register(h, id: "e")
            try await client.register(h, id: "f")
            _ = try await client.report(h, reporter: "someone", subject: "f", reason: "spam", extra: #","channel":"illegal_content_notice","notice":{"explanation":"x","location_url":"https://e.x/f","notifier_name":"N","notifier_email":"n@e.x"}"#)
            let notice = #","channel":"illegal_content_notice","notice":{"explanation":"Illegal","location_url":"https://e.x/e","notifier_name":"T","notifier_email":"t@e.x"}"#
            #expect(try await client.report(h, reporter: "troll", subject: "e", reason: "child_safety", extra: notice).status == .created)
            #expect(try await client.state(h, of: "e") == "visible")
            let queue = try await client.mod(.get, "/v1/mod/queue", token: moderator).object()
            #expect((queue["cases"] as? [[String: Any]])?.compactMap { $0["subject_id"] as? String } == ["f", "e"])

            // The suspension lifts by itself once its period is over.
            let swept = try await h.app.maintenance.sweep(at: Timestamp.now().adding(seconds: 15 * 86_400))
            #expect(swept.suspensions == 1)
            #expect(try await reporterNotices(client, h, "troll").first == "misuse_suspension_lifted")
            try await client.register(h, id: "g")
            #expect(try await client.report(h, reporter: "troll", subject: "g", reason: "spam").object()["counted"] as? Bool == true)
            try await h.expectAuditIntact()
        }
    }

    @Test("a reporter contests misuse measures: a granted suspension appeal ends it at once; a denied warning appeal leaves it; refusals", arguments: TestDatabase.all)
    func misuseAppeals(database: TestDatabase) async throws {
        try await withHarness(database: database, rules: Self.quickMisuse) { client, h async throws in
            let moderator = try await h.moderator("m")
            let reviewer = try await h.moderator("reviewer", role: .appeals)
            let dismiss = #"{"outcome":"no_violation","note":"nothing there"}"#
            for subject in ["a", "b", "c"] {
                try await reportAndDecide(client, h, subject: subject, reporter: "troll", moderator: moderator, decision: dismiss)
            }
            // Each misuse notice carries the id of its measure.
            let notices = try #require(try await client.json(.get, "/v1/reporters/troll/notices", h).object()["notices"] as? [[String: Any]])
            func measure(_ kind: String) throws -> String {
                try #require(notices.first { $0["kind"] as? String == kind }.flatMap { ($0["content"] as? [String: Any])?["measure_id"] as? String })
            }
            let suspension = try measure("misuse_suspension")
            let warning = try measure("misuse_warning")
            #expect(suspension != warning)

            func appeal(_ body: String) async throws -> TestResponse { try await client.json(.post, "/v1/appeals", h, body) }
            let refusals: [(body: String, status: Int, field: String?)] = [
                (#"{"measure_id":"\#(suspension)","creator_id":"creator-1","statement":"x"}"#, 422, "reporter_id"),
                (#"{"measure_id":"\#(suspension)","reporter_id":"someone-else","statement":"x"}"#, 422, "reporter_id"),
                (#"{"measure_id":"mis_unknown","reporter_id":"troll","statement":"x"}"#, 422, "measure_id"),
                (#"{"measure_id":"\#(suspension)","decision_id":"dec_x","reporter_id":"troll","statement":"x"}"#, 422, "measure_id"),
                (#"{"reporter_id":"troll","statement":"x"}"#, 422, "decision_id"),
            ]
            let head = try await h.auditHead()
            for refusal in refusals {
                let response = try await appeal(refusal.body)
                #expect(Int(response.status.code) == refusal.status, "\(refusal.body)")
                #expect(try response.object()["field"] as? String == refusal.field, "\(refusal.body)")
            }
            #expect(try await h.auditHead() == head, "refusals write nothing")

            let filed = try await appeal(#"{"measure_id":"\#(suspension)","reporter_id":"troll","statement":"Those videos were dangerous"}"#)
            #expect(filed.status == .created)
            #expect(try filed.object()["measure_id"] as? String == suspension)
            #expect(try filed.object()["decision_id"] == nil)
            #expect(try await appeal(#"{"measure_id":"\#(suspension)","reporter_id":"troll","statement":"again"}"#).status == .conflict)
            let warningAppeal = try await appeal(#"{"measure_id":"\#(warning)","reporter_id":"troll","statement":"Not fair"}"#)
            #expect(warningAppeal.status == .created)

            // Appeals moderators see both, a page at a time, never who the reporter is.
            let first = try await client.mod(.get, "/v1/mod/appeals?limit=1", token: reviewer).object()
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try await client.mod(.get, "/v1/mod/appeals?limit=1&cursor=\(cursor)", token: reviewer).object()
            #expect(second["next_cursor"] is NSNull, "the last page")
            let paged = [first, second].flatMap { ($0["appeals"] as? [[String: Any]] ?? []).compactMap { $0["measure_id"] as? String } }
            #expect(paged == [suspension, warning], "oldest first, each once")
            let queueText = try await client.mod(.get, "/v1/mod/appeals", token: reviewer).text
            #expect(queueText.contains(suspension) && queueText.contains(warning))
            #expect(!queueText.contains("troll") && !queueText.contains(h.app.keyring.lookupHash(of: "troll")))

            // Suspended until the appeal: a report weighs nothing.
            try await client.register(h, id: "d")
            #expect(try await client.report(h, reporter: "troll", subject: "d", reason: "spam").object()["counted"] as? Bool == false)

            let appealID = try #require(try filed.object()["appeal_id"] as? String)
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: reviewer).status == .ok)
            let granted = try await client.mod(.post, "/v1/mod/appeals/\(appealID)/decision", token: reviewer, #"{"outcome":"granted","note":"Two of the three were borderline"}"#)
            #expect(granted.status == .ok)
            #expect(try granted.object()["status"] as? String == "granted")

            // The suspension is void now, not in 14 days: the next report counts.
            try await client.register(h, id: "e")
            #expect(try await client.report(h, reporter: "troll", subject: "e", reason: "spam").object()["counted"] as? Bool == true)
            let record = try #require(try await h.app.store.read { try await $0.misuseMeasure(id: suspension) })
            #expect(record.revokedBy == appealID)
            let outcome = try #require(try await client.json(.get, "/v1/reporters/troll/notices", h).object()["notices"] as? [[String: Any]]).first
            #expect(outcome?["kind"] as? String == "appeal_outcome")
            #expect((outcome?["content"] as? [String: Any])?["measure_id"] as? String == suspension)
            #expect(try await h.app.maintenance.sweep(at: Timestamp.now().adding(seconds: 15 * 86_400)).suspensions == 0, "nothing left to lift")

            // The warning stands when its appeal is denied.
            let warningID = try #require(try warningAppeal.object()["appeal_id"] as? String)
            _ = try await client.mod(.post, "/v1/mod/appeals/\(warningID)/claim", token: reviewer)
            let denied = try await client.mod(.post, "/v1/mod/appeals/\(warningID)/decision", token: reviewer, #"{"outcome":"denied","note":"Five of five were unfounded"}"#)
            #expect(try denied.object()["status"] as? String == "denied")
            let standing = try await h.app.store.read { try await $0.reporters(hashes: [h.app.keyring.lookupHash(of: "troll")]) }.values.first?.standing.standing
            #expect(standing == .warned)
            #expect(try await h.app.store.read { try await $0.misuseMeasure(id: warning) }?.revokedAt == nil)
            // Six months on, the window for contesting a measure has closed.
            h.time.advance(seconds: 200 * 86_400)
            let late = try await appeal(#"{"measure_id":"\#(warning)","reporter_id":"troll","statement":"late"}"#)
            #expect(late.status == .unprocessableContent)
            #expect(try late.object()["field"] as? String == "measure_id")
            try await h.expectAuditIntact()
        }
    }

    @Test("upheld reports keep a reporter in good standing", arguments: TestDatabase.all)
    func accurateReporter(database: TestDatabase) async throws {
        try await withHarness(database: database, rules: Self.quickMisuse) { client, h async throws in
            let moderator = try await h.moderator("m")
            for subject in ["a", "b", "c"] {
                try await reportAndDecide(client, h, subject: subject, reporter: "sharp-eye", moderator: moderator,
                                          decision: #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","note":"confirmed"}"#)
            }
            #expect(try await reporterNotices(client, h, "sharp-eye").isEmpty)
            let record = try #require(try await h.app.store.read { try await $0.reporters(hashes: [h.app.keyring.lookupHash(of: "sharp-eye")]) }.values.first)
            #expect(record.record.upheld > 2.99)
            #expect(h.app.rules.credibility.reportWeight(channel: .userReport, record: record.record, accountAgeDays: nil, at: .now()) > 1)
        }
    }

    @Test("strikes climb the ladder; timed account measures end with an enforcement event", arguments: TestDatabase.all)
    func strikeLadder(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let moderator = try await h.moderator("m")
            for i in 0..<3 {
                try await client.register(h, id: "clip-\(i)", creator: "repeat-offender")
                _ = try await client.report(h, reporter: "r\(i)", subject: "clip-\(i)", reason: "child_safety")
                _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","strike":true,"note":"again"}"#)
            }
            let notices = try await client.notices(h, creator: "repeat-offender")
            let types = notices.compactMap { (($0["content"] as? [String: Any])?["restriction"] as? [String: Any])?["type"] as? String }
            #expect(types.filter { $0 == "warning" }.count == 1)
            #expect(types.filter { $0 == "live_access_removed" }.count == 1)
            #expect(types.filter { $0 == "removed" }.count == 3)
            let liveBan = try #require(notices.first { (($0["content"] as? [String: Any])?["restriction"] as? [String: Any])?["type"] as? String == "live_access_removed" })
            #expect((((liveBan["content"] as? [String: Any])?["restriction"] as? [String: Any])?["ends_at"]) is String)

            let feed = try #require(try await client.json(.get, "/v1/enforcement-events", h).object()["events"] as? [[String: Any]])
            #expect(feed.compactMap { ($0["data"] as? [String: Any])?["action"] as? String } == ["warning", "live_access_removed"])

            let swept = try await h.app.maintenance.sweep(at: Timestamp.now().adding(seconds: 8 * 86_400))
            #expect(swept.accountActions == 1, "the 7-day live ban ends; the warning has no end")
            let after = try #require(try await client.json(.get, "/v1/enforcement-events", h).object()["events"] as? [[String: Any]])
            #expect(after.last?["type"] as? String == "account_action.lifted")
            #expect((after.last?["data"] as? [String: Any])?["action"] as? String == "live_access_removed")
            #expect(try await h.app.maintenance.sweep(at: Timestamp.now().adding(seconds: 8 * 86_400)).accountActions == 0, "lifted once")
            let active = try await h.app.store.read { try await $0.activeStrikeCount(creatorID: "repeat-offender", at: .now()) }
            #expect(active == 3)
            let expired = try await h.app.store.read { try await $0.activeStrikeCount(creatorID: "repeat-offender", at: Timestamp.now().adding(seconds: 91 * 86_400)) }
            #expect(expired == 0, "strikes expire after 90 days")
        }
    }
}
