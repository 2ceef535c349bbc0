import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// What a receiver answered to one delivery.
struct WebhookResponse: Sendable, Equatable {
    var status: Int
    /// The first bytes of the answer, as text.
    var snippet: String?
    /// The receiver's `retry-after`, in seconds, when it gave one.
    var retryAfterSeconds: Double?
}

/// Sends webhook requests: no redirects followed (a 3xx is a failed delivery), a connect and a
/// whole-request timeout, and at most ``snippetBytes`` of each answer read. Every destination is
/// checked against the ``OutgoingURLPolicy`` just before the request.
final class WebhookSender: Sendable {
    static let snippetBytes = 1_024
    /// The HTTP client, and threads for name lookups (a resolver that hangs holds these, not the server's).
    private let state = Mutex<(HTTPClient, NIOThreadPool)?>(nil)
    let policy: OutgoingURLPolicy
    let timeout: Duration

    init(policy: OutgoingURLPolicy, timeout: Duration = .seconds(15)) {
        self.policy = policy
        self.timeout = timeout
    }

    /// The client and resolver threads, made on the first delivery: a Vigil that never sends a
    /// webhook (a command-line run) starts no threads for them and has nothing to shut down.
    private func connections() -> (HTTPClient, NIOThreadPool) {
        state.withLock { state in
            if let made = state { return made }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(5), read: .milliseconds(Int64(timeout.components.seconds * 1_000))))
            configuration.decompression = .disabled
            configuration.httpVersion = .http1Only
            // A receiver that refuses connections is a failed attempt at once; the retry schedule
            // decides when to try again, not the client's reconnection backoff.
            configuration.connectionPool.retryConnectionEstablishment = false
            let resolver = NIOThreadPool(numberOfThreads: 4)
            resolver.start()
            let made = (HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration), resolver)
            state = made
            return made
        }
    }

    func post(url: URL, headers: [(String, String)], body: [UInt8]) async throws -> WebhookResponse {
        guard let scheme = url.scheme?.lowercased(), let host = url.host else { throw OutgoingRefusal(detail: "the URL has no host") }
        let (client, resolver) = connections()
        try await policy.checkResolved(host: host, port: url.port ?? (scheme == "https" ? 443 : 80), scheme: scheme, on: resolver)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "Vigil-Webhooks/1")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout.components.seconds * 1_000)))
        var collected: [UInt8] = []
        for try await chunk in response.body {
            collected.append(contentsOf: chunk.readableBytesView.prefix(Self.snippetBytes - collected.count))
            // The rest is not read: a receiver cannot make Vigil hold a large answer.
            if collected.count >= Self.snippetBytes { break }
        }
        let retryAfter = response.headers.first(name: "retry-after").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        return WebhookResponse(
            status: Int(response.status.code), snippet: collected.isEmpty ? nil : String(decoding: collected, as: UTF8.self),
            retryAfterSeconds: retryAfter)
    }

    func shutdown() async {
        guard let (client, resolver) = state.withLock({ state in defer { state = nil }; return state }) else { return }
        try? await client.shutdown()
        try? await resolver.shutdownGracefully()
    }
}
