import Foundation
import Logging
import Testing
import VigilStore

/// A database engine the suites run on, as a test argument: `@Test(arguments: TestDatabase.all)`
/// makes each engine its own test case, so a failure says which engine it was. SQLite always;
/// PostgreSQL when `VIGIL_TEST_POSTGRES_URL` names a server (CI sets it).
public struct TestDatabase: Sendable, CustomTestStringConvertible {
    public var engine: SQLEngine

    public static let sqlite = TestDatabase(engine: .sqlite)
    public static let postgres = TestDatabase(engine: .postgres)

    /// Every engine available here.
    public static var all: [TestDatabase] { postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    static var postgresAdminURL: String? { ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"] }

    public var testDescription: String { engine.rawValue }

    /// A fresh, empty store: SQLite in `directory`, PostgreSQL in a new database of its own. The
    /// returned closure removes the PostgreSQL database afterwards.
    public func openFresh(in directory: URL, logger: Logger) async throws -> (store: Store, dispose: @Sendable () async -> Void) {
        switch engine {
        case .sqlite:
            return (try await Store.openSQLite(path: directory.appendingPathComponent("vigil.sqlite").path, logger: logger), {})
        case .postgres:
            guard let admin = Self.postgresAdminURL else { throw TestDatabaseUnavailable() }
            let name = "vigil_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            // A generous wait for a connection: the whole suite runs at once against one server on
            // two cores, and a test must not fail because another one was busy.
            let store = try Store.openPostgres(url: try await Store.createPostgresDatabase(adminURL: admin, name: name),
                                               settings: .init(connectTimeout: .seconds(30)), logger: logger)
            return (store, { try? await Store.dropPostgresDatabase(adminURL: admin, name: name) })
        }
    }

    struct TestDatabaseUnavailable: Error, CustomStringConvertible {
        var description: String { "VIGIL_TEST_POSTGRES_URL is not set" }
    }
}

/// A fresh temporary directory, removed after `body`.
public func withTemporaryDirectory<T>(_ prefix: String, _ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}
