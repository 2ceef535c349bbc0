import Foundation
import Logging
@testable import VigilStore
import VigilCore
import VigilTestSupport

/// Runs `body` on a fresh store of `database`'s engine (migrated unless asked otherwise): SQLite
/// in its own temporary directory, PostgreSQL in its own new database. Both are removed afterwards.
func withFreshStore(_ database: TestDatabase, logger: Logger = Logger(label: "vigil.store"), migrated: Bool = true,
                    _ body: (Store, URL) async throws -> Void) async throws {
    try await withTemporaryDirectory("vigil-store") { directory in
        let (store, dispose) = try await database.openFresh(in: directory, logger: logger)
        do {
            try await store.withRunning {
                if migrated { try await store.migrate() }
                try await body(store, directory)
            }
        } catch {
            await dispose()
            throw error
        }
        await dispose()
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
