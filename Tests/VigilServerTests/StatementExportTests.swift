import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

@Suite("Statement-of-reasons export")
struct StatementExportTests {
    static let notice = #","channel":"illegal_content_notice","notice":{"explanation":"Unlawful","location_url":"https://e.x/v","notifier_name":"Nora Notifier","notifier_email":"nora@example.org"}"#

    @Test("every restriction becomes one valid statement; source and automation follow how it came about", arguments: TestDatabase.all)
    func export(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let moderator = try await h.moderator("m")
            // 1. Ordinary reports cross the threshold (provisional takedown), then a violation.
            try await client.register(h, id: "a", creator: "c1")
            for i in 0..<3 { _ = try await client.report(h, reporter: "user-\(i)", subject: "a", reason: "hate_speech") }
            try await h.settleTakedowns()
            _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":true,"note":"slur"}"#)
            // 2. An Art. 16 notice, decided as a violation (suppressed) — no provisional takedown.
            try await client.register(h, id: "b", creator: "c2")
            _ = try await client.report(h, reporter: "lawyer", subject: "b", reason: "ip_infringement", extra: Self.notice)
            _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["ip_infringement","spam"],"action":"suppress","note":"copied"}"#)
            // 3. A trusted flagger's report: provisional takedown, then no violation (the takedown still had a statement).
            try await client.register(h, id: "c", creator: "c3", kind: "live")
            _ = try await client.report(h, reporter: "flagger", subject: "c", reason: "hate_speech", extra: #","channel":"trusted_flagger""#)
            _ = try await client.decideNext(moderator, #"{"outcome":"no_violation","note":"fine"}"#)
            // 4. Three strikes on one creator: live access removed (the first strike's warning restricts nothing).
            for i in 0..<2 {
                try await client.register(h, id: "d\(i)", creator: "c1")
                _ = try await client.report(h, reporter: "u\(i)", subject: "d\(i)", reason: "child_safety")
                _ = try await client.report(h, reporter: "w\(i)", subject: "d\(i)", reason: "child_safety")
                try await h.settleTakedowns()
                _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","strike":true,"note":"again"}"#)
            }

            let export = StatementExport(store: h.app.store, policy: h.app.policy, keyring: h.app.keyring)
            let statements = try await export.statements(since: Timestamp(milliseconds: 0))
            let byPUID = Dictionary(uniqueKeysWithValues: statements.compactMap { s in (s["puid"] as? String).map { ($0, s) } })
            #expect(byPUID.count == statements.count, "puids are unique")
            // a: takedown + removal; b: suppression; c: takedown; d0, d1: takedown + removal each; the live-access measure.
            #expect(statements.count == 9)
            for statement in statements {
                #expect(DSAStatementValidator.validate(statement) == [])
            }
            func withVisibility(_ visibility: String) -> [[String: Any]] {
                statements.filter { ($0["decision_visibility"] as? [String])?.first == visibility }
            }
            let takedowns = withVisibility("DECISION_VISIBILITY_CONTENT_DISABLED")
            #expect(takedowns.count == 4)
            #expect(takedowns.allSatisfy { $0["automated_decision"] as? String == "AUTOMATED_DECISION_FULLY" })
            #expect(Set(takedowns.compactMap { $0["source_type"] as? String }) == ["SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_TRUSTED_FLAGGER"])
            let suppression = try #require(withVisibility("DECISION_VISIBILITY_CONTENT_DEMOTED").first)
            #expect(suppression["source_type"] as? String == "SOURCE_ARTICLE_16")
            #expect(suppression["category"] as? String == "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS")
            #expect(suppression["category_addition"] as? [String] == ["STATEMENT_CATEGORY_SCAMS_AND_FRAUD"])
            #expect(suppression["automated_decision"] as? String == "AUTOMATED_DECISION_NOT_AUTOMATED")
            let removals = withVisibility("DECISION_VISIBILITY_CONTENT_REMOVED")
            #expect(removals.count == 3)
            let provision = try #require(statements.first { $0["decision_provision"] != nil })
            #expect(provision["decision_provision"] as? String == "DECISION_PROVISION_PARTIAL_SUSPENSION")
            #expect(provision["end_date_service_restriction"] is String)
            #expect(provision["content_type"] as? [String] == ["CONTENT_TYPE_OTHER"])

            // No reporter, notifier or hash anywhere in the export.
            let (lines, count) = try await export.bulkLines(since: Timestamp(milliseconds: 0))
            #expect(count == statements.count)
            let text = lines.joined(separator: "\n")
            let hashes = try await h.app.store.read { try await $0.sql.raw("SELECT reporter_hash, reporter_seal FROM reports").all() }
            var secrets = ["user-0", "lawyer", "flagger", "Nora Notifier", "nora@example.org"]
            for row in hashes {
                secrets.append(try row.decode(column: "reporter_hash", as: String.self))
                secrets.append(try row.decode(column: "reporter_seal", as: String.self))
            }
            for secret in secrets { #expect(!text.contains(secret), "export contains \(secret)") }

            // Only what happened since the date.
            #expect(try await export.statements(since: h.app.clock.now().adding(seconds: 60)).isEmpty)
        }
    }

    @Test("bulk lines hold at most 100 statements, and each line is a valid bulk request", arguments: TestDatabase.all)
    func bulkLines(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            for i in 0..<130 {
                try await client.register(h, id: "s\(i)")
                _ = try await client.report(h, reporter: "r\(i)", subject: "s\(i)", reason: "child_safety")
                _ = try await client.report(h, reporter: "w\(i)", subject: "s\(i)", reason: "child_safety")
            }
            try await h.settleTakedowns()
            let (lines, count) = try await StatementExport(store: h.app.store, policy: h.app.policy, keyring: h.app.keyring).bulkLines(since: Timestamp(milliseconds: 0))
            #expect(count == 130)
            #expect(lines.count == 2)
            for line in lines {
                let body = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(DSAStatementValidator.validateBulk(body) == [])
            }
            #expect(((try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])?["statements"] as? [Any])?.count == 100)
        }
    }
}
