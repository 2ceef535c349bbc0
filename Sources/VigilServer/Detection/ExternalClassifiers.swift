import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import VigilCore

/// Media handed to Vigil: bytes held in memory only, never stored (some of it is unlawful to hold).
public struct Media: Sendable {
    public var bytes: [UInt8]
    public var contentType: String

    public init(bytes: [UInt8], contentType: String) {
        self.bytes = bytes
        self.contentType = contentType
    }
}

/// What one external classifier made of one piece of media.
public struct ClassifierCall: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// It answered with labels.
        case ok
        /// It does not take this media type.
        case skipped
        /// It failed too often lately; not called (circuit breaker open).
        case circuitOpen = "circuit_open"
        /// No answer within its timeout.
        case timeout
        /// An error status, a refused connection, or an answer that is not the contract's.
        case error
    }

    public var classifier: String
    public var status: Status
    public var detail: String?
    public var model: String?
    public var modelVersion: String?
    public var labels: [(label: String, score: Double)] = []

    public static func == (a: ClassifierCall, b: ClassifierCall) -> Bool {
        a.classifier == b.classifier && a.status == b.status && a.detail == b.detail && a.model == b.model && a.modelVersion == b.modelVersion
            && a.labels.map(\.label) == b.labels.map(\.label) && a.labels.map(\.score) == b.labels.map(\.score)
    }
}

/// The answer the classifier contract asks for (docs/classifiers.md).
struct ClassifierAnswer: Decodable {
    struct Label: Decodable {
        var label: String
        var score: Double
    }

    var model: String
    var modelVersion: String?
    var labels: [Label]

    enum CodingKeys: String, CodingKey {
        case model, labels
        case modelVersion = "model_version"
    }

    static let maxLabels = 50
}

/// Calls the external classifiers over HTTP, and fetches media the platform points to. Every call
/// is bounded: a timeout (waiting for a permit included), at most `concurrency` calls in flight per
/// classifier, no redirects, at most ``maxAnswerBytes`` of an answer read, and a circuit breaker
/// that stops calling a classifier that keeps failing. A classifier that hangs, errors or answers
/// garbage costs its own timeout at most, and never a report: intake does not wait for it.
public final class ExternalClassifiers: Service, Sendable {
    static let maxAnswerBytes = 64 * 1024

    public let settings: DetectionSettings
    private let breakers: [String: CircuitBreaker]
    private let permits: [String: Permits]
    private let state = Mutex<(HTTPClient, NIOThreadPool)?>(nil)
    private let clock: VigilClock
    private let fetchPolicy: OutgoingURLPolicy

    public init(settings: DetectionSettings, clock: VigilClock = .system) {
        self.settings = settings
        self.clock = clock
        breakers = Dictionary(uniqueKeysWithValues: settings.classifiers.map {
            ($0.name, CircuitBreaker(threshold: $0.failureThreshold, cooldownSeconds: $0.cooldownSeconds))
        })
        permits = Dictionary(uniqueKeysWithValues: settings.classifiers.map { ($0.name, Permits($0.concurrency)) })
        fetchPolicy = OutgoingURLPolicy(allowHTTPLoopback: settings.media.allowHTTPLoopback, allowPrivateRanges: settings.media.allowPrivate)
    }

    /// Made on first use: a Vigil with no classifiers and no media opens no connections.
    private func connections() -> (HTTPClient, NIOThreadPool) {
        state.withLock { state in
            if let made = state { return made }
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
            configuration.decompression = .disabled
            configuration.httpVersion = .http1Only
            // A classifier that is down fails its call at once (the breaker counts it), rather
            // than after the client's reconnection attempts have used up the connect timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            let resolver = NIOThreadPool(numberOfThreads: 2)
            resolver.start()
            let made = (HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration), resolver)
            state = made
            return made
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        guard let (client, resolver) = state.withLock({ state in defer { state = nil }; return state }) else { return }
        try? await client.shutdown()
        try? await resolver.shutdownGracefully()
    }

