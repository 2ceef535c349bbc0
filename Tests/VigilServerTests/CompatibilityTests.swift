import Foundation
import Testing
@testable import VigilServer
@testable import VigilStore
import VigilCore

/// A database written by the Vigil of commit 6a3e882, before events were typed
/// (`scripts/fixtures/make-v1-database.sh` made it through that version's API): today's code
/// reads it, verifies it, decodes every event as its typed payload and reports on it.
@Suite("Compatibility with older databases")
struct CompatibilityTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/v1-database")

    /// A copy to work on: opening a database migrates and writes to it.
    func copyOfFixture() throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-v1-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixture, to: copy)
        return copy
    }

    func roundTrip<P: EventPayload>(_ type: P.Type, _ text: String) throws -> String {
        EventCoding.encode(try EventCoding.decode(type, from: text))
    }

    @Test("every event of an older database verifies, decodes as its type's payload and encodes back to the same bytes")
    func typedEvents() async throws {
        let directory = try copyOfFixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.openSQLite(path: directory.appendingPathComponent("vigil.sqlite").path)
        try await store.withRunning {
        try await store.migrate()
        #expect(try await store.verifyAuditLog() == .intact(events: 41))
        let events = try await store.read { try await $0.auditEvents(after: 0, limit: 1_000) }
        #expect(events.count == 41)
        var types = Set<AuditEventType>()
        for event in events {
            let type = try #require(AuditEventType(rawValue: event.type))
            types.insert(type)
            #expect(try roundTrip(type.payloadType, event.payload) == event.payload, "\(event.type) #\(event.seq)")
        }
        #expect(types.count == 16, "the fixture exercises most event types: \(types.map(\.rawValue).sorted())")
        }
    }

    @Test("the transparency report and the statement export read an older database as they read a new one")
    func reports() async throws {
        let directory = try copyOfFixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = try ServerConfiguration.resolve(flags: .init(dataDirectory: directory.path), environment: [:])
        var logger = Logger(label: "compat")
        logger.logLevel = .critical
        let app = try await VigilApp.open(configuration: configuration, logger: logger)
        try await app.withRunning { app in
        let report = try await TransparencyReporting(store: app.store).report(from: Timestamp(milliseconds: 0), to: Timestamp.now().adding(seconds: 86_400))
        #expect(report.reportsReceived == 9)
        #expect(report.reportsByCategory == ["hate_speech": 3, "harassment": 5, "child_safety": 1])
        #expect(report.restrictionsByType == ["pending_review": 3, "removed": 2])
        #expect(report.automatedRestrictions == 3)
        #expect(report.humanDecisions == ["violation": 2, "no_violation": 1])
        #expect(report.appealsReceived == 1 && report.appealsDecided == 1 && report.appealsGrantedShare == 1)
        #expect(report.strikes == 1)
        #expect(report.accountActions == ["warning": 1])

        let statements = try await StatementExport(store: app.store, policy: app.policy, keyring: app.keyring).statements(since: Timestamp(milliseconds: 0))
        #expect(statements.count == 5, "three provisional takedowns and two removals")
        }
    }
}

import Logging
