import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
@testable import VigilServer
@testable import VigilStore
import VigilCore
import VigilTestSupport

/// A receiver on a free loopback port that records every request and answers with the status the
/// test chooses for the n-th request (0-based).
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: [UInt8]
        var status: Int
    }

    let requests = Mutex<[Received]>([])
    private let answer: @Sendable (Int) -> HTTPResponse.Status

    init(answer: @escaping @Sendable (Int) -> HTTPResponse.Status = { _ in .noContent }) { self.answer = answer }

    var received: [Received] { requests.withLock { $0 } }

    func run(_ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { [self] request, _ -> Response in
            let bytes = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = requests.withLock { requests in
                let status = answer(requests.count)
                requests.append(Received(headers: headers, body: bytes, status: Int(status.code)))
                return status
            }
            // A redirect points at another path of this receiver: were it followed, it would show there.
            return Response(status: status, headers: (300..<400).contains(Int(status.code)) ? [.location: "/moved"] : [:])
        }
        router.post("moved") { [self] _, _ -> Response in
            requests.withLock { $0.append(Received(headers: ["moved": "1"], body: [], status: 204)) }
            return Response(status: .noContent)
        }
        try await withLocalServer(router, label: "receiver", body)
    }

    /// Waits until `condition` holds of what arrived, up to `seconds`.
    func wait(seconds: Double = 15, until condition: ([Received]) -> Bool) async throws -> [Received] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1_000))
        while ContinuousClock.now < deadline {
            let now = received
            if condition(now) { return now }
            try await Task.sleep(for: .milliseconds(50))
        }
        return received
    }
}

@Suite("Webhooks")
struct WebhookTests {
    static var fastDelivery: WebhookDispatcher.Settings {
        var settings = WebhookDispatcher.Settings()
        settings.allowHTTPLoopback = true
        settings.retryDelays = [0.2, 0.2, 0.2]
        settings.pollInterval = .milliseconds(50)
        return settings
    }

    @Test("the Standard Webhooks test vector signs as the specification's libraries do")
    func signatureVector() throws {
        // From the Standard Webhooks reference libraries' tests (and Svix's).
        let secret = try #require(WebhookSecret(parsing: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = WebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                              body: Array(#"{"test": 2432232314}"#.utf8), secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSecret(parsing: "whsec_" + Data(count: 23).base64EncodedString()) == nil)
        #expect(WebhookSecret(parsing: "whsec_" + Data(count: 65).base64EncodedString()) == nil)
        #expect(WebhookSecret(parsing: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == nil)
        let fresh = WebhookSecret.generate()
        #expect(fresh.rendered.hasPrefix("whsec_") && WebhookSecret(parsing: fresh.rendered) == fresh)
        #expect(fresh != WebhookSecret.generate())
    }

    @Test("retries follow the Standard Webhooks schedule, spread by a tenth, stretched by retry-after, and end")
    func retrySchedule() throws {
        let schedule = RetrySchedule.standard
        let now = Timestamp(milliseconds: 1_000_000)
        #expect(schedule.attempts == 10)
        let expected: [Double] = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400]
        for (index, delay) in expected.enumerated() {
            #expect(schedule.next(afterAttempt: index + 1, at: now, unit: 0.5) == now.adding(seconds: delay))
            #expect(schedule.next(afterAttempt: index + 1, at: now, unit: 0) == now.adding(seconds: delay * 0.9))
            #expect(schedule.next(afterAttempt: index + 1, at: now, unit: 0.999_999)! <= now.adding(seconds: delay * 1.1))
        }
        #expect(schedule.next(afterAttempt: 10, at: now, unit: 0.5) == nil)
        #expect(schedule.next(afterAttempt: 0, at: now, unit: 0.5) == nil)
        #expect(schedule.next(afterAttempt: 1, at: now, retryAfterSeconds: 120, unit: 0.5) == now.adding(seconds: 120))
        #expect(schedule.next(afterAttempt: 2, at: now, retryAfterSeconds: 1, unit: 0.5) == now.adding(seconds: 300))
        #expect(schedule.next(afterAttempt: 1, at: now, retryAfterSeconds: 1e12, unit: 0.5) == now.adding(seconds: 86_400))
        #expect(RetrySchedule(parsing: "1, 2,3")?.delays == [1, 2, 3])
        for bad in ["", "a", "0", "-1", "1,,2", "1e9", "nan"] { #expect(RetrySchedule(parsing: bad) == nil, "\(bad)") }
    }

