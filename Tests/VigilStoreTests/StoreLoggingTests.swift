import Foundation
import Logging
import Testing
import VigilTestSupport
@testable import VigilStore
import VigilCore

/// A failed write is logged, but never with the values it tried to write (DESIGN.md §3.4).
@Suite("Store logging")
struct StoreLoggingTests {
    @Test("a failed write logs its kind, never the reporter hash, seal or note it carried", arguments: TestDatabase.all)
    func failedWriteLogsNoValues(database: TestDatabase) async throws {
        let logs = LogCapture()
        try await withFreshStore(database, logger: logs.logger()) { store, _ async throws in
            var report = sampleReport("rpt_1", reporterHash: "hash-SECRET-7Q2")
            report.reporterSeal = "seal-SECRET-9Z4"
            report.note = "note-SECRET-3K8"
            try await store.write { try await $0.insertSubject(sampleSubject(), at: testTime) }
            let first = report
            try await store.write { try await $0.insertReports([first]) }
            report.id = "rpt_2"  // the same reporter and subject again: the unique index refuses it
            let again = report
            await #expect(throws: VigilError.self) { try await store.write { try await $0.insertReports([again]) } }
        }
        let text = logs.text
        #expect(text.contains("write transaction failed"), "the failure was logged: \(text)")
        for secret in ["hash-SECRET-7Q2", "seal-SECRET-9Z4", "note-SECRET-3K8"] {
            #expect(!text.contains(secret), "the log holds \(secret): \(text)")
        }
    }
}
