import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

/// Findings of the security probe (issue 8), each as the probe found it.
@Suite("Input hardening")
struct InputHardeningTests {
    @Test("control characters in free text are refused, naming the field; tabs and line breaks are kept", arguments: [
        (#"{"kind":"video","creator_id":"c","title":"a\u0000b"}"#, "title"),
        (#"{"kind":"video","creator_id":"c","title":"ok","text":"line\u0007bell"}"#, "text"),
    ])
    func controlCharactersInSubjects(body: String, field: String) async throws {
        try await withHarness(database: .sqlite) { client, h async throws in
            let response = try await client.json(.put, "/v1/subjects/nul", h, body)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(try response.object()["field"] as? String == field)
            #expect(try await client.json(.get, "/v1/subjects/nul", h).status == .notFound, "nothing written")
        }
    }

    @Test("a report note with a NUL is refused; one with line breaks reads back whole", arguments: TestDatabase.all)
    func controlCharactersInNotes(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v")
            let nul = try await client.report(h, reporter: "u", subject: "v", extra: #","note":"first\u0000hidden""#)
            #expect(nul.status == .unprocessableContent)
            #expect(try nul.object()["field"] as? String == "note")
            #expect(try await h.reportCount() == 0)
            let lines = try await client.report(h, reporter: "u", subject: "v", extra: #","note":"line one\nline two\tend""#)
            #expect(lines.status == .created)
            let stored = try await h.app.store.read { session in
                try await session.sql.raw("SELECT note FROM reports").first()?.decode(column: "note", as: String.self)
            }
            #expect(stored == "line one\nline two\tend")
        }
    }

    @Test("a key twice in one object is refused, naming it, and nothing is written", arguments: [
        (#"{"reporter_id":"a","subject_id":"v","reason":"spam","reporter_id":"b"}"#, "reporter_id"),
        (#"{"reporter_id":"a","subject_id":"v","reason":"spam","\u0072eason":"hate_speech"}"#, "reason"),
        (#"{"reporter_id":"a","subject_id":"v","reason":"hate_speech","channel":"illegal_content_notice","notice":{"explanation":"x","location_url":"https://e.com","notifier_name":"n","notifier_email":"n@e.com","explanation":"y"}}"#, "notice.explanation"),
    ])
    func duplicateKeys(body: String, field: String) async throws {
        try await withHarness(database: .sqlite) { client, h async throws in
            try await client.register(h, id: "v")
            let head = try await h.auditHead()
            let response = try await client.json(.post, "/v1/reports", h, body)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(try response.object()["field"] as? String == field)
            #expect(try await h.reportCount() == 0)
            #expect(try await h.auditHead() == head)
        }
    }

    @Test("the key scan: duplicates in nested objects and arrays, escapes, keys equal only after decoding, and every key's path")
    func keyScan() {
        let cases: [(String, String?)] = [
            (#"{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}"#, nil),
            (#"{"a":{"x":1,"x":2}}"#, "a.x"),
            (#"{"c":[{"k":1},{"k":1,"k":2}]}"#, "c[1].k"),
            (#"{"s":"\"a\":1,\"a\":2","t":1}"#, nil),
            (#"{"caf\u00e9":1,"café":2}"#, "café"),
            (#"{"a":"x\\","a":1}"#, "a"),
            (#"[{"a":1},{"a":1}]"#, nil),
            (#"{"#, nil),
        ]
        for (json, expected) in cases {
            #expect(JSONKeyScan(Array(json.utf8)).duplicate == expected, "\(json)")
        }
        let scan = JSONKeyScan(Array(#"{"a":1,"b":{"c":[{"d":1},{"e":{"f":2}}]},"g":"{\"h\":1}"}"#.utf8))
        #expect(scan.paths == ["a", "b", "b.c", "b.c[].d", "b.c[].e", "b.c[].e.f", "g"])
        #expect(scan.firstUnknown(in: ["a", "b", "b.c", "b.c[].d", "b.c[].e", "g"]) == "b.c[].e.f")
    }

    @Test("unknown fields are refused, naming them, and nothing is written", arguments: [
        ("PUT", "/v1/subjects/x", #"{"kind":"video","creator_id":"c","reach":{"viewz":5},"title":"x"}"#, "reach.viewz"),
        ("PUT", "/v1/subjects/x", #"{"kind":"video","creator_id":"c","titel":"x"}"#, "titel"),
        ("POST", "/v1/reports", #"{"reporter_id":"a","subject_id":"v","reason":"spam","nte":"typo"}"#, "nte"),
        ("POST", "/v1/reports", #"{"reporter_id":"a","subject_id":"v","reason":"hate_speech","channel":"illegal_content_notice","notice":{"explanation":"x","location_url":"https://e.com","notifier_name":"n","notifier_email":"n@e.com","notifier_phone":"1"}}"#, "notice.notifier_phone"),
        ("POST", "/v1/appeals", #"{"decision_id":"dec_x","creator_id":"c","statement":"x","urgent":true}"#, "urgent"),
    ])
    func unknownFields(method: String, path: String, body: String, field: String) async throws {
        try await withHarness(database: .sqlite) { client, h async throws in
            try await client.register(h, id: "v")
            let head = try await h.auditHead()
            let response = try await client.json(HTTPRequest.Method(method)!, path, h, body)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(try response.object()["field"] as? String == field)
            #expect(try await h.auditHead() == head, "nothing written")
        }
    }

    @Test("unknown fields in moderator bodies are refused too")
    func unknownModeratorFields() async throws {
        try await withHarness(database: .sqlite) { client, h async throws in
            let moderator = try await h.moderator("m")
            try await client.register(h, id: "v")
            _ = try await client.report(h, reporter: "a", subject: "v", reason: "child_safety")
            let claimed = try await client.mod(.post, "/v1/mod/queue/next", token: moderator)
            let caseID = try #require(try claimed.object()["case_id"] as? String)
            let response = try await client.mod(.post, "/v1/mod/cases/\(caseID)/decision", token: moderator, #"{"outcome":"no_violation","note":"x","strikes":true}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.object()["field"] as? String == "strikes")
        }
    }

    @Test("path ids are percent-decoded before use: clip%2F1 is clip/1, jos%C3%A9 is josé", arguments: TestDatabase.all)
    func percentDecodedPaths(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let created = try await client.json(.put, "/v1/subjects/clip%2F1", h, #"{"kind":"video","creator_id":"josé","reach":{"views":50000}}"#)
            #expect(created.status == .created)
            #expect(try created.object()["id"] as? String == "clip/1")
            #expect(try await client.json(.get, "/v1/subjects/clip%2F1", h).status == .ok)
            for reporter in ["a", "b", "c"] {
                #expect(try await client.report(h, reporter: reporter, subject: "clip/1", reason: "hate_speech").status == .created)
            }
            try await h.settleTakedowns()
            let notices = try await client.json(.get, "/v1/creators/jos%C3%A9/notices", h)
            #expect(notices.status == .ok)
            #expect((try notices.object()["notices"] as? [Any])?.count == 1, "josé can read the statement of reasons: \(notices.text)")
            let bad = try await client.json(.get, "/v1/subjects/bad%ZZ", h)
            #expect(bad.status.code == 404 || bad.status == .unprocessableContent, "\(bad.status)")
            #expect(bad.status.code < 500)
        }
    }

    @Test("the enforcement feed's ids and cursors are opaque, and the regulator export's puids publish no sequence", arguments: TestDatabase.all)
    func opaqueIDs(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            for subject in ["v1", "v2"] {
                try await client.register(h, id: subject)
                // Different reporters per subject: the same three on both would be co-reporters, one voice.
                for reporter in ["a", "b", "c"] { _ = try await client.report(h, reporter: "\(subject)-\(reporter)", subject: subject, reason: "hate_speech") }
            }
            try await h.settleTakedowns()
            let feed = try await client.json(.get, "/v1/enforcement-events?limit=1", h).object()
            let first = try #require((feed["events"] as? [[String: Any]])?.first?["event_id"] as? String)
            #expect(first.hasPrefix("evt_") && first.count > 20, "\(first)")
            #expect(Int(first) == nil && Int(first.dropFirst(4)) == nil, "\(first) is not a sequence number")
            let cursor = try #require(feed["next_cursor"] as? String)
            #expect(Int(cursor) == nil)
            let second = try await client.json(.get, "/v1/enforcement-events?after=\(cursor)", h).object()
            let next = try #require((second["events"] as? [[String: Any]])?.first?["event_id"] as? String)
            #expect(next != first, "the cursor moves forward")
            let numeric = try await client.json(.get, "/v1/enforcement-events?after=1", h)
            #expect(numeric.status == .unprocessableContent)
            #expect(try numeric.object()["field"] as? String == "after")

            let statements = try await StatementExport(store: h.app.store, policy: h.app.policy, keyring: h.app.keyring).statements(since: Timestamp(milliseconds: 0))
            let puids = statements.compactMap { $0["puid"] as? String }
            #expect(puids.count == 2)
            for puid in puids {
                #expect(puid.hasPrefix("ptd-"))
                #expect(Int(puid.dropFirst(4)) == nil, "\(puid) publishes the audit sequence")
            }
            #expect(Set(puids).count == 2)
            let again = try await StatementExport(store: h.app.store, policy: h.app.policy, keyring: h.app.keyring).statements(since: Timestamp(milliseconds: 0))
            #expect(again.compactMap { $0["puid"] as? String } == puids, "stable across exports")
        }
    }

    @Test("an appeals key cannot test whether someone reported: decision_id with any reporter_id gets one answer", arguments: TestDatabase.all)
    func reporterAppealOracle(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let decider = try await h.moderator("decider")
            try await client.register(h, id: "v")
            for reporter in ["witness-0", "witness-1", "witness-2"] { _ = try await client.report(h, reporter: reporter, subject: "v", reason: "hate_speech") }
            let decision = try await client.decideNext(decider, #"{"outcome":"no_violation","note":"fine"}"#)
            let decisionID = try #require(decision["decision_id"] as? String)
            let head = try await h.auditHead()
            let reporter = try await client.json(.post, "/v1/appeals", h, #"{"decision_id":"\#(decisionID)","reporter_id":"witness-0","statement":"x"}"#)
            let stranger = try await client.json(.post, "/v1/appeals", h, #"{"decision_id":"\#(decisionID)","reporter_id":"nobody","statement":"x"}"#)
            #expect(reporter.status == stranger.status)
            #expect(reporter.text == stranger.text, "the answer says nothing about who reported")
            #expect(reporter.status == .unprocessableContent)
            #expect(try await h.auditHead() == head, "nothing filed")
        }
    }

    @Test("the case view is coarse: whole counts, rounded credibility and weight, hours, and no report ids", arguments: TestDatabase.all)
    func coarseCaseView(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let moderator = try await h.moderator("m")
            // A history for the reporters first: one upheld decision, some time ago.
            try await client.register(h, id: "old")
            for reporter in ["a", "b", "c"] { _ = try await client.report(h, reporter: reporter, subject: "old", reason: "hate_speech") }
            _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","note":"x"}"#)
            h.time.advance(seconds: 3 * 86_400 + 1_234.567)
            try await client.register(h, id: "new")
            var reportIDs: [String] = []
            for reporter in ["a", "b", "c"] {
                let filed = try await client.report(h, reporter: reporter, subject: "new", reason: "hate_speech")
                reportIDs.append(try #require(try filed.object()["report_id"] as? String))
            }
            let claimed = try await client.mod(.post, "/v1/mod/queue/next", token: moderator)
            let caseID = try #require(try claimed.object()["case_id"] as? String)
            let view = try await client.mod(.get, "/v1/mod/cases/\(caseID)", token: moderator).text
            let page = try await client.mod(.get, "/v1/mod/cases/\(caseID)/reports", token: moderator)
            for id in reportIDs {
                #expect(!view.contains(id) && !page.text.contains(id), "the reporter's own report id is not shown")
            }
            let reports = try #require(try page.object()["reports"] as? [[String: Any]])
            #expect(reports.count == 3)
            for report in reports {
                let record = try #require(report["track_record"] as? [String: Any])
                #expect(record["upheld"] as? Int == 1, "a whole count of the decayed record: \(record)")
                #expect(record["dismissed"] as? Int == 0)
                let credibility = try #require(record["credibility"] as? Double)
                #expect((credibility * 10).rounded() == credibility * 10, "\(credibility) to one decimal")
                let weight = try #require(report["weight"] as? Double)
                #expect((weight * 10).rounded() == weight * 10, "\(weight) to one decimal")
                #expect((report["received_hour"] as? String)?.hasSuffix(":00:00.000Z") == true)
                #expect(report["report_id"] == nil && report["received_at"] == nil)
            }
            // No time in the view or the page is finer than the hour, but the case's own deadlines.
            let isoTime = try Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"#)
            for match in page.text.matches(of: isoTime) { #expect(page.text[match.range].hasSuffix(":00:00.000Z")) }
        }
    }

    @Test("the case view stays small however many reports a subject gets; the reports are paged", arguments: TestDatabase.all)
    func boundedCaseView(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let moderator = try await h.moderator("m")
            try await client.register(h, id: "target")
            let reporters = 600
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in 0..<6 {
                    group.addTask {
                        for i in stride(from: batch, to: reporters, by: 6) {
                            let note = #","note":"\#(String(repeating: "n", count: 500))""#
                            let response = try await client.report(h, reporter: "flood-\(i)", subject: "target", reason: i % 3 == 0 ? "spam" : "harassment", extra: note)
                            #expect(response.status == .created)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let queue = try await client.mod(.get, "/v1/mod/queue", token: moderator)
            let caseID = try #require(((try queue.object()["cases"] as? [[String: Any]])?.first?["case_id"]) as? String)
            let view = try await client.mod(.get, "/v1/mod/cases/\(caseID)", token: moderator)
            #expect(view.status == .ok)
            #expect(view.body.readableBytes < 8_192, "\(view.body.readableBytes) bytes for \(reporters) reports")
            let summary = try #require(try view.object()["report_summary"] as? [String: Any])
            #expect(summary["total"] as? Int == reporters)
            #expect(summary["with_notes"] as? Int == reporters)

            var pseudonyms = Set<String>()
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await client.mod(.get, "/v1/mod/cases/\(caseID)/reports?limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""), token: moderator)
                #expect(page.status == .ok)
                let object = try page.object()
                for report in object["reports"] as? [[String: Any]] ?? [] { pseudonyms.insert(report["reporter"] as? String ?? "") }
                cursor = object["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 20
            #expect(pages == 6)
            #expect(pseudonyms.count == reporters, "each reporter once, each with their own pseudonym")
            let spam = try await client.mod(.get, "/v1/mod/cases/\(caseID)/reports?reason=spam&limit=100", token: moderator).object()
            #expect((spam["reports"] as? [[String: Any]])?.allSatisfy { $0["reason"] as? String == "spam" } == true)
            #expect((spam["reports"] as? [Any])?.count == 100)
        }
    }
}

@Suite("Revocation")
struct RevocationTests {
    @Test("a revoked key and a disabled moderator are refused at once on the node that revoked them", arguments: TestDatabase.all)
    func revoked(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let key = try await h.key(scopes: [.subjectsRead])
            let moderator = try await h.moderator("mona")
            #expect(try await client.execute(uri: "/v1/subjects/x", method: .get, headers: [.authorization: "Bearer \(key)"]).status == .notFound)
            #expect(try await client.mod(.get, "/v1/mod/queue", token: moderator).status == .ok)
            try await h.app.accessKeys.revoke(id: String(key.split(separator: "_")[1]))
            try await h.app.moderators.disable(name: "mona")
            #expect(try await client.execute(uri: "/v1/subjects/x", method: .get, headers: [.authorization: "Bearer \(key)"]).status == .unauthorized)
            #expect(try await client.mod(.get, "/v1/mod/queue", token: moderator).status == .unauthorized)
            #expect(try await h.app.accessKeys.list().contains { $0.revokedAt != nil })
            #expect(try await h.app.moderators.list().first { $0.name == "mona" }?.disabled == true)
            try await h.expectAuditIntact()
        }
    }
}

@Suite("Data directory permissions")
struct DataDirectoryTests {
    @Test("the data directory is 0700 and its files 0600, also when an older Vigil left them readable")
    func permissions() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-perm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // As an older Vigil left it: a world-readable directory and database.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let old = try await Store.openSQLite(path: directory.appendingPathComponent("vigil.sqlite").path)
        try await old.withRunning { _ = try await old.migrate() }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory.appendingPathComponent("vigil.sqlite").path)

        let configuration = try ServerConfiguration.resolve(flags: .init(dataDirectory: directory.path), environment: [:])
        var logger = Logger(label: "perm-test")
        logger.logLevel = .critical
        let app = try await VigilApp.open(configuration: configuration, logger: logger)
        try await app.withRunning { app in
        _ = try await app.accessKeys.create(scopes: ["reports:write"], label: "x")
        func mode(_ path: String) throws -> Int {
            try #require((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue)
        }
        #expect(try mode(directory.path) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains("vigil.sqlite") && files.contains("vigil.sqlite-wal") && files.contains("vigil.keys"), "\(files)")
        for file in files {
            #expect(try mode(directory.appendingPathComponent(file).path) & 0o077 == 0, "\(file) is readable by others")
        }
        }
    }
}

import Logging