    // MARK: Classifying

    /// Sends the media to every classifier that takes its type, concurrently; one result per classifier.
    public func classify(_ media: Media, subjectKind: SubjectKind) async -> [ClassifierCall] {
        await withTaskGroup(of: (Int, ClassifierCall).self) { group in
            for (index, classifier) in settings.classifiers.enumerated() {
                group.addTask { (index, await self.call(classifier, media: media, subjectKind: subjectKind)) }
            }
            var calls: [(Int, ClassifierCall)] = []
            for await call in group { calls.append(call) }
            return calls.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func call(_ classifier: DetectionSettings.Classifier, media: Media, subjectKind: SubjectKind) async -> ClassifierCall {
        var call = ClassifierCall(classifier: classifier.name, status: .ok)
        guard classifier.accepts(contentType: media.contentType) else {
            call.status = .skipped
            return call
        }
        guard let breaker = breakers[classifier.name], let permits = permits[classifier.name] else { return call }
        guard breaker.allow(at: clock.now()) else {
            call.status = .circuitOpen
            call.detail = "failed \(breaker.threshold) times in a row; not called for \(Int(breaker.cooldownSeconds)) s"
            return call
        }
        do {
            let answer = try await Self.withDeadline(seconds: classifier.timeoutSeconds) {
                try await permits.acquireUnlessCancelled()
                defer { permits.release() }
                return try await self.post(media, to: classifier, subjectKind: subjectKind)
            }
            call.model = answer.model
            call.modelVersion = answer.modelVersion
            call.labels = answer.labels.map { ($0.label, $0.score) }
            breaker.succeeded()
        } catch let failure as CallFailure {
            call.status = failure.timedOut ? .timeout : .error
            call.detail = failure.detail
            breaker.failed(at: clock.now())
        } catch {
            call.status = .error
            call.detail = String(describing: type(of: error))
            breaker.failed(at: clock.now())
        }
        return call
    }

    struct CallFailure: Error {
        var detail: String
        var timedOut = false
    }

    private func post(_ media: Media, to classifier: DetectionSettings.Classifier, subjectKind: SubjectKind) async throws -> ClassifierAnswer {
        let (client, _) = connections()
        var request = HTTPClientRequest(url: classifier.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "content-type", value: media.contentType)
        request.headers.add(name: "accept", value: "application/json")
        request.headers.add(name: "user-agent", value: "Vigil-Classifiers/1")
        request.headers.add(name: "x-vigil-subject-kind", value: subjectKind.rawValue)
        request.body = .bytes(ByteBuffer(bytes: media.bytes))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(classifier.timeoutSeconds * 1_000)))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw CallFailure(detail: "no answer within \(classifier.timeoutSeconds) s", timedOut: true)
        } catch let error as HTTPClientError {
            throw CallFailure(detail: "request failed: \(error)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CallFailure(detail: "request failed: \(String(describing: error).prefix(200))")
        }
        let body = try await Self.collect(response.body, limit: Self.maxAnswerBytes)
        guard response.status == .ok else { throw CallFailure(detail: "answered \(response.status.code)") }
        guard let body else { throw CallFailure(detail: "answered more than \(Self.maxAnswerBytes) bytes") }
        let answer: ClassifierAnswer
        do { answer = try JSONDecoder().decode(ClassifierAnswer.self, from: Data(body)) } catch {
            throw CallFailure(detail: "answered something other than {model, model_version, labels: [{label, score}]}")
        }
        guard !answer.model.isEmpty, answer.model.count <= Signal.maxLabelLength, (answer.modelVersion?.count ?? 0) <= Signal.maxLabelLength else {
            throw CallFailure(detail: "answered an empty or overlong model name")
        }
        guard answer.labels.count <= ClassifierAnswer.maxLabels else { throw CallFailure(detail: "answered more than \(ClassifierAnswer.maxLabels) labels") }
        for label in answer.labels {
            guard label.score.isFinite, (0...1).contains(label.score) else { throw CallFailure(detail: "answered a score outside 0 to 1") }
            guard (try? Validate.identifier(label.label, field: "label")) != nil, label.label.count <= Signal.maxLabelLength else {
                throw CallFailure(detail: "answered a label that is empty, overlong or holds spaces")
            }
        }
        return answer
    }

