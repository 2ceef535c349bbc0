import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import VigilServer
import VigilCore

/// What only real connections show: malformed HTTP and clients too slow to be anything but an
/// attempt to hold connections open. These run a live server on a free port (SQLite only: the
/// database plays no part).
@Suite("Connection hardening")
struct ConnectionHardeningTests {
    static let short = ConnectionTimeouts(idle: .seconds(1), header: .seconds(1), body: .seconds(1))

    @Test("a malformed chunk size is a 400 problem, not a 500, and is not logged as an error")
    func malformedChunk() async throws {
        try await withHarness(database: .sqlite, live: true) { client, h async throws in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            await connection.send("POST /v1/reports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(h.token)\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n")
            let response = await connection.read(until: "\r\n\r\n", seconds: 10)
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(response.prefix(200))")
            #expect(response.lowercased().contains("content-type: application/problem+json"))
            #expect(!h.logs.text.contains("unhandled error"))
            #expect(try await h.reportCount() == 0)
        }
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idle() async throws {
        try await withHarness(database: .sqlite, live: true, timeouts: Self.short) { client, _ async throws in
            let connection = try RawConnection(port: try #require(client.port))
            let start = Date()
            let (_, closed) = await connection.readUntilClosed(seconds: 15)
            #expect(closed)
            #expect(Date().timeIntervalSince(start) >= 0.8, "not before the timeout")
        }
    }

    @Test("a header sent a byte at a time is cut off after the header timeout, though bytes keep coming")
    func slowHeader() async throws {
        try await withHarness(database: .sqlite, live: true, timeouts: Self.short) { client, _ async throws in
            let connection = try RawConnection(port: try #require(client.port))
            let start = Date()
            var closed = false
            // 0.3 s between bytes: never idle for a whole second, but the header never completes.
            for byte in "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
                guard await connection.send(String(byte)) else { closed = true; break }
                if await connection.readUntilClosed(seconds: 0.3).closed { closed = true; break }
            }
            #expect(closed, "the connection stayed open for the whole slow header")
            #expect(Date().timeIntervalSince(start) < 10)
        }
    }

    @Test("a body sent a byte at a time is cut off after the body timeout, and nothing is written")
    func slowBody() async throws {
        try await withHarness(database: .sqlite, live: true, timeouts: Self.short) { client, h async throws in
            // Registered through the store's workflow: the test client's own connection would be
            // closed by the short idle timeout while it waits.
            _ = try await SubjectWorkflow(store: h.app.store, clock: h.app.clock).register(
                .init(id: "v", kind: .video, creatorID: "c", reach: Reach(views: 1), title: nil, text: nil))
            let body = #"{"reporter_id":"slow","subject_id":"v","reason":"spam","note":"\#(String(repeating: "x", count: 40))"}"#
            let connection = try RawConnection(port: try #require(client.port))
            await connection.send("POST /v1/reports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(h.token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            var closed = false
            for byte in body {
                guard await connection.send(String(byte)) else { closed = true; break }
                if await connection.readUntilClosed(seconds: 0.3).closed { closed = true; break }
            }
            #expect(closed, "the connection stayed open for the whole slow body")
            #expect(try await h.reportCount() == 0)
        }
    }

    @Test("ordinary keep-alive requests on one connection are answered")
    func keepAlive() async throws {
        // Timeouts short enough that each request runs through every phase's timer, long enough that
        // a pause of the whole suite on two cores (over a second, in one CI run) does not close the
        // connection between requests: this test is about keep-alive, the others about the timeouts.
        let timeouts = ConnectionTimeouts(idle: .seconds(5), header: .seconds(5), body: .seconds(5))
        try await withHarness(database: .sqlite, live: true, timeouts: timeouts) { client, _ async throws in
            let connection = try RawConnection(port: try #require(client.port))
            for _ in 0..<3 {
                await connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let response = await connection.read(until: "\r\n\r\n", seconds: 10)
                #expect(response.hasPrefix("HTTP/1.1 200"), "\(response.prefix(100))")
                _ = await connection.readUntilClosed(seconds: 0.2)
            }
        }
    }

    @Test("every request is logged at info, refused ones too; a refused credential leaves a notice without the token")
    func requestLog() async throws {
        try await withHarness(database: .sqlite) { client, h async throws in
            let bogus = "vgl_notakey_secretsecretsecret"
            let refused = try await client.execute(uri: "/v1/subjects/person-1", method: .get, headers: [.authorization: "Bearer \(bogus)"])
            #expect(refused.status == .unauthorized)
            let moderator = try await client.execute(uri: "/v1/mod/queue", method: .get, headers: [:])
            #expect(moderator.status == .unauthorized)
            _ = try await client.json(.get, "/v1/subjects/person-1", h)
            let lines = h.logs.text.split(separator: "\n")
            let requests = lines.filter { $0.hasPrefix("info ") && $0.contains(" request ") }
            #expect(requests.contains { $0.contains("/v1/subjects/{id}") && $0.contains("\"status\": 401") }, "\(requests)")
            #expect(requests.contains { $0.contains("/v1/subjects/{id}") && $0.contains("\"status\": 404") }, "\(requests)")
            #expect(requests.contains { $0.contains("/v1/mod/queue") && $0.contains("\"status\": 401") })
            #expect(requests.allSatisfy { $0.contains("hb.request.id") }, "each line carries the request id")
            let notices = lines.filter { $0.hasPrefix("notice ") && $0.contains("authentication failed") }
            #expect(notices.count == 2, "\(notices)")
            #expect(notices.contains { $0.contains("api_key") } && notices.contains { $0.contains("moderator_token") })
            #expect(!h.logs.text.contains(bogus) && !h.logs.text.contains("person-1"), "no token and no concrete path in the logs")
        }
    }
}
