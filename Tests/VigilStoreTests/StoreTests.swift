import Crypto
import Foundation
import Testing
import VigilTestSupport
@testable import VigilStore
import VigilCore

@Suite("Store")
struct StoreTests {
    @Test("migrations apply once and record their version", arguments: TestDatabase.all)
    func migrations(database: TestDatabase) async throws {
        try await withFreshStore(database) { store, _ async throws in
            #expect(try await store.isMigrated())
            #expect(try await store.migrate().isEmpty, "a second run applies nothing")
            #expect(try await store.appliedMigrations() == Set(Migrations.all.map(\.version)))
        }
    }

    @Test("version 4 keeps the appeals of a version 3 database and lets an appeal target a misuse measure instead", arguments: TestDatabase.all)
    func appealsUpgrade(database: TestDatabase) async throws {
        try await withFreshStore(database, migrated: false) { store, _ async throws in
            #expect(try await store.migrate(through: 3) == [1, 2, 3])
            try await store.writeRaw { sql in
                try await sql.raw("""
                    INSERT INTO subjects (id, kind, creator_id, views, live_viewers, state, state_changed_at, registered_at, updated_at)
                    VALUES ('s1', 'video', 'c1', 0, 0, 'removed', 1, 1, 1)
                    """).run()
                try await sql.raw("""
                    INSERT INTO cases (id, subject_id, status, category, severity, opened_at, deadline_at)
                    VALUES ('case1', 's1', 'closed', 'spam', 'low', 1, 2)
                    """).run()
                try await sql.raw("""
                    INSERT INTO decisions (id, case_id, subject_id, creator_id, moderator_id, outcome, policy_ids, strike, note,
                      policy_version, previous_state, resulting_state, automated, decided_at)
                    VALUES ('dec1', 'case1', 's1', 'c1', 'mod1', 'violation', 'spam', 0, 'n', 'v1', 'pending_review', 'removed', 0, 3)
                    """).run()
                try await sql.raw("""
                    INSERT INTO appeals (id, decision_id, appellant_type, appellant, statement, status, filed_at)
                    VALUES ('apl1', 'dec1', 'creator', 'c1', 'please', 'open', 4)
                    """).run()
            }
            #expect(try await store.migrate() == [4, 5, 6, 7, 8, 9, 10, 11, 12])
            let kept = try await store.read { try await $0.appeal(id: "apl1") }
            #expect(kept?.target == .decision("dec1"))
            #expect(kept?.statement == "please")

            let measure = MisuseMeasureRecord(id: "mis1", reporterHash: "hash-1", kind: .suspension, imposedAt: testTime, until: testTime.adding(seconds: 60))
            try await store.write { tx in
                try await tx.insertMisuseMeasures([measure])
                try await tx.insertAppeal(AppealRecord(id: "apl2", target: .misuseMeasure("mis1"), appellantType: .reporter, appellant: "hash-1", statement: "unfair", filedAt: testTime))
            }
            #expect(try await store.read { try await $0.appeal(id: "apl2") }?.target == .misuseMeasure("mis1"))
            #expect(try await store.read { try await $0.appealExists(target: .misuseMeasure("mis1"), appellantType: .reporter, appellant: "hash-1") })
            // An appeal must name exactly one thing it contests.
            await #expect(throws: (any Error).self) {
                try await store.writeRaw { sql in
                    try await sql.raw("""
                        INSERT INTO appeals (id, appellant_type, appellant, statement, status, filed_at) VALUES ('apl3', 'creator', 'c1', 'x', 'open', 5)
                        """).run()
                }
            }
        }
    }

    @Test("subjects round-trip, and state changes are kept", arguments: TestDatabase.all)
    func subjects(database: TestDatabase) async throws {
        try await withFreshStore(database) { store, _ async throws in
            let subject = sampleSubject()
            try await store.write { try await $0.insertSubject(subject, at: testTime) }
            #expect(try await store.read { try await $0.subject(id: "video-1") } == subject)
            try await store.write { try await $0.setSubjectState(id: "video-1", state: .pendingReview, ground: "spam", at: testTime.adding(seconds: 5)) }
            let changed = try #require(try await store.read { try await $0.subject(id: "video-1") })
            #expect(changed.state == .pendingReview)
            #expect(changed.stateGround == "spam")
            #expect(try await store.read { try await $0.subject(id: "nope") } == nil)
        }
    }

    @Test("a reporter has at most one report per subject", arguments: TestDatabase.all)
    func onePerReporter(database: TestDatabase) async throws {
        try await withFreshStore(database) { store, _ async throws in
            try await store.write { try await $0.insertSubject(sampleSubject(), at: testTime) }
            try await store.write { try await $0.insertReports([sampleReport("rpt_1", reporterHash: "h1")]) }
            await #expect(throws: VigilError.self) {
                try await store.write { try await $0.insertReports([sampleReport("rpt_2", reporterHash: "h1")]) }
            }
            let existing = try await store.read {
                try await $0.existingReports(for: [ReporterSubjectKey(reporterHash: "h1", subjectID: "video-1"), ReporterSubjectKey(reporterHash: "h2", subjectID: "video-1")])
            }
            #expect(existing == [ReporterSubjectKey(reporterHash: "h1", subjectID: "video-1"): "rpt_1"])
            #expect(try await store.read { try await $0.reportCount() } == 1)
        }
    }

    @Test("version 12: the independence review of an upgraded database starts after its newest event", arguments: TestDatabase.all)
    func independenceReviewUpgrade(database: TestDatabase) async throws {
        try await withFreshStore(database, migrated: false) { store, _ async throws in
            _ = try await store.migrate(through: 11)
            let earlier = (0..<3).map { i in
                AuditEventDraft(type: .reportReceived, subjectID: "s\(i)", payload: "{}", occurredAt: testTime)
            }
            _ = try await store.write { try await $0.appendEvents(earlier) }
            #expect(try await store.migrate() == [12])
            let cursor = try await store.read { try await $0.independenceReviewCursor(locking: false) }
            #expect(cursor == 3, "the reports before the upgrade were assessed by intake as they arrived")
            _ = try await store.write { try await $0.appendEvents([AuditEventDraft(type: .reportReceived, subjectID: "s9", payload: "{}", occurredAt: testTime)]) }
            let next = try await store.read { try await $0.reportedSubjects(afterEvent: cursor, limit: 10) }
            #expect(next.subjectIDs == ["s9"])
            #expect(next.lastEvent == 4)
            #expect(try await store.read { try await $0.eventsAwaitingIndependenceReview() })
            try await store.write { try await $0.setIndependenceReviewCursor(4) }
            #expect(try await store.read { try await $0.eventsAwaitingIndependenceReview() } == false)
        }
    }

    @Test("a failed transaction writes nothing", arguments: TestDatabase.all)
    func rollback(database: TestDatabase) async throws {
        try await withFreshStore(database) { store, _ async throws in
            try await store.write { try await $0.insertSubject(sampleSubject(), at: testTime) }
            await #expect(throws: VigilError.self) {
                try await store.write { tx in
                    try await tx.insertReports([sampleReport("rpt_1", reporterHash: "h1")])
                    try await tx.appendEvents([AuditEventDraft(type: .reportReceived, subjectID: "video-1", payload: "{}", occurredAt: testTime)])
                    try await tx.insertSubject(sampleSubject(), at: testTime)  // duplicate key: the whole transaction fails
                }
            }
            #expect(try await store.read { try await $0.reportCount() } == 0)
            #expect(try await store.read { try await $0.auditHead() }.seq == 0)
        }
    }

    @Test("reports and audit events refuse updates and deletes", arguments: TestDatabase.all)
    func appendOnly(database: TestDatabase) async throws {
        try await withFreshStore(database) { store, _ async throws in
            try await store.write { tx in
                try await tx.insertSubject(sampleSubject(), at: testTime)
                try await tx.insertReports([sampleReport("rpt_1", reporterHash: "h1")])
                try await tx.appendEvents([AuditEventDraft(type: .reportReceived, subjectID: "video-1", payload: "{}", occurredAt: testTime)])
            }
            for statement in [
                "UPDATE reports SET reason = 'other'", "DELETE FROM reports",
                "UPDATE audit_events SET payload = '{}'", "DELETE FROM audit_events",
            ] {
                await #expect(throws: VigilError.self, "\(statement)") {
                    try await store.writeRaw { try await $0.raw(SQLQueryString(statement)).run() }
                }
            }
            #expect(try await store.read { try await $0.reportCount() } == 1)
        }
    }

    @Test("reporter counts accumulate by hash", arguments: TestDatabase.all)
    func reporterCounts(database: TestDatabase) async throws {
        try await withFreshStore(database) { store, _ async throws in
            try await store.write { try await $0.recordFiledReports(["h1": (1, 1), "h2": (1, 0)], at: testTime) }
            try await store.write { try await $0.recordFiledReports(["h1": (2, 1)], at: testTime) }
            let reporters = try await store.read { try await $0.reporters(hashes: ["h1", "h2", "h3"]) }
            #expect(reporters["h1"]?.reportsFiled == 3)
            #expect(reporters["h1"]?.pending == 2)
            #expect(reporters["h2"]?.pending == 0)
            #expect(reporters["h3"] == nil)
            #expect(reporters["h1"]?.record == TrackRecord(asOf: testTime))
        }
    }

    @Test("one open case per subject", arguments: TestDatabase.all)
    func oneOpenCase(database: TestDatabase) async throws {
        try await withFreshStore(database) { store, _ async throws in
            try await store.write { try await $0.insertSubject(sampleSubject(), at: testTime) }
            let c = CaseRecord(id: "case_1", subjectID: "video-1", kind: .video, category: "spam", severity: .low, openedAt: testTime, deadlineAt: testTime, priority: 1)
            try await store.write { try await $0.insertCases([c]) }
            await #expect(throws: VigilError.self) {
                try await store.write { try await $0.insertCases([CaseRecord(id: "case_2", subjectID: "video-1", kind: .video, category: "spam", severity: .low, openedAt: testTime, deadlineAt: testTime, priority: 1)]) }
            }
            #expect(try await store.read { try await $0.openCases(subjectIDs: ["video-1"]) }["video-1"]?.id == "case_1")
        }
    }

    @Test("the keyring hashes stably, seals non-deterministically, and unseals")
    func keyring() throws {
        let keyring = ReporterKeyring(lookupKey: SymmetricKey(size: .bits256), sealKey: SymmetricKey(size: .bits256))
        #expect(keyring.lookupHash(of: "alice") == keyring.lookupHash(of: "alice"))
        #expect(keyring.lookupHash(of: "alice") != keyring.lookupHash(of: "bob"))
        let a = try keyring.seal("alice"), b = try keyring.seal("alice")
        #expect(a != b, "a fresh nonce each time: equal ids do not give equal seals")
        #expect(try keyring.unseal(a) == "alice")
        #expect(!a.contains("alice"))
        let other = ReporterKeyring(lookupKey: SymmetricKey(size: .bits256), sealKey: SymmetricKey(size: .bits256))
        #expect(other.lookupHash(of: "alice") != keyring.lookupHash(of: "alice"), "the hash depends on the key")
        #expect(throws: (any Error).self) { try other.unseal(a) }
    }
}

import SQLKit
