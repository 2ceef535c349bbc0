import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

@Suite("Appeals")
struct AppealTests {
    /// A video removed with a strike by `decider`; returns the decision id from the creator's notice.
    func removedWithStrike(_ client: any TestClientProtocol, _ h: Harness, decider: String, subject: String = "clip", creator: String = "creator-A") async throws -> String {
        try await client.register(h, id: subject, creator: creator)
        for i in 0..<3 { _ = try await client.report(h, reporter: "\(subject)-reporter-\(i)", subject: subject, reason: "hate_speech") }
        _ = try await client.decideNext(decider, #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":true,"note":"slur"}"#)
        let notices = try await client.notices(h, creator: creator)
        let removal = try #require(notices.first { ($0["content"] as? [String: Any])?["appealable_decision_id"] != nil })
        return try #require((removal["content"] as? [String: Any])?["appealable_decision_id"] as? String)
    }

    func fileAppeal(_ client: any TestClientProtocol, _ h: Harness, _ body: String) async throws -> TestResponse {
        try await client.json(.post, "/v1/appeals", h, body)
    }

    @Test("a granted appeal reverses the removal, the strike, the account measure and the reporters' records", arguments: TestDatabase.all)
    func granted(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let decider = try await h.moderator("decider")
            let reviewer = try await h.moderator("reviewer", role: .appeals)
            let decisionID = try await removedWithStrike(client, h, decider: decider)
            #expect(try await h.app.store.read { try await $0.activeStrikeCount(creatorID: "creator-A", at: .now()) } == 1)

            let filed = try await fileAppeal(client, h, #"{"decision_id":"\#(decisionID)","creator_id":"creator-A","statement":"It was a quote in a documentary."}"#)
            #expect(filed.status == .created, "\(filed.text)")
            let appealID = try #require(try filed.object()["appeal_id"] as? String)
            #expect(try filed.object()["status"] as? String == "open")

            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: decider).status == .forbidden, "moderators are not appeals reviewers")
            let queue = try await client.mod(.get, "/v1/mod/appeals", token: reviewer).object()
            #expect((queue["appeals"] as? [[String: Any]])?.first?["statement"] as? String == "It was a quote in a documentary.")
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: reviewer).status == .ok)
            let decided = try await client.mod(.post, "/v1/mod/appeals/\(appealID)/decision", token: reviewer, #"{"outcome":"granted","note":"Documentary context"}"#)
            #expect(decided.status == .ok, "\(decided.text)")
            #expect(try decided.object()["status"] as? String == "granted")

            #expect(try await client.state(h, of: "clip") == "visible")
            #expect(try await h.app.store.read { try await $0.activeStrikeCount(creatorID: "creator-A", at: .now()) } == 0)
            #expect(try await h.app.store.read { try await $0.activeAccountActions(creatorID: "creator-A", at: .now()) }.isEmpty)
            for i in 0..<3 {
                #expect(try await client.reportStatuses(h, reporter: "clip-reporter-\(i)") == ["no_violation"])
            }
            let records = try await h.app.store.read { try await $0.reporters(hashes: (0..<3).map { h.app.keyring.lookupHash(of: "clip-reporter-\($0)") }) }
            #expect(records.values.allSatisfy { $0.record.upheld < 0.01 && $0.record.dismissed > 0.99 })

            let notices = try await client.notices(h, creator: "creator-A")
            #expect(notices.first?["kind"] as? String == "appeal_outcome")
            let appeals = try #require(try await client.json(.get, "/v1/creators/creator-A/appeals", h).object()["appeals"] as? [[String: Any]])
            #expect(appeals.first?["status"] as? String == "granted")
            #expect(appeals.first?["outcome_note"] as? String == "Documentary context")

            let feed = try #require(try await client.json(.get, "/v1/enforcement-events", h).object()["events"] as? [[String: Any]])
            #expect(feed.compactMap { $0["type"] as? String }.suffix(2) == ["subject.state_changed", "account_action.lifted"])
            #expect((feed.dropLast().last?["data"] as? [String: Any])?["to"] as? String == "visible")
            // The lifted measure carries the strike count as it now stands (the strike was revoked), not as it was.
            #expect((feed.last?["data"] as? [String: Any])?["active_strikes"] as? Int == 0)
            try await h.expectAuditIntact()
        }
    }

    @Test("an admin who made the decision cannot decide its appeal", arguments: TestDatabase.all)
    func originalDeciderRefused(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let admin = try await h.moderator("admin", role: .admin)
            let decisionID = try await removedWithStrike(client, h, decider: admin)
            let appealID = try #require(try await fileAppeal(client, h, #"{"decision_id":"\#(decisionID)","creator_id":"creator-A","statement":"Unfair"}"#).object()["appeal_id"] as? String)
            let refused = try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: admin)
            #expect(refused.status == .conflict)
            #expect(try refused.object()["detail"] as? String ?? "" == "you made the decision under appeal: another moderator must decide the appeal")
            let other = try await h.moderator("other", role: .appeals)
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: other).status == .ok)
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/decision", token: admin, #"{"outcome":"granted","note":"x"}"#).status == .conflict)
        }
    }

    @Test("a denied appeal leaves the decision standing and tells the creator why", arguments: TestDatabase.all)
    func denied(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let decider = try await h.moderator("decider")
            let reviewer = try await h.moderator("reviewer", role: .appeals)
            let decisionID = try await removedWithStrike(client, h, decider: decider)
            let appealID = try #require(try await fileAppeal(client, h, #"{"decision_id":"\#(decisionID)","creator_id":"creator-A","statement":"Unfair"}"#).object()["appeal_id"] as? String)
            _ = try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: reviewer)
            let decided = try await client.mod(.post, "/v1/mod/appeals/\(appealID)/decision", token: reviewer, #"{"outcome":"denied","note":"Slur used to insult"}"#)
            #expect(try decided.object()["status"] as? String == "denied")
            #expect(try await client.state(h, of: "clip") == "removed")
            #expect(try await h.app.store.read { try await $0.activeStrikeCount(creatorID: "creator-A", at: .now()) } == 1)
            let outcome = try #require(try await client.notices(h, creator: "creator-A").first)
            #expect(outcome["kind"] as? String == "appeal_outcome")
            #expect(((outcome["content"] as? [String: Any])?["message"] as? String)?.contains("Slur used to insult") == true)
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/decision", token: reviewer, #"{"outcome":"granted","note":"x"}"#).status == .conflict)
        }
    }

    @Test("a reporter contests a decision not to act; granted, the content goes back to review", arguments: TestDatabase.all)
    func reporterContest(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let decider = try await h.moderator("decider")
            let reviewer = try await h.moderator("reviewer", role: .appeals)
            try await client.register(h, id: "v", creator: "creator-B")
            var reportIDs: [String] = []
            for i in 0..<3 {
                let filed = try await client.report(h, reporter: "witness-\(i)", subject: "v", reason: "hate_speech")
                reportIDs.append(try #require(try filed.object()["report_id"] as? String))
            }
            let decision = try await client.decideNext(decider, #"{"outcome":"no_violation","note":"fine"}"#)
            let decisionID = try #require(decision["decision_id"] as? String)

            // Someone who did not file the report is refused, as is a reporter naming another's report.
            let stranger = try await fileAppeal(client, h, #"{"report_id":"\#(reportIDs[0])","reporter_id":"stranger","statement":"I disagree"}"#)
            #expect(stranger.status == .unprocessableContent)
            #expect(try stranger.object()["field"] as? String == "report_id")
            let other = try await fileAppeal(client, h, #"{"report_id":"\#(reportIDs[1])","reporter_id":"witness-0","statement":"I disagree"}"#)
            #expect(other.status == .unprocessableContent)
            #expect(other.text == stranger.text, "someone else's report is refused exactly as an unknown one")
            let creator = try await fileAppeal(client, h, #"{"decision_id":"\#(decisionID)","creator_id":"creator-B","statement":"?"}"#)
            #expect(try creator.object()["field"] as? String == "decision_id", "nothing to appeal for the creator")

            let filed = try await fileAppeal(client, h, #"{"report_id":"\#(reportIDs[0])","reporter_id":"witness-0","statement":"It is hate speech at 0:40"}"#)
            #expect(filed.status == .created)
            #expect(!filed.text.contains("witness-0"))
            let appealID = try #require(try filed.object()["appeal_id"] as? String)
            let queueText = try await client.mod(.get, "/v1/mod/appeals", token: reviewer).text
            #expect(!queueText.contains("witness-0"))
            #expect(!queueText.contains(h.app.keyring.lookupHash(of: "witness-0")))
            _ = try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: reviewer)
            _ = try await client.mod(.post, "/v1/mod/appeals/\(appealID)/decision", token: reviewer, #"{"outcome":"granted","note":"Missed the segment at 0:40"}"#)

            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 1, "back in the queue")
            let notices = try #require(try await client.json(.get, "/v1/reporters/witness-0/notices", h).object()["notices"] as? [[String: Any]])
            #expect(notices.first?["kind"] as? String == "appeal_outcome")
            let records = try await h.app.store.read { try await $0.reporters(hashes: (0..<3).map { h.app.keyring.lookupHash(of: "witness-\($0)") }) }
            #expect(records.values.allSatisfy { $0.record.upheld > 0.99 && $0.record.dismissed < 0.01 })
        }
    }

    @Test("refusals: twice, not yours, unknown, late, malformed — a problem each, nothing written", arguments: TestDatabase.all)
    func refusals(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let decider = try await h.moderator("decider")
            let decisionID = try await removedWithStrike(client, h, decider: decider)
            let body = #"{"decision_id":"\#(decisionID)","creator_id":"creator-A","statement":"Unfair"}"#
            #expect(try await fileAppeal(client, h, body).status == .created)
            let head = try await h.auditHead()
            let cases: [(String, HTTPResponse.Status, String?)] = [
                (body, .conflict, nil),
                (#"{"decision_id":"\#(decisionID)","creator_id":"someone-else","statement":"Unfair"}"#, .unprocessableContent, "creator_id"),
                (#"{"decision_id":"dec_unknown","creator_id":"creator-A","statement":"Unfair"}"#, .unprocessableContent, "decision_id"),
                (#"{"decision_id":"\#(decisionID)","statement":"Unfair"}"#, .unprocessableContent, "creator_id"),
                (#"{"decision_id":"\#(decisionID)","creator_id":"creator-A","reporter_id":"r","statement":"Unfair"}"#, .unprocessableContent, "reporter_id"),
                (#"{"decision_id":"\#(decisionID)","creator_id":"creator-A","statement":"\#(String(repeating: "x", count: 5_001))"}"#, .unprocessableContent, "statement"),
                (#"{"decision_id":"\#(decisionID)","creator_id":"creator-A"}"#, .unprocessableContent, "statement"),
                (#"{"decision_id":42,"creator_id":"creator-A","statement":"x"}"#, .unprocessableContent, "decision_id"),
                (#"{"decision_id":"#, .badRequest, nil),
            ]
            for (text, status, field) in cases {
                let response = try await fileAppeal(client, h, text)
                #expect(response.status == status, "\(text.prefix(80)): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try response.object()["field"] as? String == field)
            }
            #expect(try await h.auditHead() == head)

            // Late: a decision made seven months ago (its date set back the way only a test may).
            let lateID = try await removedWithStrike(client, h, decider: decider, subject: "old", creator: "creator-C")
            try await h.app.store.write { tx in
                try await tx.sql.raw(SQLQueryString(h.app.store.engine.dropTrigger("decisions_no_update", table: "decisions"))).run()
                try await tx.sql.raw("UPDATE decisions SET decided_at = decided_at - \(literal: Int64(210) * 86_400_000) WHERE id = \(bind: lateID)").run()
            }
            let late = try await fileAppeal(client, h, #"{"decision_id":"\#(lateID)","creator_id":"creator-C","statement":"Unfair"}"#)
            #expect(late.status == .unprocessableContent)
            #expect((try late.object()["detail"] as? String)?.contains("six months") == true)
        }
    }

    @Test("appeal windows: six months from the decision")
    func window() {
        let decided = Timestamp(milliseconds: 1_700_000_000_000)
        #expect(AppealRules.isInTime(decidedAt: decided, filedAt: decided.adding(seconds: 182 * 86_400)))
        #expect(!AppealRules.isInTime(decidedAt: decided, filedAt: decided.adding(seconds: 184 * 86_400)))
    }

    @Test("a reporter cannot contest a decision that upheld their report: refused naming report_id, nothing filed", arguments: TestDatabase.all)
    func reporterContestOfUpheld(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let decider = try await h.moderator("decider")
            _ = try await removedWithStrike(client, h, decider: decider)
            let reportID = try #require(try await client.json(.get, "/v1/reporters/clip-reporter-0/reports", h).decode(API.ReportList.self).reports.first?.reportId)
            let head = try await h.auditHead()
            let refused = try await fileAppeal(client, h, #"{"report_id":"\#(reportID)","reporter_id":"clip-reporter-0","statement":"?"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.decode(API.Problem.self).field == "report_id")
            #expect(try await h.auditHead() == head)
        }
    }
}
