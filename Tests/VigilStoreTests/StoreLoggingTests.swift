import Foundation
import Logging
import Synchronization
import Testing
@testable import VigilStore
import VigilCore

/// A failed write is logged, but never with the values it tried to write (DESIGN.md §3.4).
@Suite("Store logging")
struct StoreLoggingTests {
    final class Lines: Sendable {
        let text = Mutex<String>("")
    }

    struct Handler: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.text.withLock { $0 += "\(event.level) \(event.message) \(event.metadata ?? [:])\n" }
        }
    }

    @Test("a failed write logs its kind, never the reporter hash, seal or note it carried")
    func failedWriteLogsNoValues() async throws {
        let lines = Lines()
        var logger = Logger(label: "test") { _ in Handler(lines: lines) }
        logger.logLevel = .trace
        try await withFreshStore(logger: logger) { store, _ async throws in
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
        let text = lines.text.withLock { $0 }
        #expect(text.contains("write transaction failed"), "the failure was logged: \(text)")
        for secret in ["hash-SECRET-7Q2", "seal-SECRET-9Z4", "note-SECRET-3K8"] {
            #expect(!text.contains(secret), "the log holds \(secret): \(text)")
        }
    }
}
