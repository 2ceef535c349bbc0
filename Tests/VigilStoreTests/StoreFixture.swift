import Foundation
import Logging
@testable import VigilStore
import VigilCore

/// The engines the store suite runs on: SQLite always, PostgreSQL when `VIGIL_TEST_POSTGRES_URL` is set.
var testEngines: [SQLEngine] {
    ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
}

/// Runs `body` on a fresh, migrated store of each test engine: SQLite in its own temporary
/// directory, PostgreSQL in its own new database. Both are removed afterwards.
func withFreshStore(logger: Logger = Logger(label: "vigil.store"), migrated: Bool = true, _ body: (Store, URL) async throws -> Void) async throws {
    for engine in testEngines {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let admin = ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"] ?? ""
        let name = "vigil_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let store: Store = switch engine {
        case .sqlite: try await Store.openSQLite(path: directory.appendingPathComponent("vigil.sqlite").path, logger: logger)
        case .postgres: try Store.openPostgres(url: try await Store.createPostgresDatabase(adminURL: admin, name: name), logger: logger)
        }
        do {
            try await store.withRunning {
                if migrated { try await store.migrate() }
                try await body(store, directory)
            }
        } catch {
            if engine == .postgres { try? await Store.dropPostgresDatabase(adminURL: admin, name: name) }
            throw error
        }
        if engine == .postgres { try await Store.dropPostgresDatabase(adminURL: admin, name: name) }
    }
}

let testTime = Timestamp(milliseconds: 1_700_000_000_000)

func sampleSubject(_ id: String = "video-1", kind: SubjectKind = .video) -> Subject {
    Subject(id: id, kind: kind, creatorID: "creator-1", reach: Reach(views: 10), stateChangedAt: testTime)
}

func sampleReport(_ id: String, subject: String = "video-1", reporterHash: String) -> StoredReport {
    StoredReport(
        id: id, subjectID: subject, reporterHash: reporterHash, reporterSeal: "sealed", reason: "spam", note: nil,
        channel: .userReport, noticeExplanation: nil, noticeLocation: nil, noticeLegalGround: nil, noticeContactSeal: nil,
        weight: 1, counted: true, policyVersion: "v1", receivedAt: testTime)
}
