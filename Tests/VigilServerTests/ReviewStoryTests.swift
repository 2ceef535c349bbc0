import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

/// The stories of DESIGN.md §6, through the HTTP API, with the anonymity checks run over every
/// output each party receives.
@Suite("Review stories")
struct ReviewStoryTests {
    static let reporters = ["story-reporter-ONE-4411", "story-reporter-TWO-8822", "story-reporter-THREE-3377"]

    /// Everything stored about the reporters that must never appear in an output: their ids,
    /// keyed hashes and seals.
    func secrets(_ h: Harness) async throws -> [String] {
        let stored = try await h.app.store.read { session in
            try await session.sql.raw("SELECT reporter_hash, reporter_seal FROM reports").all().map {
                [try $0.decode(column: "reporter_hash", as: String.self), try $0.decode(column: "reporter_seal", as: String.self)]
            }
        }
        return Self.reporters + stored.flatMap { $0 }
    }

    func expectNoSecrets(_ outputs: [String: String], _ secrets: [String]) {
        for (name, text) in outputs {
            for secret in secrets { #expect(!text.contains(secret), "\(name) contains a reporter secret") }
        }
    }

    @Test("reports → pending_review → queue → violation with strike → removed, notices, credibility, feed, audit", arguments: TestDatabase.all)
    func violationStory(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "clip", creator: "creator-S")
            for reporter in Self.reporters {
                _ = try await client.report(h, reporter: reporter, subject: "clip", reason: "hate_speech", extra: #","note":"slur at 0:12""#)
            }
            try await h.settleTakedowns()
            var outputs: [String: String] = [:]
            outputs["subject after reports"] = try await client.json(.get, "/v1/subjects/clip", h).text
            #expect(try await client.state(h, of: "clip") == "pending_review")
            let provisional = try await client.typedNotices(h, creator: "creator-S")
            #expect(provisional.count == 1)
            let statement = try #require(provisional.first?.content)
            #expect(statement.restriction?.type == "pending_review")
            #expect(statement.automatedDecision == true)
            #expect(statement.grounds?.first?.policyId == "hate_speech")

            let moderator = try await h.moderator("mona")
            let queue = try await client.mod(.get, "/v1/mod/queue", token: moderator)
            outputs["queue"] = queue.text
            let caseID = try #require(try queue.decode(API.Queue.self).cases.first?.caseId)
            let claimed = try await client.mod(.post, "/v1/mod/queue/next", token: moderator).decode(API.Claim.self)
            #expect(claimed.caseId == caseID)
            #expect(claimed.heldBy == "mona")
            let view = try await client.mod(.get, "/v1/mod/cases/\(caseID)", token: moderator)
            outputs["case view"] = view.text
            let detail = try view.object()
            let history = try #require(detail["score_history"] as? [[String: Any]])
            #expect(history.last?["cumulative"] as? Double == 3)
            #expect(history.compactMap { $0["reports"] as? Int }.reduce(0, +) == 3)
            let summary = try #require(detail["report_summary"] as? [String: Any])
            let byReason = try #require(summary["by_reason"] as? [[String: Any]])
            #expect(byReason.first?["reason"] as? String == "hate_speech")
            #expect(byReason.first?["reports"] as? Int == 3)
            let page = try await client.mod(.get, "/v1/mod/cases/\(caseID)/reports", token: moderator)
            outputs["case reports"] = page.text
            let reports = try #require(try page.object()["reports"] as? [[String: Any]])
            #expect(reports.compactMap { $0["reporter"] as? String } == ["Reporter A", "Reporter B", "Reporter C"])
            #expect(reports.first?["note"] as? String == "slur at 0:12")

            let decision = try await client.mod(.post, "/v1/mod/cases/\(caseID)/decision", token: moderator,
                #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":true,"note":"Slur at 0:12, no context"}"#)
            #expect(decision.status == .created, "\(decision.text)")
            outputs["decision"] = decision.text
            let decisionID = try decision.decode(API.Decision.self).decisionId
            #expect(try await client.state(h, of: "clip") == "removed")
            outputs["subject after decision"] = try await client.json(.get, "/v1/subjects/clip", h).text

            // The creator: the provisional statement, the removal with its decision id, and the strike's warning.
            let creatorNotices = try await client.typedNotices(h, creator: "creator-S")
            outputs["creator notices"] = try await client.json(.get, "/v1/creators/creator-S/notices", h).text
            #expect(creatorNotices.count == 3)
            #expect(Set(creatorNotices.compactMap(\.content.restriction?.type)) == ["pending_review", "removed", "warning"])
            let removal = try #require(creatorNotices.first { $0.content.restriction?.type == "removed" })
            #expect(removal.decisionId == decisionID)
            #expect(removal.content.appealableDecisionId == decisionID)
            #expect(removal.content.appealDeadline != nil)

            // Each reporter: action taken, and a better track record.
            for reporter in Self.reporters {
                #expect(try await client.reportStatuses(h, reporter: reporter) == ["action_taken"])
            }
            let records = try await h.app.store.read { try await $0.reporters(hashes: Self.reporters.map(h.app.keyring.lookupHash)) }
            #expect(records.values.allSatisfy { $0.record.upheld == 1 && $0.record.dismissed == 0 && $0.pending == 0 })
            #expect(records.count == 3)

            // The platform's feed: taken down, removed, and the account warning.
            outputs["enforcement feed"] = try await client.json(.get, "/v1/enforcement-events", h).text
            let feed = try await client.feed(h)
            #expect(feed.events.map(\.type) == ["subject.state_changed", "subject.state_changed", "account_action.applied"])
            #expect(feed.events.compactMap(\.data.to) == ["pending_review", "removed"])
            let cursor = feed.nextCursor
            let after = try await client.feed(h, after: cursor)
            #expect(after.events.isEmpty)
            #expect(after.nextCursor == cursor)

            // The case is closed: no second decision.
            let again = try await client.mod(.post, "/v1/mod/cases/\(caseID)/decision", token: moderator, #"{"outcome":"no_violation","note":"changed my mind"}"#)
            #expect(again.status == .conflict)

            try await h.expectAuditIntact()
            expectNoSecrets(outputs, try await secrets(h))
        }
    }

    @Test("reports → pending_review → no_violation → visible again, reporters dismissed, creator told", arguments: TestDatabase.all)
    func noViolationStory(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "dance", creator: "creator-T")
            for reporter in Self.reporters { _ = try await client.report(h, reporter: reporter, subject: "dance", reason: "hate_speech") }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "dance") == "pending_review")
            let moderator = try await h.moderator("nico")
            var outputs: [String: String] = [:]
            let decision = try await client.decideNextTyped(moderator, #"{"outcome":"no_violation","note":"Choreography, nothing hateful"}"#)
            #expect(decision.resultingState == "visible")
            #expect(try await client.state(h, of: "dance") == "visible")
            outputs["subject"] = try await client.json(.get, "/v1/subjects/dance", h).text
            let notices = try await client.typedNotices(h, creator: "creator-T")
            outputs["creator notices"] = try await client.json(.get, "/v1/creators/creator-T/notices", h).text
            #expect(notices.map(\.kind) == ["restriction_lifted", "statement_of_reasons"])
            for reporter in Self.reporters {
                #expect(try await client.reportStatuses(h, reporter: reporter) == ["no_violation"])
            }
            let records = try await h.app.store.read { try await $0.reporters(hashes: Self.reporters.map(h.app.keyring.lookupHash)) }
            #expect(records.values.allSatisfy { $0.record.dismissed == 1 && $0.record.upheld == 0 && $0.pending == 0 })
            outputs["feed"] = try await client.json(.get, "/v1/enforcement-events", h).text
            #expect(try await client.feed(h).events.compactMap(\.data.to) == ["pending_review", "visible"])
            try await h.expectAuditIntact()
            expectNoSecrets(outputs, try await secrets(h))
        }
    }

    @Test("after a decision: the same reason needs the full threshold again; a new reason opens review without a takedown", arguments: TestDatabase.all)
    func reportsAfterDecision(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v")
            for i in 0..<3 { _ = try await client.report(h, reporter: "first-\(i)", subject: "v", reason: "hate_speech") }
            let moderator = try await h.moderator("omar")
            _ = try await client.decideNext(moderator, #"{"outcome":"no_violation","note":"fine"}"#)
            // Later: reports arriving right after the decision would still be part of the first wave.
            h.time.advance(seconds: h.app.rules.independence.burstWindowMinutes * 60)
            for i in 0..<2 { _ = try await client.report(h, reporter: "second-\(i)", subject: "v", reason: "hate_speech") }
            #expect(try await client.state(h, of: "v") == "visible", "old weight is spent: two new reports are not enough to take it down")
            try await h.reviewIndependence()
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 1, "but two credible voices are worth a look")
            _ = try await client.report(h, reporter: "third", subject: "v", reason: "spam")
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 1, "one case per subject")
            #expect(try await client.state(h, of: "v") == "visible", "a new reason takes nothing down")
            _ = try await client.report(h, reporter: "second-2", subject: "v", reason: "hate_speech")
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "v") == "pending_review", "the full threshold of new weight takes it down again")
        }
    }
}
