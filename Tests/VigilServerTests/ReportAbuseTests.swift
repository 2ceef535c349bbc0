import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import SQLKit
import VigilCore
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore

/// Issue 10's stories, through the API: no lone takedowns, coordinated groups count as one voice,
/// consequences for a dismissed group, and nothing of it reaches the creator.
@Suite("Report abuse")
struct ReportAbuseTests {
    static let aged = #","reporter_account_age_days":800"#

    func register(_ client: any TestClientProtocol, _ h: Harness, _ id: String, creator: String, kind: String = "video", views: Int = 100_000, live: Int = 0) async throws {
        let body = #"{"kind":"\#(kind)","creator_id":"\#(creator)","reach":{"views":\#(views),"live_viewers":\#(live)}}"#
        #expect(try await client.json(.put, "/v1/subjects/\(id)", h, body).status == .created)
    }

    func caseDetail(_ client: any TestClientProtocol, token: String, subject: String) async throws -> (id: String, body: [String: Any], text: String) {
        let queue = try await client.mod(.get, "/v1/mod/queue?limit=100", token: token).object()
        let entry = try #require((queue["cases"] as? [[String: Any]])?.first { $0["subject_id"] as? String == subject }, "no case for \(subject)")
        let id = try #require(entry["case_id"] as? String)
        let detail = try await client.mod(.get, "/v1/mod/cases/\(id)", token: token)
        #expect(detail.status == .ok)
        return (id, try detail.object(), detail.text)
    }

