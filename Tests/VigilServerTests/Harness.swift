import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import VigilTestSupport
import Testing
@testable import VigilServer
@testable import VigilStore
import VigilCore

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

    /// Reviews the reports' independence (cases for review, coordination flags, shields), then
    /// lets the settle period of every waiting takedown pass and settles them, as the maintenance
    /// service does every few seconds: corroborated ordinary reports take a subject down then.
    func settleTakedowns() async throws {
        try await reviewIndependence()
        let rules = app.rules.independence
        time.advance(seconds: max(rules.settleMinutes, rules.liveSettleMinutes) * 60 + 1)
        try await app.maintenance.settling?.settleDue(at: app.clock.now())
    }

    /// Runs the independence review's pass, as the maintenance service does every few seconds.
    func reviewIndependence() async throws {
        try await app.maintenance.review?.reviewNew(at: app.clock.now())
    }

    /// Adds a moderator and returns their token.
    func moderator(_ name: String, role: ModeratorRole = .moderator) async throws -> String {
        try await app.moderators.add(name: name, role: role.rawValue).token
    }
}

/// Runs `body` against the real application on a fresh database of `database`'s engine (SQLite
/// unless a test asks for more: `@Test(arguments: TestDatabase.all)` makes each engine a test case).
func withHarness(
    database: TestDatabase = .sqlite, policy: Policy = .builtIn, rules: ModerationRules = .standard, reportsPerMinute: Int = 1_000,
    live: Bool = false, timeouts: ConnectionTimeouts = .standard, webhooks: WebhookDispatcher.Settings = .init(),
    ruleSet: RuleSet = .empty, textClassifier: Bool = false, detectionSettings: DetectionSettings = .init(), console: ConsoleSettings = .init(),
    maintenanceInterval: Duration = .seconds(5),
    _ body: @escaping @Sendable (any TestClientProtocol, Harness) async throws -> Void
) async throws {
    try await withTemporaryDirectory("vigil-server") { directory in
        let logs = LogCapture()
        let logger = logs.logger()
        let time = TestClock()
        let keyring = try KeyFile.loadOrCreate(path: directory.appendingPathComponent("vigil.keys").path)
        let (store, dispose) = try await database.openFresh(in: directory, logger: logger)
        do {
            let app = VigilApp(store: store, policy: policy, keyring: keyring, rules: rules, reportsPerMinutePerReporter: reportsPerMinute,
                               webhooks: webhooks, ruleSet: ruleSet, textClassifier: textClassifier ? try BuiltInClassifiers.text() : nil,
                               detectionSettings: detectionSettings, maintenanceInterval: maintenanceInterval, console: console, bcryptCost: 4,
                               logger: logger, clock: time.clock)
            // The router is enough for most tests; `live` runs a real server on a free port, for what
            // only real connections show (timeouts, malformed HTTP). Either way the application's
            // service group runs the store, intake and maintenance, and migrates before the test begins.
            try await app.application(host: "127.0.0.1", port: 0, timeouts: timeouts, logger: logger).test(live ? .live : .router) { client in
                let token = try await app.accessKeys.create(scopes: Scope.allCases.map(\.rawValue), label: "all").token
                try await body(client, Harness(app: app, directory: directory, token: token, logs: logs, time: time))
            }
        } catch {
            await dispose()
            throw error
        }
        await dispose()
    }
}

extension TestClientProtocol {
    @discardableResult
    func json(_ method: HTTPRequest.Method, _ uri: String, _ harness: Harness, _ body: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = body == nil ? harness.auth : harness.jsonAuth
        for field in headers { fields[field.name] = field.value }
        return try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
    }

    /// Registers a subject; by default a widely seen one, so that a few reports at once are what its
    /// audience explains (tests of bursts give a small reach).
    func register(_ harness: Harness, id: String, creator: String = "creator-1", kind: String = "video", views: Int = 100_000, liveViewers: Int = 0) async throws {
        let response = try await json(.put, "/v1/subjects/\(id)", harness,
                                      #"{"kind":"\#(kind)","creator_id":"\#(creator)","reach":{"views":\#(views),"live_viewers":\#(liveViewers)}}"#)
        #expect(response.status == .created)
    }

    func report(_ harness: Harness, reporter: String, subject: String, reason: String = "spam", extra: String = "", headers: HTTPFields = [:]) async throws -> TestResponse {
        try await json(.post, "/v1/reports", harness, #"{"reporter_id":"\#(reporter)","subject_id":"\#(subject)","reason":"\#(reason)"\#(extra)}"#, headers: headers)
    }

    func state(_ harness: Harness, of subject: String) async throws -> String? {
        try await json(.get, "/v1/subjects/\(subject)", harness).decode(API.Subject.self).state
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
        let caseID = try claimed.decode(API.Claim.self).caseId
        let decided = try await mod(.post, "/v1/mod/cases/\(caseID)/decision", token: token, decision)
        #expect(decided.status == .created, "\(decided.text)")
        return try decided.object()
    }

    /// Takes the case from the queue and decides it; the decision as the API returns it.
    func decideNextTyped(_ token: String, _ decision: String) async throws -> API.Decision {
        let claimed = try await mod(.post, "/v1/mod/queue/next", token: token)
        #expect(claimed.status == .ok, "\(claimed.text)")
        let decided = try await mod(.post, "/v1/mod/cases/\(try claimed.decode(API.Claim.self).caseId)/decision", token: token, decision)
        #expect(decided.status == .created, "\(decided.text)")
        return try decided.decode(API.Decision.self)
    }

    func notices(_ harness: Harness, creator: String) async throws -> [[String: Any]] {
        try #require(try await json(.get, "/v1/creators/\(creator)/notices", harness).object()["notices"] as? [[String: Any]])
    }

    func reportStatuses(_ harness: Harness, reporter: String) async throws -> [String] {
        try await json(.get, "/v1/reporters/\(reporter)/reports", harness).decode(API.ReportList.self).reports.map(\.status)
    }

    func typedNotices(_ harness: Harness, creator: String) async throws -> [API.NoticeList.Notice] {
        try await json(.get, "/v1/creators/\(creator)/notices", harness).decode(API.NoticeList.self).notices
    }

    func feed(_ harness: Harness, after cursor: String? = nil) async throws -> API.Feed {
        try await json(.get, "/v1/enforcement-events" + (cursor.map { "?after=\($0)" } ?? ""), harness).decode(API.Feed.self)
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
