import Foundation
@testable import VigilStore
import VigilCore

/// A fresh, migrated store in its own temporary directory, removed afterwards.
func withFreshStore<T>(_ body: (Store, URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try await Store.openSQLite(path: directory.appendingPathComponent("vigil.sqlite").path)
    do {
        try await store.migrate()
        let value = try await body(store, directory)
        await store.close()
        return value
    } catch {
        await store.close()
        throw error
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
