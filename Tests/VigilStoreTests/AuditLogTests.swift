import Foundation
import SQLKit
import Testing
import VigilTestSupport
@testable import VigilStore
import VigilCore

@Suite("Audit log in the store")
struct AuditLogTests {
    func appendSome(_ store: Store, count: Int) async throws {
        for batch in 0..<3 {
            let drafts = (0..<count).map { i in
                AuditEventDraft(type: .reportReceived, subjectID: "s\(i)", payload: "{\"batch\":\(batch),\"i\":\(i)}", occurredAt: testTime)
            }
            let appended = try await store.write { try await $0.appendEvents(drafts) }
            #expect(appended.count == count)
        }
    }

    /// Tampering as someone with the database file would: drop the guard triggers, then edit.
    func tamper(_ store: Store, _ statement: String) async throws {
        try await store.writeRaw { sql in
            for trigger in ["audit_events_no_update", "audit_events_no_delete"] {
                try await sql.raw(SQLQueryString(store.engine.dropTrigger(trigger, table: "audit_events"))).run()
            }
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    @Test("appends across transactions form one chain", arguments: TestDatabase.all)
    func oneChain(database: TestDatabase) async throws {
        try await withFreshStore(database) { store, _ async throws in
            try await appendSome(store, count: 4)
            #expect(try await store.verifyAuditLog() == .intact(events: 12))
            #expect(try await store.verifyAuditLog(pageSize: 5) == .intact(events: 12), "paging does not matter")
        }
    }

    @Test("tampering is detected", arguments: TestDatabase.all, [
        ("UPDATE audit_events SET payload = '{\"batch\":9}' WHERE seq = 5", "event 5 was altered"),
        ("DELETE FROM audit_events WHERE seq = 7", "event 7 is missing"),
        ("DELETE FROM audit_events WHERE seq >= 11", "the chain head records event 12 but the last stored event is 10"),
        ("UPDATE audit_events SET occurred_at = occurred_at + 1 WHERE seq = 1", "event 1 was altered"),
    ])
    func tampering(database: TestDatabase, row: (String, String)) async throws {
        let (statement, expected) = row
        try await withFreshStore(database) { store, _ async throws in
            try await appendSome(store, count: 4)
            try await tamper(store, statement)
            let result = try await store.verifyAuditLog()
            guard case .broken(let failure) = result else {
                Issue.record("verify passed a tampered log")
                return
            }
            #expect(failure.description.hasPrefix(expected))
        }
    }
}
