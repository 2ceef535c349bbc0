import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

@Suite("Claims and the queue")
struct ClaimAndQueueTests {
    @Test("concurrent claims on one case: exactly one moderator gets it", arguments: TestDatabase.all)
    func concurrentClaims(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v")
            _ = try await client.report(h, reporter: "r", subject: "v", reason: "child_safety")
            let caseID = try #require(try await h.app.store.read { try await $0.openCases(subjectIDs: ["v"]) }["v"]?.id)
            var tokens: [String] = []
            for i in 0..<16 { tokens.append(try await h.moderator("m\(i)")) }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for token in tokens {
                    group.addTask { try await client.mod(.post, "/v1/mod/cases/\(caseID)/claim", token: token).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 15)
        }
    }

    @Test("concurrent queue/next: no case goes to two moderators", arguments: TestDatabase.all)
    func concurrentNext(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            for i in 0..<6 {
                try await client.register(h, id: "v\(i)")
                _ = try await client.report(h, reporter: "r", subject: "v\(i)", reason: "child_safety")
            }
            var tokens: [String] = []
            for i in 0..<10 { tokens.append(try await h.moderator("m\(i)")) }
            let claimed = try await withThrowingTaskGroup(of: String?.self) { group in
                for token in tokens {
                    group.addTask {
                        let response = try await client.mod(.post, "/v1/mod/queue/next", token: token)
                        return response.status == .ok ? try response.object()["case_id"] as? String : nil
                    }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            #expect(claimed.count == 6)
            #expect(Set(claimed).count == 6)
            #expect(try await client.mod(.post, "/v1/mod/queue/next", token: tokens[0]).status == .noContent)
        }
    }

    @Test("an expired lease returns the case to the queue; the old holder can no longer decide", arguments: TestDatabase.all)
    func leaseExpiry(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v")
            _ = try await client.report(h, reporter: "r", subject: "v", reason: "child_safety")
            let first = try await h.moderator("first")
            let second = try await h.moderator("second")
            let caseID = try #require(try await client.mod(.post, "/v1/mod/queue/next", token: first).object()["case_id"] as? String)
            let lease = ModerationRules.standard.claimLeaseSeconds
            h.time.advance(seconds: lease * 2 / 3)
            #expect(try await client.mod(.post, "/v1/mod/cases/\(caseID)/claim", token: second).status == .conflict)
            #expect(try await client.mod(.post, "/v1/mod/cases/\(caseID)/claim", token: first).status == .ok, "the holder renews")
            h.time.advance(seconds: lease * 2 / 3)
            #expect(try await client.mod(.post, "/v1/mod/cases/\(caseID)/claim", token: second).status == .conflict,
                    "past the first lease, the renewed one still holds")
            h.time.advance(seconds: lease / 3 + 1)
            let queue = try await client.mod(.get, "/v1/mod/queue?claimed=false", token: second).object()
            #expect((queue["cases"] as? [Any])?.count == 1, "back in the queue")
            #expect(try await client.mod(.post, "/v1/mod/cases/\(caseID)/claim", token: second).status == .ok)
            let late = try await client.mod(.post, "/v1/mod/cases/\(caseID)/decision", token: first, #"{"outcome":"no_violation","note":"late"}"#)
            #expect(late.status == .conflict)
            #expect(try await client.mod(.post, "/v1/mod/cases/\(caseID)/release", token: second).status == .noContent)
            #expect(try await client.mod(.post, "/v1/mod/cases/\(caseID)/release", token: second).status == .conflict)
        }
    }

