import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
import VigilCore

@Suite("Report intake")
struct IntakeTests {
    @Test("a report is received and counted; the same reporter again is a duplicate, not counted", arguments: TestDatabase.all)
    func receivedThenDuplicate(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let first = try await client.report(h, reporter: "r1", subject: "v1")
            #expect(first.status == .created)
            let receipt = try first.object()
            #expect(receipt["status"] as? String == "received")
            #expect(receipt["counted"] as? Bool == true)
            let again = try await client.report(h, reporter: "r1", subject: "v1", reason: "harassment")
            #expect(again.status == .ok)
            #expect(try again.object()["status"] as? String == "duplicate")
            #expect(try again.object()["counted"] as? Bool == false)
            #expect(try again.object()["report_id"] as? String == receipt["report_id"] as? String)
            #expect(try await h.reportCount() == 1)
        }
    }

    @Test("an idempotency key replays the first response; a different body under it is refused", arguments: TestDatabase.all)
    func idempotency(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let headers: HTTPFields = [idempotencyKey: "retry-123"]
            let first = try await client.report(h, reporter: "r1", subject: "v1", headers: headers)
            let retry = try await client.report(h, reporter: "r1", subject: "v1", headers: headers)
            #expect(first.status == .created)
            #expect(retry.status == .created)
            #expect(first.text == retry.text)
            let head = try await h.auditHead()
            let other = try await client.report(h, reporter: "r2", subject: "v1", headers: headers)
            #expect(other.status == .unprocessableContent)
            #expect(try other.object()["field"] as? String == "Idempotency-Key")
            #expect(try await h.reportCount() == 1)
            #expect(try await h.auditHead() == head)

            // Keys are per API key: another key's same idempotency key is a different request.
            let second = try await h.key(scopes: [.reportsWrite])
            let fresh = try await client.execute(
                uri: "/v1/reports", method: .post,
                headers: [.authorization: "Bearer \(second)", .contentType: "application/json", idempotencyKey: "retry-123"],
                body: ByteBuffer(string: #"{"reporter_id":"r3","subject_id":"v1","reason":"spam"}"#))
            #expect(fresh.status == .created)
            #expect(try await h.reportCount() == 2)
        }
    }

    @Test("concurrent retries with one idempotency key create one report", arguments: TestDatabase.all)
    func concurrentRetries(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await client.report(h, reporter: "r1", subject: "v1", headers: [idempotencyKey: "same"]).text }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(bodies.count == 1)
            #expect(try await h.reportCount() == 1)
        }
    }

    @Test("a second independent child_safety report takes a video down; the case opened by the first stays the one case", arguments: TestDatabase.all)
    func criticalTakedown(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            #expect(try await client.state(h, of: "v1") == "visible")
            _ = try await client.report(h, reporter: "r1", subject: "v1", reason: "child_safety")
            #expect(try await client.state(h, of: "v1") == "visible")
            _ = try await client.report(h, reporter: "r2", subject: "v1", reason: "child_safety")
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "v1") == "pending_review")
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 1)
        }
    }

    @Test("newcomers' spam leaves a video visible but takes a live stream down", arguments: TestDatabase.all)
    func liveFaster(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "video")
            // A stream with an audience: six reports at once are what 500 viewers can produce.
            let stream = try await client.json(.put, "/v1/subjects/stream", h, #"{"kind":"live","creator_id":"creator-2","reach":{"views":1000,"live_viewers":500}}"#)
            #expect(stream.status == .created)
            for i in 1...6 {
                // Different people on each: the same six on both would be co-reporters, one voice.
                _ = try await client.report(h, reporter: "newcomer-\(i)", subject: "video")
                _ = try await client.report(h, reporter: "viewer-\(i)", subject: "stream")
                try await h.settleTakedowns()
                let expectedLive = i >= 6 ? "pending_review" : "visible"
                #expect(try await client.state(h, of: "stream") == expectedLive, "after \(i) reports")
            }
            #expect(try await client.state(h, of: "video") == "visible")
            // Both are queued: the stream taken down, the video for review (six credible voices are half of ten and more).
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 2)
        }
    }

    @Test("new accounts are one voice together: two of them take nothing down; an established reporter corroborates", arguments: TestDatabase.all)
    func newAccounts(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let response = try await client.report(h, reporter: "fresh", subject: "v1", reason: "child_safety", extra: #","reporter_account_age_days":2"#)
            #expect(try response.object()["counted"] as? Bool == true)
            #expect(try await client.state(h, of: "v1") == "visible")
            _ = try await client.report(h, reporter: "fresh-2", subject: "v1", reason: "child_safety", extra: #","reporter_account_age_days":3"#)
            #expect(try await client.state(h, of: "v1") == "visible")
            _ = try await client.report(h, reporter: "old-hand", subject: "v1", reason: "child_safety", extra: #","reporter_account_age_days":900"#)
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "v1") == "pending_review")
        }
    }

    @Test("concurrent reports are all committed, each once, in one valid chain", arguments: TestDatabase.all)
    func groupCommit(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            // Widely seen subjects: thirty reports at once are within what their audience explains.
            for s in 0..<10 {
                #expect(try await client.json(.put, "/v1/subjects/s\(s)", h, #"{"kind":"video","creator_id":"c\#(s)","reach":{"views":200000}}"#).status == .created)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<300 {
                    group.addTask { try await client.report(h, reporter: "reporter-\(i)", subject: "s\(i % 10)").status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created })
            #expect(try await h.reportCount() == 300)
            let verification = try await h.app.store.verifyAuditLog()
            guard case .intact(let events) = verification else {
                Issue.record("audit chain broken: \(verification)")
                return
            }
            // 1 key + 10 registrations + 300 reports + 10 takedowns + 10 cases (30 spam reports each).
            #expect(events == 1 + 10 + 300 + 10 + 10)
        }
    }

    @Test("a reporter sees their own reports, newest first, page by page", arguments: TestDatabase.all)
    func inbox(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            for s in 0..<5 { try await client.register(h, id: "s\(s)") }
            for s in 0..<5 { _ = try await client.report(h, reporter: "me", subject: "s\(s)") }
            _ = try await client.report(h, reporter: "someone-else", subject: "s0")
            let page1 = try await client.json(.get, "/v1/reporters/me/reports?limit=3", h).object()
            let items1 = try #require(page1["reports"] as? [[String: Any]])
            #expect(items1.map { $0["subject_id"] as? String } == ["s4", "s3", "s2"])
            #expect(items1.allSatisfy { $0["status"] as? String == "open" })
            let cursor = try #require(page1["next_cursor"] as? String)
            let page2 = try await client.json(.get, "/v1/reporters/me/reports?limit=3&cursor=\(cursor)", h).object()
            let items2 = try #require(page2["reports"] as? [[String: Any]])
            #expect(items2.map { $0["subject_id"] as? String } == ["s1", "s0"])
            #expect(page2["next_cursor"] is NSNull)
            let nobody = try await client.json(.get, "/v1/reporters/nobody/reports", h).object()
            #expect((nobody["reports"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("the trusted_flagger channel needs the reports:trusted scope", arguments: TestDatabase.all)
    func trustedScope(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let plain = try await h.key(scopes: [.reportsWrite])
            let refused = try await client.execute(
                uri: "/v1/reports", method: .post, headers: [.authorization: "Bearer \(plain)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"reporter_id":"tf","subject_id":"v1","reason":"hate_speech","channel":"trusted_flagger"}"#))
            #expect(refused.status == .forbidden)
            #expect(try await h.reportCount() == 0)
            let accepted = try await client.report(h, reporter: "tf", subject: "v1", reason: "hate_speech", extra: #","channel":"trusted_flagger""#)
            #expect(accepted.status == .created)
            // A trusted flagger weighs 3: enough on its own for hate speech on a video.
            #expect(try await client.state(h, of: "v1") == "pending_review")
        }
    }

    @Test("an illegal-content notice is accepted with its legal fields and queued", arguments: TestDatabase.all)
    func illegalContentNotice(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let notice = #","channel":"illegal_content_notice","notice":{"explanation":"Defamation under national law","location_url":"https://example.com/v/1","notifier_name":"N. Otifier","notifier_email":"n@example.com"}"#
            let response = try await client.report(h, reporter: "lawyer", subject: "v1", reason: "hate_speech", extra: notice)
            #expect(response.status == .created)
            #expect(try await client.state(h, of: "v1") == "visible", "one notice below the threshold takes nothing down")
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 1, "but a human must look")
        }
    }

    @Test("each reporter is rate limited, and the refused report is not written", arguments: TestDatabase.all)
    func rateLimited(database: TestDatabase) async throws {
        try await withHarness(database: database, reportsPerMinute: 3) { client, h async throws in
            for s in 0..<4 { try await client.register(h, id: "s\(s)") }
            for s in 0..<3 { #expect(try await client.report(h, reporter: "eager", subject: "s\(s)").status == .created) }
            let limited = try await client.report(h, reporter: "eager", subject: "s3")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(limited.headers[.contentType] == "application/problem+json")
            #expect(try await client.report(h, reporter: "someone-else", subject: "s3").status == .created)
            #expect(try await h.reportCount() == 4)
        }
    }

    @Test("reports cannot be deleted, edited or replaced", arguments: TestDatabase.all, [HTTPRequest.Method.delete, .patch, .put])
    func immutable(database: TestDatabase, method: HTTPRequest.Method) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let id = try #require(try await client.report(h, reporter: "r1", subject: "v1").object()["report_id"] as? String)
            let response = try await client.json(method, "/v1/reports/\(id)", h, method == .delete ? nil : #"{"reason":"other"}"#)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.headers[.allow] == "", "an empty Allow: a report answers no method at its own path")
            let listed = try await client.json(.get, "/v1/reporters/r1/reports", h).object()
            let items = try #require(listed["reports"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["reason"] as? String == "spam")
        }
    }

    @Test("a known path asked with a method it does not answer is a 405 listing the methods it does", arguments: [
        (HTTPRequest.Method.trace, "/v1/subjects/x", "GET, PUT"),
        (.delete, "/v1/subjects/x", "GET, PUT"),
        (.patch, "/v1/mod/queue", "GET"),
        (.get, "/v1/reports", "POST"),
        (.options, "/v1/reports/rpt_1", ""),
        (.post, "/healthz", "GET"),
    ])
    func allowHeader(method: HTTPRequest.Method, path: String, allow: String) async throws {
        try await withHarness(database: .sqlite) { client, h async throws in
            let response = try await client.execute(uri: path, method: method, headers: [:])
            #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
            #expect(response.headers[.allow] == allow)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try await client.execute(uri: "/v1/no-such-thing", method: method, headers: [:]).status == .notFound)
        }
    }
}
