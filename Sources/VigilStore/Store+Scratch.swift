import Foundation
import SQLKit
import VigilCore

extension Store {
    /// Creates a fresh PostgreSQL database next to the one `adminURL` names and returns its URL.
    /// For the test suites (each test gets its own database) and for operators' tooling.
    public static func createPostgresDatabase(adminURL: String, name: String) async throws -> String {
        try Validate.identifier(name, field: "name")
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw VigilError.invalidField(field: "name", detail: "must be letters, digits and underscores")
        }
        // A long wait for the connection: scratch databases are made by many tests at once, and
        // each CREATE DATABASE forces a checkpoint, so they queue.
        let admin = try Store.openPostgres(url: adminURL, settings: .init(maximumConnections: 1, connectTimeout: .seconds(60)))
        // CREATE DATABASE cannot run in a transaction: use a plain (read) connection.
        try await admin.withRunning { try await admin.read { try await $0.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run() } }
        guard var components = URLComponents(string: adminURL) else { throw VigilError.invalidField(field: "database", detail: "is not a URL") }
        components.path = "/" + name
        guard let url = components.string else { throw VigilError.invalidField(field: "database", detail: "is not a URL") }
        return url
    }

    /// Drops a database made by ``createPostgresDatabase(adminURL:name:)``, closing its connections.
    public static func dropPostgresDatabase(adminURL: String, name: String) async throws {
        let admin = try Store.openPostgres(url: adminURL, settings: .init(maximumConnections: 1, connectTimeout: .seconds(60)))
        try await admin.withRunning { try await admin.read { try await $0.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() } }
    }
}