    @Test("queue order: urgent lone critical reports first, then live, then overdue, then severity; filters and pages", arguments: TestDatabase.all)
    func order(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            // Audiences that explain ten reports at once; different creators, so no pile-on.
            try await client.register(h, id: "video-spam", creator: "c1", views: 100_000)
            try await client.register(h, id: "video-critical", creator: "c2")
            try await client.register(h, id: "live-hate", creator: "c3", kind: "live", liveViewers: 300)
            try await client.register(h, id: "video-hate", creator: "c4")
            for i in 0..<10 { _ = try await client.report(h, reporter: "s\(i)", subject: "video-spam", reason: "spam") }
            _ = try await client.report(h, reporter: "c", subject: "video-critical", reason: "child_safety")
            for i in 0..<2 { _ = try await client.report(h, reporter: "l\(i)", subject: "live-hate", reason: "hate_speech") }
            for i in 0..<3 { _ = try await client.report(h, reporter: "h\(i)", subject: "video-hate", reason: "hate_speech") }
            try await h.settleTakedowns()
            let triage = try await h.moderator("tia", role: .triage)
            func ids(_ query: String) async throws -> [String] {
                let page = try await client.mod(.get, "/v1/mod/queue\(query)", token: triage)
                #expect(page.status == .ok, "\(page.text)")
                return try #require(try page.object()["cases"] as? [[String: Any]]).compactMap { $0["subject_id"] as? String }
            }
            // The lone child_safety report took nothing down but leads the queue.
            #expect(try await ids("") == ["video-critical", "live-hate", "video-hate", "video-spam"])
            #expect(try await ids("?kind=video&category=hate_speech") == ["video-hate"])
            #expect(try await ids("?overdue=true").isEmpty)
            #expect(try await ids("?state=pending_review").count == 3)
            #expect(try await ids("?state=visible") == ["video-critical"])

            // Let the spam case's deadline pass: once the sweep marks it overdue, it rises above the
            // other videos, still after live.
            try await h.app.store.write { tx in
                try await tx.sql.raw("UPDATE cases SET deadline_at = 1 WHERE subject_id = 'video-spam'").run()
            }
            // The background sweep may get there first; either way the case is marked once.
            _ = try await h.app.maintenance.sweep(at: .now())
            #expect(try await h.app.store.read { try await $0.sql.raw("SELECT COUNT(*) AS n FROM cases WHERE overdue = 1").first()?.decode(column: "n", as: Int.self) } == 1)
            #expect(try await ids("") == ["video-critical", "live-hate", "video-spam", "video-hate"])
            #expect(try await ids("?overdue=true") == ["video-spam"])

            let first = try await client.mod(.get, "/v1/mod/queue?limit=3", token: triage).object()
            #expect((first["cases"] as? [[String: Any]])?.first?["urgent"] as? Bool == true)
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try await client.mod(.get, "/v1/mod/queue?limit=3&cursor=\(cursor)", token: triage).object()
            #expect((second["cases"] as? [[String: Any]])?.compactMap { $0["subject_id"] as? String } == ["video-hate"])
            #expect(second["next_cursor"] is NSNull)
        }
    }

    @Test("roles: triage reads the queue but cannot claim or decide; platform keys do not open the moderator API", arguments: TestDatabase.all)
    func roles(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v")
            _ = try await client.report(h, reporter: "r", subject: "v", reason: "child_safety")
            let triage = try await h.moderator("tia", role: .triage)
            let appeals = try await h.moderator("ada", role: .appeals)
            #expect(try await client.mod(.get, "/v1/mod/queue", token: triage).status == .ok)
            let refused = try await client.mod(.post, "/v1/mod/queue/next", token: triage)
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try await client.mod(.get, "/v1/mod/queue", token: appeals).status == .forbidden)
            #expect(try await client.mod(.get, "/v1/mod/queue", token: h.token).status == .unauthorized)
            #expect(try await client.json(.get, "/v1/subjects/v", h, headers: [.authorization: "Bearer \(triage)"]).status == .unauthorized)
            let admin = try await h.moderator("root", role: .admin)
            #expect(try await client.mod(.post, "/v1/mod/queue/next", token: admin).status == .ok)
        }
    }

    @Test("bad moderator input: a problem naming the field, nothing written", arguments: TestDatabase.all, [
        ("/v1/mod/cases/CASE/decision", #"{"outcome":"maybe","note":"x"}"#, HTTPResponse.Status.unprocessableContent, "outcome" as String?),
        ("/v1/mod/cases/CASE/decision", #"{"outcome":"violation","note":"x"}"#, .unprocessableContent, "policy_ids"),
        ("/v1/mod/cases/CASE/decision", #"{"outcome":"violation","policy_ids":["spam"],"note":"x"}"#, .unprocessableContent, "action"),
        ("/v1/mod/cases/CASE/decision", #"{"outcome":"violation","policy_ids":["spam"],"action":"ban","note":"x"}"#, .unprocessableContent, "action"),
        ("/v1/mod/cases/CASE/decision", #"{"outcome":"no_violation","strike":true,"note":"x"}"#, .unprocessableContent, "strike"),
        ("/v1/mod/cases/CASE/decision", #"{"outcome":"no_violation"}"#, .unprocessableContent, "note"),
        ("/v1/mod/cases/CASE/decision", #"{"outcome":"no_violation","strike":"yes","note":"x"}"#, .unprocessableContent, "strike"),
        ("/v1/mod/cases/CASE/decision", #"{"outcome":"#, .badRequest, nil),
        ("/v1/mod/cases/nope/decision", #"{"outcome":"no_violation","note":"x"}"#, .notFound, nil),
        ("/v1/mod/cases/nope/claim", nil, .notFound, nil),
    ] as [(String, String?, HTTPResponse.Status, String?)])
    func badInput(database: TestDatabase, row: (String, String?, HTTPResponse.Status, String?)) async throws {
        let (path, body, status, field) = row
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v")
            _ = try await client.report(h, reporter: "r", subject: "v", reason: "child_safety")
            _ = try await client.report(h, reporter: "r2", subject: "v", reason: "child_safety")
            try await h.settleTakedowns()
            let moderator = try await h.moderator("m")
            let caseID = try #require(try await client.mod(.post, "/v1/mod/queue/next", token: moderator).object()["case_id"] as? String)
            let head = try await h.auditHead()
            let response = try await client.mod(.post, path.replacingOccurrences(of: "CASE", with: caseID), token: moderator, body)
            #expect(response.status == status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try response.object()["field"] as? String == field)
            #expect(try await h.auditHead() == head)
            #expect(try await client.state(h, of: "v") == "pending_review")
        }
    }

    @Test("bad queue filters are refused", arguments: TestDatabase.all, ["?kind=photo", "?state=gone", "?overdue=maybe", "?claimed=1", "?limit=0", "?limit=x", "?cursor=zzz", "?category=rudeness"])
    func badFilters(database: TestDatabase, query: String) async throws {
        try await withHarness(database: database) { client, h async throws in
            let triage = try await h.moderator("t", role: .triage)
            let response = try await client.mod(.get, "/v1/mod/queue\(query)", token: triage)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }
}