    // MARK: Fetching media

    /// Fetches media the platform points to: an allow-listed host, a public address (unless
    /// private ranges are allowed), no redirects, at most `max_bytes`, within the fetch timeout.
    /// Failures are `media_url` field errors.
    public func fetch(_ text: String) async throws -> Media {
        let media = settings.media
        let url: URL
        switch fetchPolicy.validate(text) {
        case .success(let valid): url = valid
        case .failure(let error):
            if case .invalidField(_, let detail) = error { throw VigilError.invalidField(field: "media_url", detail: detail) }
            throw error
        }
        guard let host = url.host, let scheme = url.scheme?.lowercased() else { throw VigilError.invalidField(field: "media_url", detail: "must name a host") }
        guard media.allows(host: host) else {
            throw VigilError.invalidField(field: "media_url", detail: media.allowHosts.isEmpty
                ? "no media hosts are allowed on this Vigil (media.allow_hosts); upload the media instead"
                : "'\(host.prefix(100))' is not an allowed media host")
        }
        let (client, resolver) = connections()
        do {
            return try await Self.withDeadline(seconds: media.fetchTimeoutSeconds) {
                do {
                    try await self.fetchPolicy.checkResolved(host: host, port: url.port ?? (scheme == "https" ? 443 : 80), scheme: scheme, on: resolver)
                } catch let refusal as OutgoingRefusal {
                    throw VigilError.invalidField(field: "media_url", detail: refusal.detail)
                }
                var request = HTTPClientRequest(url: url.absoluteString)
                request.headers.add(name: "user-agent", value: "Vigil-Media/1")
                let response: HTTPClientResponse
                do {
                    response = try await client.execute(request, timeout: .milliseconds(Int64(media.fetchTimeoutSeconds * 1_000)))
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    throw VigilError.invalidField(field: "media_url", detail: "could not be fetched (\(type(of: error)))")
                }
                guard response.status == .ok else {
                    throw VigilError.invalidField(field: "media_url", detail: "answered \(response.status.code)"
                        + ((300..<400).contains(response.status.code) ? " (redirects are not followed)" : ""))
                }
                if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > media.maxBytes {
                    throw VigilError.invalidField(field: "media_url", detail: "is larger than \(media.maxBytes) bytes")
                }
                guard let bytes = try await Self.collect(response.body, limit: media.maxBytes) else {
                    throw VigilError.invalidField(field: "media_url", detail: "is larger than \(media.maxBytes) bytes")
                }
                let type = response.headers.first(name: "content-type")?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                return Media(bytes: bytes, contentType: type ?? "application/octet-stream")
            }
        } catch let failure as CallFailure {
            throw VigilError.invalidField(field: "media_url", detail: failure.detail)
        }
    }

    // MARK: Helpers

    /// The body, or nil if it is longer than `limit` (the rest is not read).
    static func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws -> [UInt8]? {
        var collected: [UInt8] = []
        do {
            for try await chunk in body {
                guard collected.count + chunk.readableBytes <= limit else { return nil }
                collected.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw CallFailure(detail: "the answer did not arrive in time", timedOut: true)
        }
        return collected
    }

    /// Runs `body`, or throws a timed-out ``CallFailure`` after `seconds` (the body is cancelled).
    static func withDeadline<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
                throw CallFailure(detail: "no answer within \(seconds) s", timedOut: true)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CallFailure(detail: "no answer") }
            return first
        }
    }
}