    @Test("failed requests are described by kind in the attempt log")
    func describingFailures() {
        #expect(WebhookDispatcher.describe(HTTPClientError.deadlineExceeded) == "timed out")
        #expect(WebhookDispatcher.describe(HTTPClientError.connectTimeout) == "timed out")
        #expect(WebhookDispatcher.describe(HTTPClientError.remoteConnectionClosed) == "the receiver closed the connection")
        #expect(WebhookDispatcher.describe(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "connection refused")
        #expect(WebhookDispatcher.describe(CancellationError()) == "the request failed (CancellationError)")
    }

    @Test("webhook URLs must be https to public addresses; http only to loopback when allowed")
    func urlPolicy() {
        let strict = OutgoingURLPolicy()
        var development = OutgoingURLPolicy()
        development.allowHTTPLoopback = true
        let cases: [(String, Bool, Bool)] = [
            // url, allowed strictly, allowed in development
            ("https://hooks.example.com/vigil", true, true),
            ("https://93.184.216.34/hook", true, true),
            ("http://hooks.example.com/vigil", false, false),
            ("http://127.0.0.1:9000/hook", false, true),
            ("http://localhost:9000/hook", false, true),
            ("http://[::1]:9000/hook", false, true),
            ("https://127.0.0.1/hook", false, false),
            ("https://10.1.2.3/hook", false, false),
            ("https://172.20.0.1/hook", false, false),
            ("https://192.168.1.1/hook", false, false),
            ("https://169.254.169.254/latest/meta-data", false, false),
            ("https://100.64.0.1/", false, false),
            ("https://0.0.0.0/", false, false),
            ("https://[fc00::1]/", false, false),
            ("https://[fe80::1]/", false, false),
            ("https://[::ffff:10.0.0.1]/", false, false),
            ("https://user:pass@hooks.example.com/", false, false),
            ("ftp://hooks.example.com/", false, false),
            ("hooks.example.com/vigil", false, false),
            ("https://hooks.example.com/#fragment", false, false),
            ("", false, false),
            ("https://" + String(repeating: "a", count: 2_100) + ".com/", false, false),
        ]
        for (url, strictly, developing) in cases {
            let allowedStrictly = (try? strict.validate(url).get()) != nil
            let allowedInDevelopment = (try? development.validate(url).get()) != nil
            #expect(allowedStrictly == strictly, "\(url.prefix(60)) strict")
            #expect(allowedInDevelopment == developing, "\(url.prefix(60)) development")
        }
        #expect(OutgoingURLPolicy.isInternal([8, 8, 8, 8]) == false)
        #expect(OutgoingURLPolicy.isInternal(OutgoingURLPolicy.literalAddress("2001:db8::1") ?? []) == false)
        #expect(OutgoingURLPolicy.isInternal(OutgoingURLPolicy.literalAddress("64:ff9b::a00:1") ?? []) == true)
    }

