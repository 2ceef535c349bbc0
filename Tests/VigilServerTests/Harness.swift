import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
@testable import VigilServer
@testable import VigilStore
import VigilCore

/// Every log line the application wrote during a test, at every level, metadata included.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger() -> Logger {
        var logger = Logger(label: "vigil-test") { label in CapturingHandler(label: label, capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct CapturingHandler: LogHandler {
        let label: String
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.level) \(label) \(event.message) \(all) \(event.source) \(event.file):\(event.line)") }
        }
    }
}

/// The wall clock plus an offset a test moves forward, so that leases and deadlines expire when
/// the test says, however slow the machine.
final class TestClock: Sendable {
    private let offsetSeconds = Mutex<Double>(0)

    var clock: VigilClock { VigilClock { [self] in Timestamp.now().adding(seconds: offsetSeconds.withLock { $0 }) } }

    func advance(seconds: Double) { offsetSeconds.withLock { $0 += seconds } }
}

/// The real application on a fresh SQLite database in a temporary directory, with an API key
/// holding every scope.
struct Harness {
    let app: VigilApp
    let directory: URL
    let token: String
    let logs: LogCapture
    let time: TestClock

    var auth: HTTPFields { [.authorization: "Bearer \(token)"] }
    var jsonAuth: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    func reportCount() async throws -> Int { try await app.store.read { try await $0.reportCount() } }
    func auditHead() async throws -> Int64 { try await app.store.read { try await $0.auditHead() }.seq }

    func key(scopes: [Scope]) async throws -> String {
        try await app.accessKeys.create(scopes: scopes.map(\.rawValue), label: "test").token
    }

    /// Records an issue unless the audit chain verifies.
    func expectAuditIntact(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let verdict = try await app.store.verifyAuditLog()
        guard case .intact = verdict else {
            Issue.record("audit log broken: \(verdict)", sourceLocation: sourceLocation)
            return
        }
    }

    /// Adds a moderator and returns their token.
    func moderator(_ name: String, role: ModeratorRole = .moderator) async throws -> String {
        try await app.moderators.add(name: name, role: role.rawValue).token
    }
}

/// The engines the server tests run on: SQLite always, PostgreSQL when `VIGIL_TEST_POSTGRES_URL` is set.
var allTestEngines: [SQLEngine] {
    ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
}

/// Runs `body` against the real application once per engine, each time on a fresh database.
func withHarness(
    policy: Policy = .builtIn, rules: ModerationRules = .standard, reportsPerMinute: Int = 1_000, engines: [SQLEngine] = allTestEngines,
    live: Bool = false, timeouts: ConnectionTimeouts = .standard,
    _ body: @escaping @Sendable (any TestClientProtocol, Harness) async throws -> Void
) async throws {
    for engine in engines {
        let admin = ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"] ?? ""
        let name = "vigil_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        do {
            try await withHarness(policy: policy, rules: rules, reportsPerMinute: reportsPerMinute, engine: engine, postgres: (admin, name),
                                  live: live, timeouts: timeouts, body)
        } catch {
            if engine == .postgres { try? await Store.dropPostgresDatabase(adminURL: admin, name: name) }
            throw error
        }
        if engine == .postgres { try await Store.dropPostgresDatabase(adminURL: admin, name: name) }
    }
}

private func withHarness(
    policy: Policy, rules: ModerationRules, reportsPerMinute: Int, engine: SQLEngine, postgres: (admin: String, name: String),
    live: Bool, timeouts: ConnectionTimeouts,
    _ body: @escaping @Sendable (any TestClientProtocol, Harness) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-server-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let logs = LogCapture()
    let logger = logs.logger()
    let time = TestClock()
    let keyring = try KeyFile.loadOrCreate(path: directory.appendingPathComponent("vigil.keys").path)
    let store: Store = switch engine {
    case .sqlite: try await Store.openSQLite(path: directory.appendingPathComponent("vigil.sqlite").path, logger: logger)
    case .postgres: try Store.openPostgres(url: try await Store.createPostgresDatabase(adminURL: postgres.admin, name: postgres.name), logger: logger)
    }
    let app = VigilApp(store: store, policy: policy, keyring: keyring, rules: rules, reportsPerMinutePerReporter: reportsPerMinute, logger: logger,
                      clock: time.clock)
    // The router is enough for most tests; `live` runs a real server on a free port, for what
    // only real connections show (timeouts, malformed HTTP). Either way the application's service
    // group runs the store, intake and maintenance, and migrates before the test begins.
    try await app.application(host: "127.0.0.1", port: 0, timeouts: timeouts, logger: logger).test(live ? .live : .router) { client in
        let token = try await app.accessKeys.create(scopes: Scope.allCases.map(\.rawValue), label: "all").token
        try await body(client, Harness(app: app, directory: directory, token: token, logs: logs, time: time))
    }
}

extension TestClientProtocol {
    @discardableResult
    func json(_ method: HTTPRequest.Method, _ uri: String, _ harness: Harness, _ body: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = body == nil ? harness.auth : harness.jsonAuth
        for field in headers { fields[field.name] = field.value }
        return try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
    }

    func register(_ harness: Harness, id: String, creator: String = "creator-1", kind: String = "video") async throws {
        let response = try await json(.put, "/v1/subjects/\(id)", harness, #"{"kind":"\#(kind)","creator_id":"\#(creator)","reach":{"views":1000}}"#)
        #expect(response.status == .created)
    }

    func report(_ harness: Harness, reporter: String, subject: String, reason: String = "spam", extra: String = "", headers: HTTPFields = [:]) async throws -> TestResponse {
        try await json(.post, "/v1/reports", harness, #"{"reporter_id":"\#(reporter)","subject_id":"\#(subject)","reason":"\#(reason)"\#(extra)}"#, headers: headers)
    }

    func state(_ harness: Harness, of subject: String) async throws -> String? {
        let response = try await json(.get, "/v1/subjects/\(subject)", harness)
        return try response.object()["state"] as? String
    }
}

extension TestClientProtocol {
    /// A moderator API call.
    @discardableResult
    func mod(_ method: HTTPRequest.Method, _ uri: String, token: String, _ body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Takes the case from the queue and decides it.
    func decideNext(_ token: String, _ decision: String) async throws -> [String: Any] {
        let claimed = try await mod(.post, "/v1/mod/queue/next", token: token)
        #expect(claimed.status == .ok, "\(claimed.text)")
        let caseID = try #require(try claimed.object()["case_id"] as? String)
        let decided = try await mod(.post, "/v1/mod/cases/\(caseID)/decision", token: token, decision)
        #expect(decided.status == .created, "\(decided.text)")
        return try decided.object()
    }

    func notices(_ harness: Harness, creator: String) async throws -> [[String: Any]] {
        try #require(try await json(.get, "/v1/creators/\(creator)/notices", harness).object()["notices"] as? [[String: Any]])
    }

    func reportStatuses(_ harness: Harness, reporter: String) async throws -> [String] {
        let items = try #require(try await json(.get, "/v1/reporters/\(reporter)/reports", harness).object()["reports"] as? [[String: Any]])
        return items.compactMap { $0["status"] as? String }
    }
}

extension TestResponse {
    func object() throws -> [String: Any] {
        let data = Data(body.readableBytesView)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "body: \(String(decoding: data, as: UTF8.self))")
    }

    var text: String { String(buffer: body) }
}

let idempotencyKey = HTTPField.Name("Idempotency-Key")!
