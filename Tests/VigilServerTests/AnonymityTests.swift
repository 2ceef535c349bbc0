import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import VigilServer
import VigilCore
@testable import VigilStore

/// DESIGN.md §3: reports from known reporter ids, then a search of every creator-facing response,
/// every log line, and the raw bytes of the database files for those ids. Zero hits.
@Suite("Anonymity, end to end")
struct AnonymityTests {
    static let reporters = ["anon-reporter-ALPHA-93f1", "anon-reporter-BRAVO-5c2e", "anon-reporter-CHARLIE-07aa"]
    static let notifierName = "Notifier-Person-Q7X"
    static let notifierEmail = "q7x.notifier@example.org"
    static var secrets: [String] { reporters + [notifierName, notifierEmail] }

    @Test("no reporter id reaches a creator-facing response, a log line, or the database in plain text")
    func noLeaks() async throws {
        // surfaces: what was looked at -> its text, which must not hold a secret.
        // Webhook bodies are a creator-facing surface too: the platform relays them.
        let receiver = WebhookReceiver()
        let (directory, surfaces) = try await withHarnessReturningDirectory(receiver: receiver) { client, h, port async throws -> [String: String] in
            var outputs: [String: String] = [:]
            outputs["webhook endpoint"] = try await client.json(.post, "/v1/webhooks", h, #"{"url":"http://127.0.0.1:\#(port)/hook"}"#).text
            outputs["register video"] = try await client.json(.put, "/v1/subjects/video-A", h, #"{"kind":"video","creator_id":"creator-Z","reach":{"views":100000}}"#).text
            outputs["register live"] = try await client.json(.put, "/v1/subjects/live-B", h, #"{"kind":"live","creator_id":"creator-Z","reach":{"live_viewers":10}}"#).text
            for (i, reporter) in Self.reporters.enumerated() {
                outputs["report \(i)"] = try await client.report(h, reporter: reporter, subject: "video-A", reason: "child_safety", extra: #","note":"I saw this \#(i)""#).text
                outputs["duplicate \(i)"] = try await client.report(h, reporter: reporter, subject: "video-A").text
                // Other people on the stream: the same three on both would be co-reporters, one voice.
                outputs["idempotent \(i)"] = try await client.report(h, reporter: "\(reporter)-live", subject: "live-B", headers: [idempotencyKey: "k\(i)"]).text
                outputs["replay \(i)"] = try await client.report(h, reporter: "\(reporter)-live", subject: "live-B", headers: [idempotencyKey: "k\(i)"]).text
                // The reporter's own inbox carries their id in the path: it must stay out of the logs.
                _ = try await client.json(.get, "/v1/reporters/\(reporter)/reports", h)
            }
            try await h.settleTakedowns()
            let notice = #","channel":"illegal_content_notice","notice":{"explanation":"Unlawful content","location_url":"https://example.com/live-B","notifier_name":"\#(Self.notifierName)","notifier_email":"\#(Self.notifierEmail)"}"#
            outputs["notice"] = try await client.report(h, reporter: "notice-sender-77", subject: "live-B", reason: "hate_speech", extra: notice).text
            outputs["bad report"] = try await client.report(h, reporter: Self.reporters[0], subject: "missing-subject").text
            // Automated detection on the reported video and on another of the creator's: signals,
            // the automated statements, the case's detection section, the rules' figures.
            outputs["signals on reported"] = try await client.json(.post, "/v1/subjects/video-A/signals", h,
                #"{"signals":[\#(DetectionTests.signal("anon-1", score: 0.95))]}"#).text
            outputs["register video C"] = try await client.json(.put, "/v1/subjects/video-C", h, #"{"kind":"video","creator_id":"creator-Z"}"#).text
            outputs["signals on C"] = try await client.json(.post, "/v1/subjects/video-C/signals", h,
                #"{"signals":[\#(DetectionTests.signal("anon-2", score: 0.8))]}"#).text
            #expect(try await client.state(h, of: "video-C") == "suppressed")
            let admin = try await h.moderator("anon-admin", role: .admin)
            outputs["rules"] = try await client.mod(.get, "/v1/mod/rules", token: admin).text
            outputs["subject video"] = try await client.json(.get, "/v1/subjects/video-A", h).text
            outputs["subject live"] = try await client.json(.get, "/v1/subjects/live-B", h).text
            outputs["update video"] = try await client.json(.put, "/v1/subjects/video-A", h, #"{"kind":"video","creator_id":"creator-Z","reach":{"views":99}}"#).text
            outputs["creator notices"] = try await client.json(.get, "/v1/creators/creator-Z/notices", h).text
            outputs["enforcement feed"] = try await client.json(.get, "/v1/enforcement-events", h).text
            let messages = try await h.app.store.read { try await $0.sql.raw("SELECT COUNT(*) AS n FROM webhook_messages").first()?.decode(column: "n", as: Int.self) } ?? 0
            let delivered = try await receiver.wait { $0.count >= messages }
            #expect(messages >= 2 && delivered.count == messages, "every webhook message was delivered")
            for (index, request) in delivered.enumerated() {
                outputs["webhook \(index)"] = String(decoding: request.body, as: UTF8.self)
                outputs["webhook headers \(index)"] = request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
            }
            outputs["logs"] = h.logs.text
            #expect(try await client.state(h, of: "video-A") == "pending_review", "the reports were counted")
            return outputs
        }

        // The creator-facing subject view has only these fields: no reporters, counts or report times.
        for name in ["subject video", "subject live", "update video"] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(surfaces[name, default: ""].utf8)) as? [String: Any])
            #expect(Set(object.keys).isSubset(of: ["id", "kind", "creator_id", "state", "restriction", "title"]), "\(name): \(object.keys)")
            if let restriction = object["restriction"] as? [String: Any] {
                #expect(Set(restriction.keys).isSubset(of: ["state", "ground", "ground_title", "since"]))
            }
        }

        // Nor does any of them date a report: a provisional takedown happens when a report arrives,
        // so creator-facing times are given to the hour (the seconds and milliseconds are zero).
        #expect(surfaces["creator notices", default: ""].contains("statement_of_reasons"), "the takedown notices were read")
        let isoTime = try Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"#)
        let webhooks = surfaces.keys.filter { $0.hasPrefix("webhook ") && !$0.hasPrefix("webhook headers") && $0 != "webhook endpoint" }
        #expect(webhooks.count >= 2)
        for name in ["subject video", "subject live", "update video", "creator notices", "enforcement feed"] + webhooks {
            let times = surfaces[name, default: ""].matches(of: isoTime).map { String(surfaces[name, default: ""][$0.range]) }
            if ["subject video", "creator notices", "enforcement feed"].contains(name) || webhooks.contains(name) {
                #expect(!times.isEmpty, "\(name) shows when the restriction began")
            }
            for time in times {
                #expect(time.hasSuffix(":00:00.000Z"), "\(name) dates something to the second: \(time)")
            }
        }
        // Notice ids carry their creation time (they sort by it): that time is the hour too.
        let notices = try #require(try JSONSerialization.jsonObject(with: Data(surfaces["creator notices", default: ""].utf8)) as? [String: Any])
        for notice in notices["notices"] as? [[String: Any]] ?? [] {
            let id = try #require(notice["notice_id"] as? String)
            let created = try #require((notice["created_at"] as? String).flatMap(Timestamp.parse))
            #expect(id.prefix(14) == Identifier.make(prefix: "ntc", at: created.hourFloor).prefix(14), "\(id) dates its notice to the millisecond")
        }

        for (name, text) in surfaces {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "\(name) contains \(secret)")
            }
        }
        #expect(surfaces["logs", default: ""].contains("/v1/reporters/{reporter_id}/reports"), "the access log ran and logged route patterns")

        // Raw bytes of the database and its WAL and shared-memory files.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("vigil.sqlite") }
        #expect(files.contains("vigil.sqlite"))
        var databaseBytes = Data()
        for file in files { databaseBytes += try Data(contentsOf: directory.appendingPathComponent(file)) }
        // The search must be able to find what is stored in the clear, or zero hits would mean nothing.
        #expect(databaseBytes.range(of: Data("creator-Z".utf8)) != nil)
        #expect(databaseBytes.range(of: Data("I saw this 1".utf8)) != nil)
        for secret in Self.secrets {
            #expect(databaseBytes.range(of: Data(secret.utf8)) == nil, "database files contain \(secret)")
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs the harness but keeps the data directory (copied out while the database is still
    /// open, so the WAL holds recent writes) for the raw-byte search.
    func withHarnessReturningDirectory(
        receiver: WebhookReceiver,
        _ body: @escaping @Sendable (any TestClientProtocol, Harness, Int) async throws -> [String: String]
    ) async throws -> (URL, [String: String]) {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-anon-\(UUID().uuidString)")
        let box = ResultBox()
        try await receiver.run { port in
            // The raw-file search is about SQLite's files; PostgreSQL keeps no files here to search.
            try await withHarness(database: .sqlite, webhooks: WebhookTests.fastDelivery, ruleSet: try DetectionTests.ruleSet()) { client, h async throws in
                box.set(try await body(client, h, port))
                try FileManager.default.copyItem(at: h.directory, to: copy)
            }
        }
        return (copy, box.get())
    }
}

final class ResultBox: Sendable {
    private let value = Mutex<[String: String]>([:])
    func set(_ v: [String: String]) { value.withLock { $0 = v } }
    func get() -> [String: String] { value.withLock { $0 } }
}

import Synchronization