    @Test("endpoints are managed with the webhooks:manage scope, and bad input names its field")
    func managing() async throws {
        try await withHarness { client, h in
            let bad: [(String, String)] = [
                (#"{"url":"http://hooks.example.com/x"}"#, "url"),
                (#"{"url":"https://10.0.0.8/x"}"#, "url"),
                (#"{}"#, "url"),
                (#"{"url":"https://hooks.example.com/x","event_types":[]}"#, "event_types"),
                (#"{"url":"https://hooks.example.com/x","event_types":["report.received"]}"#, "event_types"),
                (#"{"url":"https://hooks.example.com/x","secret":"mine"}"#, "secret"),
                (#"{"url":"https://hooks.example.com/x","description":"\#(String(repeating: "d", count: 501))"}"#, "description"),
            ]
            for (body, field) in bad {
                let response = try await client.json(.post, "/v1/webhooks", h, body)
                #expect(response.status == .unprocessableContent, "\(body.prefix(80))")
                #expect(try response.object()["field"] as? String == field, "\(body.prefix(80))")
            }
            let reportsOnly = try await h.key(scopes: [.reportsWrite])
            let refused = try await client.execute(uri: "/v1/webhooks", method: .get, headers: [.authorization: "Bearer \(reportsOnly)"])
            #expect(refused.status == .forbidden)

            let created = try await client.json(.post, "/v1/webhooks", h, #"{"url":"https://hooks.example.com/vigil","event_types":["subject.state_changed"],"description":"takedowns"}"#)
            #expect(created.status == .created)
            let issued = try created.object()
            let secret = try #require(issued["secret"] as? String)
            #expect(WebhookSecret(parsing: secret) != nil)
            let endpoint = try #require(issued["endpoint"] as? [String: Any])
            let id = try #require(endpoint["id"] as? String)
            #expect(endpoint["event_types"] as? [String] == ["subject.state_changed"])

            // The secret is shown once, and is not in the store in plain text.
            let listed = try await client.json(.get, "/v1/webhooks", h)
            #expect(!String(buffer: listed.body).contains(secret))
            #expect(!String(buffer: try await client.json(.get, "/v1/webhooks/\(id)", h).body).contains(secret))
            let stored = try await h.app.store.read { try await $0.webhookEndpoint(id: id) }
            #expect(stored?.secretSeal.contains(String(secret.dropFirst(6))) == false)

            let changed = try await client.json(.patch, "/v1/webhooks/\(id)", h, #"{"event_types":null,"enabled":false}"#)
            #expect(changed.status == .ok)
            #expect(try changed.object()["event_types"] is NSNull)
            #expect(try changed.object()["enabled"] as? Bool == false)
            #expect(try changed.object()["description"] as? String == "takedowns")

            let rotated = try await client.json(.post, "/v1/webhooks/\(id)/rotate-secret", h, #"{"overlap_hours":2}"#)
            #expect(rotated.status == .ok)
            let newSecret = try #require(try rotated.object()["secret"] as? String)
            #expect(newSecret != secret)
            #expect((try rotated.object()["endpoint"] as? [String: Any])?["previous_secret_until"] is String)
            #expect(try await client.json(.post, "/v1/webhooks/\(id)/rotate-secret", h, #"{"overlap_hours":169}"#).status == .unprocessableContent)

            #expect(try await client.json(.post, "/v1/webhooks/\(id)/replay?since=2026-01-01T00:00:00Z", h).status == .conflict)
            #expect(try await client.json(.post, "/v1/webhooks/\(id)/replay?since=yesterday", h).status == .unprocessableContent)
            #expect(try await client.json(.get, "/v1/webhooks/\(id)/attempts?limit=0", h).status == .unprocessableContent)

            #expect(try await client.json(.delete, "/v1/webhooks/\(id)", h).status == .noContent)
            #expect(try await client.json(.get, "/v1/webhooks/\(id)", h).status == .notFound)
            #expect(try await client.json(.delete, "/v1/webhooks/\(id)", h).status == .notFound)
            let types = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }.map(\.type)
            for type in ["webhook.endpoint_created", "webhook.endpoint_updated", "webhook.secret_rotated", "webhook.endpoint_deleted"] {
                #expect(types.contains(type), "\(type)")
            }
            try await h.expectAuditIntact()
        }
    }

    @Test("a takedown reaches the endpoint signed, once per webhook-id across retries, and creator-safe")
    func delivery() async throws {
        // The first attempt fails (500); the retry succeeds.
        let receiver = WebhookReceiver { $0 == 0 ? .internalServerError : .noContent }
        try await receiver.run { port in
            try await withHarness(webhooks: Self.fastDelivery) { client, h in
                let created = try await client.json(.post, "/v1/webhooks", h, #"{"url":"http://127.0.0.1:\#(port)/hook","event_types":["subject.state_changed"]}"#)
                #expect(created.status == .created)
                let secretText = try #require(try created.object()["secret"] as? String)
                let secret = try #require(WebhookSecret(parsing: secretText))
                let endpointID = try #require((try created.object()["endpoint"] as? [String: Any])?["id"] as? String)

                try await client.register(h, id: "clip-1")
                let filed = try await client.report(h, reporter: "flagger-alice", subject: "clip-1", reason: "hate_speech", extra: #","channel":"trusted_flagger","note":"reported by flagger-alice""#)
                #expect(filed.status == .created)
                #expect(try await client.state(h, of: "clip-1") == "pending_review")
                // The outbox message committed with the takedown.
                let messages = try await h.app.store.read { try await $0.sql.raw("SELECT COUNT(*) AS n FROM webhook_messages WHERE type = 'subject.state_changed'").first()?.decode(column: "n", as: Int.self) }
                #expect(messages == 1)

                let arrived = try await receiver.wait { $0.contains { $0.status == 204 } }
                #expect(arrived.count == 2)
                let ids = Set(arrived.compactMap { $0.headers["webhook-id"] })
                #expect(ids.count == 1)
                for request in arrived {
                    let id = try #require(request.headers["webhook-id"])
                    let timestamp = try #require(request.headers["webhook-timestamp"].flatMap { Int64($0) })
                    let expected = WebhookSignature.sign(id: id, timestamp: timestamp, body: request.body, secret: secret)
                    #expect(request.headers["webhook-signature"]?.split(separator: " ").map(String.init).contains(expected) == true)
                    let text = String(decoding: request.body, as: UTF8.self)
                    #expect(!text.contains("alice"))
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
                    #expect(object["type"] as? String == "subject.state_changed")
                    let data = try #require(object["data"] as? [String: Any])
                    #expect(data["subject_id"] as? String == "clip-1")
                    #expect((data["event_id"] as? String)?.hasPrefix("evt_") == true)
                }
                // The same event in the enforcement feed carries the same event id.
                let feed = try await client.feed(h)
                let eventIDs = Set(arrived.compactMap { request in
                    ((try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]).flatMap { ($0["data"] as? [String: Any])?["event_id"] as? String }
                })
                #expect(eventIDs.count == 1 && feed.events.contains { eventIDs.contains($0.eventId) })

                // Both attempts are listed, newest first, under the webhook-id the receiver saw.
                var attempts: [[String: Any]] = []
                for _ in 0..<40 {
                    attempts = try await client.json(.get, "/v1/webhooks/\(endpointID)/attempts", h).object()["attempts"] as? [[String: Any]] ?? []
                    if attempts.count == 2 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(attempts.map { $0["outcome"] as? String } == ["delivered", "failed"])
                #expect(attempts.map { $0["status_code"] as? Int } == [204, 500])
                #expect(Set(attempts.compactMap { $0["message_id"] as? String }) == ids)

                // The node counts its attempts, and the backlog is read at the scrape.
                let metrics = String(buffer: try await client.json(.get, "/metrics", h).body)
                #expect(MetricsTests.value(#"vigil_webhook_attempts_total{outcome="delivered"}"#, in: metrics) == 1)
                #expect(MetricsTests.value(#"vigil_webhook_attempts_total{outcome="failed"}"#, in: metrics) == 1)
                #expect(MetricsTests.value("vigil_webhook_deliveries_pending", in: metrics) == 0)
                #expect(MetricsTests.value("vigil_webhook_endpoints_disabled", in: metrics) == 0)

                // A replay sends the message again under the same id.
                let replayed = try await client.json(.post, "/v1/webhooks/\(endpointID)/replay?since=2020-01-01T00:00:00Z", h)
                #expect(replayed.status == .accepted)
                #expect(try replayed.object()["replayed"] as? Int == 1)
                let again = try await receiver.wait { $0.count >= 3 }
                #expect(again.count == 3 && again.last?.headers["webhook-id"] == ids.first)
                try await h.expectAuditIntact()
            }
        }
    }

    @Test("410 Gone disables the endpoint with an event; a failing streak past the limit does too")
    func disabling() async throws {
        let receiver = WebhookReceiver { _ in .gone }
        try await receiver.run { port in
            try await withHarness(webhooks: Self.fastDelivery) { client, h in
                let created = try await client.json(.post, "/v1/webhooks", h, #"{"url":"http://127.0.0.1:\#(port)/hook","event_types":["subject.state_changed"]}"#)
                let endpointID = try #require((try created.object()["endpoint"] as? [String: Any])?["id"] as? String)
                try await client.register(h, id: "clip-2")
                _ = try await client.report(h, reporter: "flagger", subject: "clip-2", reason: "hate_speech", extra: #","channel":"trusted_flagger""#)
                _ = try await receiver.wait { !$0.isEmpty }
                var endpoint: [String: Any] = [:]
                for _ in 0..<60 {
                    endpoint = try await client.json(.get, "/v1/webhooks/\(endpointID)", h).object()
                    if endpoint["enabled"] as? Bool == false { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(endpoint["enabled"] as? Bool == false)
                #expect(endpoint["disabled_reason"] as? String == "gone")
                #expect(receiver.received.count == 1)
                let types = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }.map(\.type)
                #expect(types.contains("webhook.endpoint_disabled"))
            }
        }

        // The streak: every attempt fails, and the next failure after the limit disables it.
        try await withHarness { _, h in
            let now = h.app.clock.now()
            let endpoint = WebhookEndpointRecord(id: "whk_x", url: "https://hooks.example.com/", description: nil, eventTypes: nil, enabled: true,
                                                 secretSeal: try h.app.keyring.seal(WebhookSecret.generate().rendered), createdAt: now, updatedAt: now)
            @Sendable func failure(at time: Timestamp) -> WebhookDispatcher.Finished {
                WebhookDispatcher.Finished(
                    attempt: WebhookAttemptRecord(id: Identifier.make(prefix: "wha", at: time), endpointID: "whk_x", messageSeq: 1, attempt: 1, attemptedAt: time,
                                                  outcome: .failed, statusCode: 503, latencyMilliseconds: 3, responseSnippet: nil, error: nil),
                    next: .retry(at: time.adding(seconds: 5)), gone: false)
            }
            try await h.app.store.write { tx in
                try await tx.insertWebhookEndpoint(endpoint)
                try await tx.appendWebhookMessages([("subject.state_changed", .event, "1", now)])
                _ = try await tx.fanOutWebhookMessages(limit: 10, at: now)
            }
            let day: Double = 86_400
            try await h.app.store.write { tx in try await WebhookDispatcher.record([failure(at: now)], in: tx, at: now, disableAfterSeconds: 5 * day) }
            let later = now.adding(seconds: 4 * day)
            try await h.app.store.write { tx in try await WebhookDispatcher.record([failure(at: later)], in: tx, at: later, disableAfterSeconds: 5 * day) }
            #expect(try await h.app.store.read { try await $0.webhookEndpoint(id: "whk_x") }?.enabled == true)
            let past = now.adding(seconds: 5 * day + 1)
            try await h.app.store.write { tx in try await WebhookDispatcher.record([failure(at: past)], in: tx, at: past, disableAfterSeconds: 5 * day) }
            let disabled = try await h.app.store.read { try await $0.webhookEndpoint(id: "whk_x") }
            #expect(disabled?.enabled == false && disabled?.disabledReason == "failing")
            #expect(disabled?.failingSince == now)
        }
    }

    @Test("messages are written with their events and notices, numbered in commit order, and append-only", arguments: TestDatabase.all)
    func outbox(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h in
            try await client.register(h, id: "clip-3")
            _ = try await client.report(h, reporter: "flagger", subject: "clip-3", reason: "hate_speech", extra: #","channel":"trusted_flagger""#)
            // A report that takes nothing down makes no message.
            try await client.register(h, id: "clip-4")
            _ = try await client.report(h, reporter: "someone", subject: "clip-4")
            let rows = try await h.app.store.read { session in
                try await session.sql.raw("SELECT seq, type, source FROM webhook_messages ORDER BY seq").all().map {
                    (try $0.decode(column: "seq", as: Int64.self), try $0.decode(column: "type", as: String.self), try $0.decode(column: "source", as: String.self))
                }
            }
            // The takedown and the creator's statement of reasons.
            #expect(rows.count == 2)
            #expect(rows.map(\.0) == rows.indices.map { Int64($0 + 1) })
            #expect(Set(rows.map(\.1)) == ["subject.state_changed", "notice.issued"])
            await #expect(throws: (any Error).self) {
                try await h.app.store.write { tx in try await tx.sql.raw("UPDATE webhook_messages SET type = 'x'").run() }
            }
            await #expect(throws: (any Error).self) {
                try await h.app.store.write { tx in try await tx.sql.raw("DELETE FROM webhook_messages").run() }
            }
        }
    }

    @Test("two claimers never hold one delivery at once; a lease that lapses frees it; a redirect is a failure, not followed", arguments: TestDatabase.all)
    func claiming(database: TestDatabase) async throws {
        try await withHarness(database: database) { _, h in
            let store = h.app.store
            let now = h.app.clock.now()
            let endpoint = WebhookEndpointRecord(id: "whk_claims", url: "https://hooks.example.com/", description: nil, eventTypes: nil, enabled: false,
                                                 secretSeal: try h.app.keyring.seal(WebhookSecret.generate().rendered), createdAt: now, updatedAt: now)
            try await store.write { tx in
                try await tx.insertWebhookEndpoint(endpoint)
                try await tx.appendWebhookMessages((1...40).map { ("subject.state_changed", .event, String($0), now) })
            }
            // Queued by a replay, due in an hour, on an endpoint left disabled: the running
            // dispatcher claims only for enabled endpoints, so these are the test's alone.
            let queued = try await store.write { tx in
                try await tx.replayWebhookMessages(to: endpoint, since: now, limit: 100, at: now.adding(seconds: 3_600))
            }
            #expect(queued.count == 40)
            let later = now.adding(seconds: 3_600)
            let lease = later.adding(seconds: 60)
            async let first = store.writeBesideChain { try await $0.claimWebhookDeliveries(endpointID: "whk_claims", limit: 25, at: later, leaseUntil: lease) }
            async let second = store.writeBesideChain { try await $0.claimWebhookDeliveries(endpointID: "whk_claims", limit: 25, at: later, leaseUntil: lease) }
            let (a, b) = try await (first, second)
            let seqs = a.map(\.message.seq) + b.map(\.message.seq)
            #expect(seqs.count == 40 && Set(seqs).count == 40, "each delivery claimed once: \(a.count) + \(b.count)")
            let again = try await store.writeBesideChain { try await $0.claimWebhookDeliveries(endpointID: "whk_claims", limit: 100, at: later.adding(seconds: 59), leaseUntil: lease) }
            #expect(again.isEmpty)
            let lapsed = try await store.writeBesideChain { try await $0.claimWebhookDeliveries(endpointID: "whk_claims", limit: 100, at: lease, leaseUntil: lease.adding(seconds: 60)) }
            #expect(lapsed.count == 40)
        }

        guard database.engine == .sqlite else { return }
        let receiver = WebhookReceiver { _ in .found }
        try await receiver.run { port in
            try await withHarness(webhooks: Self.fastDelivery) { client, h in
                let created = try await client.json(.post, "/v1/webhooks", h, #"{"url":"http://127.0.0.1:\#(port)/hook","event_types":["subject.state_changed"]}"#)
                let endpointID = try #require((try created.object()["endpoint"] as? [String: Any])?["id"] as? String)
                try await client.register(h, id: "clip-r")
                _ = try await client.report(h, reporter: "flagger", subject: "clip-r", reason: "hate_speech", extra: #","channel":"trusted_flagger""#)
                var attempts: [[String: Any]] = []
                for _ in 0..<100 {
                    attempts = try await client.json(.get, "/v1/webhooks/\(endpointID)/attempts", h).object()["attempts"] as? [[String: Any]] ?? []
                    if attempts.count >= 2 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(attempts.count >= 2)
                #expect(attempts.allSatisfy { $0["outcome"] as? String == "failed" && $0["status_code"] as? Int == 302 })
                // No attempt followed the Location.
                #expect(receiver.received.allSatisfy { $0.headers["moved"] == nil })
                #expect(receiver.received.count >= 2)
            }
        }
    }
}