    @Test("a lone child_safety report takes nothing down and leads the queue with a one-hour deadline", arguments: TestDatabase.all)
    func loneCritical(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await register(client, h, "stream", creator: "c1", kind: "live", live: 900)
            for i in 0..<3 { _ = try await client.report(h, reporter: "viewer-\(i)", subject: "stream", reason: "hate_speech") }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "stream") == "pending_review")
            try await register(client, h, "clip", creator: "c2")
            let receipt = try await client.report(h, reporter: "worried", subject: "clip", reason: "child_safety", extra: Self.aged)
            #expect(try receipt.object()["counted"] as? Bool == true)
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "clip") == "visible")
            let triage = try await h.moderator("tia", role: .triage)
            let queue = try await client.mod(.get, "/v1/mod/queue", token: triage).object()
            let first = try #require((queue["cases"] as? [[String: Any]])?.first)
            #expect(first["subject_id"] as? String == "clip", "ahead of the live stream")
            #expect(first["urgent"] as? Bool == true)
            let opened = try #require((first["opened_at"] as? String).flatMap(Timestamp.parse))
            let deadline = try #require((first["deadline_at"] as? String).flatMap(Timestamp.parse))
            #expect(abs(opened.seconds(until: deadline) - 3_600) < 2)
            // A second, independent report corroborates it.
            _ = try await client.report(h, reporter: "another", subject: "clip", reason: "child_safety", extra: Self.aged)
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "clip") == "pending_review")
            // The same two at once on content nobody has watched are one wave: the urgent case stays.
            try await register(client, h, "unseen", creator: "c3", views: 0)
            _ = try await client.report(h, reporter: "worried", subject: "unseen", reason: "child_safety", extra: Self.aged)
            _ = try await client.report(h, reporter: "another", subject: "unseen", reason: "child_safety", extra: Self.aged)
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "unseen") == "visible")
        }
    }

    @Test("a proven reporter's child_safety report acts alone", arguments: TestDatabase.all)
    func provenReporter(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let moderator = try await h.moderator("m")
            // Five upheld reports: each lone child_safety report is queued, urgent, for review.
            for i in 0..<5 {
                try await register(client, h, "past-\(i)", creator: "c\(i)")
                _ = try await client.report(h, reporter: "sharp-eyed", subject: "past-\(i)", reason: "child_safety", extra: Self.aged)
                _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","note":"upheld"}"#)
            }
            try await register(client, h, "new-clip", creator: "c9")
            _ = try await client.report(h, reporter: "sharp-eyed", subject: "new-clip", reason: "child_safety", extra: Self.aged)
            #expect(try await client.state(h, of: "new-clip") == "pending_review")
            // An ordinary reporter's lone report on another clip does not.
            try await register(client, h, "other-clip", creator: "c10")
            _ = try await client.report(h, reporter: "first-timer", subject: "other-clip", reason: "child_safety", extra: Self.aged)
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "other-clip") == "visible")
        }
    }

    @Test("ten throwaway accounts are one voice: no takedown, the case flagged with pseudonyms and no ids", arguments: TestDatabase.all)
    func throwaways(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await register(client, h, "target", creator: "victim", views: 50_000)
            let ids = (0..<10).map { "throwaway-\($0)-x9q" }
            for id in ids { _ = try await client.report(h, reporter: id, subject: "target", reason: "harassment", extra: #","reporter_account_age_days":2"#) }
            #expect(try await client.state(h, of: "target") == "visible")
            let triage = try await h.moderator("tia", role: .triage)
            let flagged = try await client.mod(.get, "/v1/mod/queue?coordinated=true", token: triage).object()
            #expect((flagged["cases"] as? [[String: Any]])?.compactMap { $0["subject_id"] as? String } == ["target"])
            let detail = try await caseDetail(client, token: triage, subject: "target")
            let coordination = try #require(detail.body["coordination"] as? [String: Any])
            #expect(coordination["suspected"] as? Bool == true)
            let group = try #require((coordination["groups"] as? [[String: Any]])?.first)
            #expect(group["size"] as? Int == 10)
            #expect((group["signals"] as? [String])?.contains("low_trust") == true)
            #expect((group["reporters"] as? [String])?.first == "Reporter A")
            let scores = try #require(coordination["independent_scores"] as? [[String: Any]])
            #expect(scores.first?["independent_voices"] as? Int == 1)
            // No account id or lookup hash anywhere in what the moderator sees, nor in the creator's view.
            let creatorView = try await client.json(.get, "/v1/creators/victim/notices", h).text + (try await client.json(.get, "/v1/enforcement-events", h).text)
            for id in ids {
                let hash = h.app.keyring.lookupHash(of: id)
                for text in [detail.text, creatorView] {
                    #expect(!text.contains(id))
                    #expect(!text.contains(hash))
                }
            }
        }
    }

    @Test("a wave's first reports corroborate a takedown that waits; the rest of the wave within the settle period withholds it", arguments: TestDatabase.all)
    func settlePeriod(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            // Ten thousand views explain five reports in one window: the wave's first five look organic.
            try await register(client, h, "clip", creator: "c1", views: 10_000)
            for i in 0..<5 { _ = try await client.report(h, reporter: "wave-\(i)", subject: "clip", reason: "harassment", extra: Self.aged) }
            #expect(try await client.state(h, of: "clip") == "visible", "the takedown waits out the settle period")
            let triage = try await h.moderator("tia", role: .triage)
            let waiting = try #require(try await caseDetail(client, token: triage, subject: "clip").body["case"] as? [String: Any])
            let opened = try #require((waiting["opened_at"] as? String).flatMap(Timestamp.parse))
            let due = try #require((waiting["takedown_due_at"] as? String).flatMap(Timestamp.parse))
            #expect(opened < due)
            // Due one settle period after the report that corroborated it (the fifth; the case opened at the third).
            let scheduled = try #require(try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }
                .first { $0.type == AuditEventType.takedownPending.rawValue })
            // The case view shows that moment (its ISO 8601 time, read back through Date, may differ
            // by a millisecond or two; the reports came seconds apart).
            let dueAt = Timestamp(milliseconds: try scheduled.payload(as: TakedownSettlement.self).dueAt)
            #expect(abs(dueAt.seconds(until: due)) < 0.5)
            #expect(abs(scheduled.occurredAt.seconds(until: dueAt) - h.app.rules.independence.settleMinutes * 60) <= 0.001)
            // The rest of the wave arrives before the period is over: fifteen at once is a burst, one voice.
            for i in 5..<15 { _ = try await client.report(h, reporter: "wave-\(i)", subject: "clip", reason: "harassment", extra: Self.aged) }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "clip") == "visible")
            let settled = try await caseDetail(client, token: triage, subject: "clip")
            let info = try #require(settled.body["case"] as? [String: Any])
            #expect(info["takedown_due_at"] == nil)
            #expect(info["coordination_suspected"] as? Bool == true)
            let events = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }
            let withheld = try #require(events.first { $0.type == AuditEventType.takedownWithheld.rawValue })
            let payload = try withheld.payload(as: TakedownSettlement.self)
            #expect(payload.signals.contains(.burst))
            #expect(payload.independentVoices == 1)
            #expect(!events.contains { $0.type == AuditEventType.subjectStateChanged.rawValue && $0.subjectID == "clip" })
            // Settling again changes nothing: each waiting takedown is settled once.
            let head = try await h.auditHead()
            try await h.settleTakedowns()
            #expect(try await h.auditHead() == head)
            // A trusted flagger on a waiting takedown does not wait.
            try await register(client, h, "clip-2", creator: "c2", views: 10_000)
            for i in 0..<5 { _ = try await client.report(h, reporter: "viewer-\(i)", subject: "clip-2", reason: "harassment", extra: Self.aged) }
            #expect(try await client.state(h, of: "clip-2") == "visible")
            _ = try await client.report(h, reporter: "flagger", subject: "clip-2", reason: "harassment", extra: #","channel":"trusted_flagger""#)
            #expect(try await client.state(h, of: "clip-2") == "pending_review")
            let after = try #require(try await caseDetail(client, token: triage, subject: "clip-2").body["case"] as? [String: Any])
            #expect(after["takedown_due_at"] == nil)
            // A moderator who decides before the wait is over settles it: nothing is left waiting.
            try await register(client, h, "clip-3", creator: "c3", views: 10_000)
            for i in 0..<5 { _ = try await client.report(h, reporter: "watcher-\(i)", subject: "clip-3", reason: "harassment", extra: Self.aged) }
            let moderator = try await h.moderator("m")
            let waitingCase = try await caseDetail(client, token: triage, subject: "clip-3").id
            #expect(try await client.mod(.post, "/v1/mod/cases/\(waitingCase)/claim", token: moderator).status == .ok)
            let decided = try await client.mod(.post, "/v1/mod/cases/\(waitingCase)/decision", token: moderator, #"{"outcome":"no_violation","note":"fine"}"#)
            #expect(decided.status == .created || decided.status == .ok, "\(decided.text)")
            let stillWaiting = try await h.app.store.read { session in
                try await session.sql.raw("SELECT COUNT(*) AS n FROM cases WHERE takedown_due_at IS NOT NULL").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stillWaiting == 0, "a closed case keeps no takedown waiting")
            let before = try await h.auditHead()
            try await h.settleTakedowns()
            #expect(try await h.auditHead() == before)
            #expect(try await client.state(h, of: "clip-3") == "visible")
        }
    }

    @Test("a clique moving from target to target is one voice from its second target on; the creator is shielded", arguments: TestDatabase.all)
    func movingClique(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let clique = (0..<8).map { "clique-\($0)" }
            // Widely seen videos: eight reports at once are within what a million views explain.
            try await register(client, h, "first", creator: "alice", views: 1_000_000)
            try await register(client, h, "second", creator: "bob", views: 1_000_000)
            try await register(client, h, "third", creator: "bob", views: 1_000_000)
            for member in clique { _ = try await client.report(h, reporter: member, subject: "first", reason: "harassment", extra: Self.aged) }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "first") == "pending_review", "a first attack looks like organic reports")
            for member in clique { _ = try await client.report(h, reporter: member, subject: "second", reason: "harassment", extra: Self.aged) }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "second") == "visible")
            let triage = try await h.moderator("tia", role: .triage)
            let detail = try await caseDetail(client, token: triage, subject: "second")
            #expect(detail.body["case"].flatMap { ($0 as? [String: Any])?["coordination_suspected"] as? Bool } == true)
            let coordination = try #require(detail.body["coordination"] as? [String: Any])
            let group = try #require((coordination["groups"] as? [[String: Any]])?.first)
            #expect((group["signals"] as? [String])?.contains("co_reporting") == true)
            #expect((coordination["strongest_tie"] as? [String: Any])?["shared_targets"] as? Int == 2)
            let shield = try #require((detail.body["creator"] as? [String: Any])?["shield"] as? [String: Any])
            #expect(shield["active"] as? Bool == true)
            // The shield is for moderators: bob's notices say nothing of it, nor does the feed.
            let notices = try await client.json(.get, "/v1/creators/bob/notices", h).text
            #expect(!notices.contains("shield"))
            #expect(!(try await client.json(.get, "/v1/enforcement-events", h).text.contains("shield")))
            // Half the clique on bob's next video: still one voice, under a raised threshold.
            for member in clique.prefix(4) { _ = try await client.report(h, reporter: member, subject: "third", reason: "harassment", extra: Self.aged) }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "third") == "visible")
        }
    }

    @Test("five raiders cut no live stream: a wave on a small stream, co-reporters on a large one", arguments: TestDatabase.all)
    func livePileOn(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let raiders = (0..<5).map { "raider-\($0)" }
            try await register(client, h, "stream-1", creator: "streamer", kind: "live", views: 40, live: 40)
            for raider in raiders { _ = try await client.report(h, reporter: raider, subject: "stream-1", reason: "hate_speech", extra: Self.aged) }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "stream-1") == "visible", "a wave of reports on a stream of forty viewers")
            let triage = try await h.moderator("tia", role: .triage)
            let first = try await caseDetail(client, token: triage, subject: "stream-1")
            let burst = try #require((first.body["coordination"] as? [String: Any])?["burst"] as? [String: Any])
            #expect(burst["peak"] as? Int == 5, "five in one window is more than forty viewers explain")
            #expect((first.body["coordination"] as? [String: Any])?["suspected"] as? Bool == true)
            for n in 2...4 {
                try await register(client, h, "stream-\(n)", creator: "streamer", kind: "live", views: 40, live: 4_000)
                for raider in raiders { _ = try await client.report(h, reporter: raider, subject: "stream-\(n)", reason: "hate_speech", extra: Self.aged) }
                try await h.settleTakedowns()
                #expect(try await client.state(h, of: "stream-\(n)") == "visible", "stream \(n)")
            }
            let later = try await caseDetail(client, token: triage, subject: "stream-4")
            #expect(((later.body["creator"] as? [String: Any])?["shield"] as? [String: Any])?["active"] as? Bool == true)
        }
    }

    @Test("a burst of established accounts beyond what the reach explains is one wave", arguments: TestDatabase.all)
    func agedBurst(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await register(client, h, "quiet", creator: "c1", views: 300)
            for i in 0..<12 { _ = try await client.report(h, reporter: "aged-\(i)", subject: "quiet", reason: "harassment", extra: Self.aged) }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "quiet") == "visible")
            let triage = try await h.moderator("tia", role: .triage)
            let detail = try await caseDetail(client, token: triage, subject: "quiet")
            let group = try #require(((detail.body["coordination"] as? [String: Any])?["groups"] as? [[String: Any]])?.first)
            #expect(group["size"] as? Int == 12)
            #expect((group["signals"] as? [String])?.contains("burst") == true)
            #expect(((detail.body["creator"] as? [String: Any])?["shield"] as? [String: Any])?["active"] as? Bool == true, "eight or more in one group shield the creator")
        }
    }

    @Test("below the threshold the independence review queues a wave, flagged, from its second report, and credible voices, unflagged; each once", arguments: TestDatabase.all)
    func reviewBelowThreshold(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            // Three established accounts at once: past half of harassment's threshold (5), short of it.
            try await register(client, h, "small", creator: "c1", views: 300)
            try await register(client, h, "wide", creator: "c2", views: 1_000_000)
            for subject in ["small", "wide"] {
                for i in 0..<3 { _ = try await client.report(h, reporter: "\(subject)-\(i)", subject: subject, reason: "harassment", extra: Self.aged) }
            }
            // Two at once on a small audience are a wave too, short of half the threshold; one report is not.
            try await register(client, h, "pair", creator: "c3", views: 300)
            try await register(client, h, "lone", creator: "c4", views: 300)
            for i in 0..<2 { _ = try await client.report(h, reporter: "pair-\(i)", subject: "pair", reason: "harassment", extra: Self.aged) }
            _ = try await client.report(h, reporter: "lone-0", subject: "lone", reason: "harassment", extra: Self.aged)
            try await h.reviewIndependence()
            try await h.reviewIndependence()
            let triage = try await h.moderator("tia", role: .triage)
            let small = try await caseDetail(client, token: triage, subject: "small")
            #expect((small.body["case"] as? [String: Any])?["coordination_suspected"] as? Bool == true, "three at once on 300 views is a wave")
            let wide = try await caseDetail(client, token: triage, subject: "wide")
            #expect((wide.body["case"] as? [String: Any])?["coordination_suspected"] as? Bool == false, "three independent voices are worth a look")
            #expect(try await client.state(h, of: "small") == "visible")
            #expect(try await client.state(h, of: "wide") == "visible")
            let events = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }
            #expect(events.filter { $0.type == AuditEventType.caseOpened.rawValue }.compactMap(\.subjectID).sorted() == ["pair", "small", "wide"], "one case each, however many passes")
            #expect(events.filter { $0.type == AuditEventType.coordinationSuspected.rawValue }.compactMap(\.subjectID).sorted() == ["pair", "small"])
            try await h.reviewIndependence()
            #expect(try await h.app.store.read { try await $0.eventsAwaitingIndependenceReview() } == false, "a pass reads to the newest event")
            try await h.expectAuditIntact()
        }
    }

    @Test("two independence review passes that read the same reports write once, over several transactions; a case intake opened meanwhile is not doubled", arguments: TestDatabase.all)
    func reviewPassesInTurn(database: TestDatabase) async throws {
        // The maintenance service's own passes would move the cursor in between: it waits an hour.
        try await withHarness(database: database, maintenanceInterval: .seconds(3_600)) { client, h async throws in
            // A subject to a write, so a pass is two transactions, and the second pass is stopped at its first.
            let review = IndependenceReview(store: h.app.store, policy: h.app.policy, rules: h.app.rules, subjectsPerWrite: 1)
            try await register(client, h, "small", creator: "c1", views: 300)
            try await register(client, h, "wide", creator: "c2", views: 1_000_000)
            for subject in ["small", "wide"] {
                for i in 0..<3 { _ = try await client.report(h, reporter: "\(subject)-\(i)", subject: subject, reason: "harassment", extra: Self.aged) }
            }
            let now = h.app.clock.now()
            // Two nodes' passes read the same reports before either writes.
            let first = try #require(try await review.pending(at: now))
            let second = try #require(try await review.pending(at: now))
            #expect(first.subjects.map(\.id) == ["small", "wide"] && second.subjects.map(\.id) == ["small", "wide"])
            #expect(first.writes(of: 1).map { $0.map(\.id) } == [["small"], ["wide"]])
            // Meanwhile two more reports bring "wide" to harassment's threshold, and intake opens its case itself.
            for i in 3..<5 { _ = try await client.report(h, reporter: "wide-\(i)", subject: "wide", reason: "harassment", extra: Self.aged) }
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 1)
            #expect(try await review.apply(first, at: now), "the first pass writes")
            #expect(try await review.apply(second, at: now) == false, "the second read from a cursor the first has moved: it writes nothing")
            try await h.reviewIndependence()
            let events = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }
            #expect(events.filter { $0.type == AuditEventType.caseOpened.rawValue }.compactMap(\.subjectID).sorted() == ["small", "wide"], "one case each")
            #expect(events.filter { $0.type == AuditEventType.coordinationSuspected.rawValue }.compactMap(\.subjectID) == ["small"], "flagged once")
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 2)
            #expect(try await h.app.store.read { try await $0.eventsAwaitingIndependenceReview() } == false)
            try await h.expectAuditIntact()
        }
    }

    @Test("organic independent reporters take content down; the case is not flagged", arguments: TestDatabase.all)
    func organic(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await register(client, h, "viral", creator: "c1", views: 200_000)
            for i in 0..<3 { _ = try await client.report(h, reporter: "viewer-\(i)", subject: "viral", reason: "hate_speech", extra: Self.aged) }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "viral") == "pending_review")
            let triage = try await h.moderator("tia", role: .triage)
            let detail = try await caseDetail(client, token: triage, subject: "viral")
            #expect((detail.body["coordination"] as? [String: Any])?["suspected"] as? Bool == false)
        }
    }

    @Test("a group found wrong weighs less next time: dismissed records, co-reports kept as evidence", arguments: TestDatabase.all)
    func dismissedGroup(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let group = (0..<6).map { "group-\($0)" }
            try await register(client, h, "a", creator: "c1", views: 1_000_000)
            for member in group { _ = try await client.report(h, reporter: member, subject: "a", reason: "harassment", extra: Self.aged) }
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "a") == "pending_review")
            let moderator = try await h.moderator("m")
            _ = try await client.decideNext(moderator, #"{"outcome":"no_violation","note":"nothing there"}"#)
            #expect(try await client.state(h, of: "a") == "visible")
            // The next attempt, elsewhere: each report weighs less, and the group is one voice.
            try await register(client, h, "b", creator: "c2", views: 1_000_000)
            var weights: [Double] = []
            for member in group {
                let receipt = try await client.report(h, reporter: member, subject: "b", reason: "harassment", extra: Self.aged)
                #expect(receipt.status == .created)
            }
            try await h.settleTakedowns()
            let triage = try await h.moderator("tia", role: .triage)
            let page = try await client.mod(.get, "/v1/mod/cases/\(try await caseDetail(client, token: triage, subject: "b").id)/reports", token: triage).object()
            for entry in try #require(page["reports"] as? [[String: Any]]) {
                if let weight = entry["weight"] as? Double { weights.append(weight) }
            }
            #expect(weights.count == 6)
            #expect(weights.allSatisfy { $0 < 1 }, "\(weights)")
            #expect(try await client.state(h, of: "b") == "visible")
            let detail = try await caseDetail(client, token: triage, subject: "b")
            let tie = try #require((detail.body["coordination"] as? [String: Any])?["strongest_tie"] as? [String: Any])
            #expect(tie["dismissed_together"] as? Int == 1)
        }
    }
}
