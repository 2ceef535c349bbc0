import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

@Suite("Automated detection")
struct DetectionTests {
    /// A classifier score suppresses; a stronger one takes down pending review; a hash match removes.
    static let rules = """
        version: "test-1"
        precision_floor: {floor: 0.6, min_decisions: 3}
        rules:
          - id: nudity-suppress
            title: Likely nudity
            policy: nudity
            action: suppress
            mode: live
            when:
              all:
                - signal: {type: classifier, label: nudity, score_at_least: 0.7}
                - subject: {kind: [video, live]}
          - id: nudity-takedown
            policy: nudity
            action: pending_review
            mode: live
            when: {signal: {type: classifier, label: nudity, score_at_least: 0.9}}
          - id: known-csam
            policy: child_safety
            action: remove
            mode: live
            when: {signal: {type: hash_match, label: confirmed-removals, distance_at_most: 31}}
          - id: spam-watch
            policy: spam
            action: pending_review
            mode: shadow
            when: {signal: {type: metadata, label: client, value: bulk-uploader}}
        """

    static func ruleSet(_ text: String = rules) throws -> RuleSet { try RuleSetLoader.parse(text, policy: .builtIn) }

    static func signal(_ id: String, type: String = "classifier", label: String = "nudity", score: Double? = nil, distance: Int? = nil,
                       value: String? = nil, source: String = "platform-nsfw") -> String {
        var fields = [#""id":"\#(id)""#, #""source":"\#(source)""#, #""type":"\#(type)""#, #""label":"\#(label)""#]
        if let score { fields.append(#""score":\#(score),"model":"nsfw","model_version":"3""#) }
        if let distance { fields.append(#""distance":\#(distance)"#) }
        if let value { fields.append(#""value":"\#(value)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    func push(_ client: any TestClientProtocol, _ h: Harness, subject: String, _ signals: String...) async throws -> TestResponse {
        try await client.json(.post, "/v1/subjects/\(subject)/signals", h, #"{"signals":[\#(signals.joined(separator: ","))]}"#)
    }

    // MARK: The worked example

    @Test("a score suppresses, a stronger one takes down pending review, a moderator overturns it, the rule's precision moves",
          arguments: TestDatabase.all)
    func story(database: TestDatabase) async throws {
        try await withHarness(database: database, ruleSet: try Self.ruleSet()) { client, h async throws in
            let moderator = try await h.moderator("mod")
            let admin = try await h.moderator("admin", role: .admin)
            try await client.register(h, id: "v1", creator: "creator-N")

            let first = try await push(client, h, subject: "v1", Self.signal("s1", score: 0.8))
            #expect(first.status == .created, "\(first.text)")
            #expect(try first.object()["subject_state"] as? String == "suppressed")
            #expect(try await client.state(h, of: "v1") == "suppressed")

            let second = try await push(client, h, subject: "v1", Self.signal("s2", score: 0.95))
            #expect(try second.object()["subject_state"] as? String == "pending_review")

            // One case, raised by detection, in the queue's automated filter.
            let queue = try await client.mod(.get, "/v1/mod/queue?automated=true", token: moderator).object()
            let entries = try #require(queue["cases"] as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["detected_by"] as? String == "nudity-suppress")
            #expect((try await client.mod(.get, "/v1/mod/queue?automated=false", token: moderator).object()["cases"] as? [[String: Any]])?.isEmpty == true)

            // The creator's statements: automated, the policy named, nothing of the rule or the scores.
            let notices = try await client.notices(h, creator: "creator-N")
            #expect(notices.count == 2)
            for notice in notices {
                let content = try #require(notice["content"] as? [String: Any])
                #expect(content["automated_detection"] as? Bool == true)
                #expect(content["automated_decision"] as? Bool == true)
                let text = String(decoding: try JSONSerialization.data(withJSONObject: notice), as: UTF8.self)
                for secret in ["nudity-suppress", "nudity-takedown", "0.8", "0.95", "0.7", "0.9", "platform-nsfw", "nsfw", "s1", "s2"] {
                    #expect(!text.contains("\"\(secret)\"") && !text.contains(" \(secret)"), "notice mentions \(secret): \(text)")
                }
                #expect(text.contains("Nudity and sexual content"))
            }

            // The case page shows the signals and the matches.
            let claimed = try await client.mod(.post, "/v1/mod/queue/next", token: moderator)
            let caseID = try claimed.decode(API.Claim.self).caseId
            let overview = try await client.mod(.get, "/v1/mod/cases/\(caseID)", token: moderator).object()
            let detection = try #require(overview["detection"] as? [String: Any])
            #expect((detection["signals"] as? [[String: Any]])?.count == 2)
            #expect(Set((detection["matches"] as? [[String: Any]])?.compactMap { $0["rule_id"] as? String } ?? []) == ["nudity-suppress", "nudity-takedown"])

            // The moderator finds no violation: reinstated, and both matches count as overturned.
            let decided = try await client.mod(.post, "/v1/mod/cases/\(caseID)/decision", token: moderator, #"{"outcome":"no_violation","note":"art"}"#)
            #expect(decided.status == .created, "\(decided.text)")
            #expect(try await client.state(h, of: "v1") == "visible")
            let stats = try await client.mod(.get, "/v1/mod/rules", token: admin)
            #expect(stats.status == .ok, "\(stats.text)")
            let rules = try #require(try stats.object()["rules"] as? [[String: Any]])
            let suppress = try #require(rules.first { $0["id"] as? String == "nudity-suppress" })
            #expect(suppress["hits"] as? Int == 1)
            #expect(suppress["overturned"] as? Int == 1)
            #expect(suppress["precision"] as? Double == 0)
            #expect((suppress["precision_high"] as? Double ?? 0) > 0.5, "one decision says little: the interval is wide")
            #expect(try await client.mod(.get, "/v1/mod/rules", token: moderator).status == .forbidden)

            // The same signals again change nothing: recorded once per (source, id), and a rule acts on a subject once.
            let again = try await push(client, h, subject: "v1", Self.signal("s1", score: 0.8), Self.signal("s2", score: 0.95))
            #expect(again.status == .ok)
            #expect(try again.object()["duplicates"] as? Int == 2)
            #expect(try await client.state(h, of: "v1") == "visible")

            // Every automated restriction is in the DSA export, valid, marked automated.
            let statements = try await StatementExport(store: h.app.store, policy: h.app.policy, keyring: h.app.keyring).statements(since: Timestamp(milliseconds: 0))
            #expect(statements.count == 2)
            for statement in statements {
                #expect(DSAStatementValidator.validate(statement) == [])
                #expect(statement["automated_detection"] as? String == "Yes")
                #expect(statement["automated_decision"] as? String == "AUTOMATED_DECISION_FULLY")
                #expect(statement["source_type"] as? String == "SOURCE_VOLUNTARY")
            }
            try await h.expectAuditIntact()
        }
    }

    @Test("a hash match removes at once, with a case; the moderator's violation decision is exported as partially automated")
    func hashMatchRemoves() async throws {
        try await withHarness(ruleSet: try Self.ruleSet()) { client, h async throws in
            let moderator = try await h.moderator("mod")
            try await client.register(h, id: "reupload", creator: "creator-R")
            let pushed = try await push(client, h, subject: "reupload", Self.signal("m1", type: "hash_match", label: "confirmed-removals", distance: 12, source: "platform-pdq"))
            #expect(try pushed.object()["subject_state"] as? String == "removed")
            _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","strike":true,"note":"match confirmed"}"#)
            let statements = try await StatementExport(store: h.app.store, policy: h.app.policy, keyring: h.app.keyring).statements(since: Timestamp(milliseconds: 0))
            let decisions = statements.filter { ($0["puid"] as? String)?.hasPrefix("dec_") == true }
            #expect(decisions.count == 1)
            #expect(decisions.first?["automated_detection"] as? String == "Yes")
            #expect(decisions.first?["automated_decision"] as? String == "AUTOMATED_DECISION_PARTIALLY")
            for statement in statements { #expect(DSAStatementValidator.validate(statement) == []) }
            let stats = try await h.app.store.read { try await $0.ruleStats(ruleSetVersion: "test-1") }
            #expect(stats["known-csam"]?.upheld == 1)
        }
    }

    // MARK: Modes, caps and demotion

    @Test("a shadow rule changes nothing, and a moderator's decision on a reported subject still counts for it")
    func shadowIsMeasured() async throws {
        try await withHarness(ruleSet: try Self.ruleSet()) { client, h async throws in
            let moderator = try await h.moderator("mod")
            try await client.register(h, id: "spammy", creator: "creator-S")
            let pushed = try await push(client, h, subject: "spammy", Self.signal("c1", type: "metadata", label: "client", value: "bulk-uploader", source: "platform"))
            #expect(try pushed.object()["subject_state"] as? String == "visible")
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 0)
            // Reports bring a case; the moderator upholds it; the shadow rule gets the credit.
            for i in 0..<3 { _ = try await client.report(h, reporter: "r\(i)", subject: "spammy", reason: "hate_speech") }
            _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["spam"],"action":"remove","note":"spam"}"#)
            let stats = try await h.app.store.read { try await $0.ruleStats(ruleSetVersion: "test-1") }
            #expect(stats["spam-watch"] == RuleStats(ruleID: "spam-watch", hits: 1, actions: 0, upheld: 1, overturned: 0, appealsGranted: 0))
        }
    }

    @Test("past its daily cap a rule escalates instead of acting")
    func dailyCap() async throws {
        let capped = """
            version: capped
            rules:
              - id: cap
                policy: nudity
                action: pending_review
                mode: live
                daily_cap: 2
                when: {signal: {type: classifier, label: nudity, score_at_least: 0.5}}
            """
        try await withHarness(ruleSet: try Self.ruleSet(capped)) { client, h async throws in
            var states: [String] = []
            for i in 0..<4 {
                try await client.register(h, id: "v\(i)", creator: "c\(i)")
                states.append(try await push(client, h, subject: "v\(i)", Self.signal("s\(i)", score: 0.9)).object()["subject_state"] as? String ?? "")
            }
            #expect(states == ["pending_review", "pending_review", "visible", "visible"])
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 4, "an escalation still opens a case")
            let matches = try await h.app.store.read { try await $0.ruleMatches(subjectID: "v3", limit: 5) }
            #expect(matches.first?.action == .escalate)
            #expect(matches.first?.declaredAction == .pendingReview)
        }
    }

    @Test("a rule whose precision falls below the floor is switched to shadow, as an event", arguments: TestDatabase.all)
    func demotion(database: TestDatabase) async throws {
        try await withHarness(database: database, ruleSet: try Self.ruleSet()) { client, h async throws in
            let moderator = try await h.moderator("mod")
            let admin = try await h.moderator("admin", role: .admin)
            // Three matches, all overturned: precision 0 over 3 decisions, floor 0.6 over at least 3.
            for i in 0..<3 {
                try await client.register(h, id: "v\(i)", creator: "c\(i)")
                _ = try await push(client, h, subject: "v\(i)", Self.signal("s\(i)", score: 0.75))
                _ = try await client.decideNext(moderator, #"{"outcome":"no_violation","note":"fine"}"#)
            }
            let rules = try #require(try await client.mod(.get, "/v1/mod/rules", token: admin).object()["rules"] as? [[String: Any]])
            let rule = try #require(rules.first { $0["id"] as? String == "nudity-suppress" })
            #expect(rule["mode"] as? String == "shadow")
            #expect(rule["file_mode"] as? String == "live")
            #expect((rule["mode_reason"] as? String)?.contains("below the floor") == true)
            // Now it matches and records, but acts no more.
            try await client.register(h, id: "v9", creator: "c9")
            let pushed = try await push(client, h, subject: "v9", Self.signal("s9", score: 0.75))
            #expect(try pushed.object()["subject_state"] as? String == "visible")
            let changed = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 10_000) }.filter { $0.type == AuditEventType.ruleModeChanged.rawValue }
            #expect(changed.count == 1)
            try await h.expectAuditIntact()
        }
    }

    @Test("a suppression no moderator reviews is an automated decision the creator can appeal; granting it counts against the rule")
    func unreviewedSuppressionIsAppealable() async throws {
        let unreviewed = """
            version: unreviewed
            rules:
              - id: quiet
                policy: spam
                action: suppress
                mode: live
                review: false
                when: {signal: {type: classifier, label: spam, score_at_least: 0.5}}
            """
        try await withHarness(ruleSet: try Self.ruleSet(unreviewed)) { client, h async throws in
            let reviewer = try await h.moderator("reviewer", role: .appeals)
            try await client.register(h, id: "v", creator: "creator-Q")
            _ = try await push(client, h, subject: "v", Self.signal("s", label: "spam", score: 0.8))
            #expect(try await client.state(h, of: "v") == "suppressed")
            #expect(try await h.app.store.read { try await $0.openCaseCount() } == 0)
            let notice = try #require(try await client.notices(h, creator: "creator-Q").first?["content"] as? [String: Any])
            let decisionID = try #require(notice["appealable_decision_id"] as? String)
            #expect(notice["automated_decision"] as? Bool == true)

            let filed = try await client.json(.post, "/v1/appeals", h, #"{"decision_id":"\#(decisionID)","creator_id":"creator-Q","statement":"Not spam."}"#)
            #expect(filed.status == .created, "\(filed.text)")
            let appealID = try #require(try filed.object()["appeal_id"] as? String)
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: reviewer).status == .ok)
            let decided = try await client.mod(.post, "/v1/mod/appeals/\(appealID)/decision", token: reviewer, #"{"outcome":"granted","note":"a sale post"}"#)
            #expect(decided.status == .ok, "\(decided.text)")
            #expect(try await client.state(h, of: "v") == "visible")
            let stats = try await h.app.store.read { try await $0.ruleStats(ruleSetVersion: "unreviewed") }
            #expect(stats["quiet"] == RuleStats(ruleID: "quiet", hits: 1, actions: 1, upheld: 0, overturned: 1, appealsGranted: 1))

            let statements = try await StatementExport(store: h.app.store, policy: h.app.policy, keyring: h.app.keyring).statements(since: Timestamp(milliseconds: 0))
            #expect(statements.count == 1)
            #expect(statements.first?["automated_decision"] as? String == "AUTOMATED_DECISION_FULLY")
            #expect(statements.first.map(DSAStatementValidator.validate) == [])
        }
    }

    // MARK: Automation as corroboration

    @Test("a lone report takes nothing down; with a detection rule's finding of the same category it does, after the settle period",
          arguments: TestDatabase.all)
    func detectionCorroboratesReports(database: TestDatabase) async throws {
        let escalating = """
            version: corroboration
            rules:
              - id: partner-hash
                policy: child_safety
                action: escalate
                mode: live
                when: {signal: {type: hash_match, label: partner-bank, distance_at_most: 31}}
              - id: nudity-watch
                policy: nudity
                action: escalate
                mode: live
                when: {signal: {type: classifier, label: nudity, score_at_least: 0.5}}
            """
        try await withHarness(database: database, ruleSet: try Self.ruleSet(escalating)) { client, h async throws in
            for id in ["matched", "unmatched", "other-category"] { try await client.register(h, id: id, creator: "creator-\(id)") }
            _ = try await push(client, h, subject: "matched", Self.signal("m", type: "hash_match", label: "partner-bank", distance: 20, source: "partner"))
            _ = try await push(client, h, subject: "other-category", Self.signal("n", score: 0.8))
            #expect(try await client.state(h, of: "matched") == "visible", "the rule escalates: a case, no restriction")
            for id in ["matched", "unmatched", "other-category"] {
                #expect(try await client.report(h, reporter: "one-person-\(id)", subject: id, reason: "child_safety").status == .created)
            }
            #expect(try await client.state(h, of: "matched") == "visible", "an unvetted voice waits out the settle period")
            try await h.settleTakedowns()
            #expect(try await client.state(h, of: "matched") == "pending_review", "one credible report and the hash match corroborate each other")
            #expect(try await client.state(h, of: "unmatched") == "visible", "a lone ordinary report takes nothing down")
            #expect(try await client.state(h, of: "other-category") == "visible", "a finding of another category corroborates nothing")
            // A decision spends the finding with the reports.
            let moderator = try await h.moderator("mod")
            let caseID = try #require(try await h.app.store.read { try await $0.openCases(subjectIDs: ["matched"]) }["matched"]?.id)
            _ = try await client.mod(.post, "/v1/mod/cases/\(caseID)/claim", token: moderator)
            _ = try await client.mod(.post, "/v1/mod/cases/\(caseID)/decision", token: moderator, #"{"outcome":"no_violation","note":"not a match"}"#)
            #expect(try await h.app.store.read { try await $0.subject(id: "matched") }?.detectedCategories == [])
        }
    }

    // MARK: The built-in text classifier

    @Test("the built-in classifier scores a comment's text when it is registered; a live rule on it acts")
    func builtInClassifierOnRegistration() async throws {
        let live = """
            version: text
            rules:
              - id: abusive-comment
                policy: harassment
                action: suppress
                mode: live
                when:
                  all:
                    - signal: {type: classifier, label: profanity, source: vigil, score_at_least: 0.9}
                    - subject: {kind: comment}
            """
        try await withHarness(ruleSet: try Self.ruleSet(live), textClassifier: true) { client, h async throws in
            for (id, text) in [("kind", "What a lovely video, thank you for sharing"), ("rude", "you are a fucking idiot, shut up")] {
                let response = try await client.json(.put, "/v1/subjects/\(id)", h, #"{"kind":"comment","creator_id":"c-\#(id)","text":"\#(text)"}"#)
                #expect(response.status == .created, "\(response.text)")
            }
            #expect(try await client.state(h, of: "kind") == "visible")
            #expect(try await client.state(h, of: "rude") == "suppressed")
            let signals = try await h.app.store.read { try await $0.signals(subjectID: "rude", limit: 10) }
            #expect(signals.count == 1)
            #expect(signals.first?.model == "alt-profanity-check")
            #expect((signals.first?.score ?? 0) > 0.9)
            // Registering the same text again classifies nothing new.
            _ = try await client.json(.put, "/v1/subjects/rude", h, #"{"kind":"comment","creator_id":"c-rude","text":"you are a fucking idiot, shut up","reach":{"views":5}}"#)
            #expect(try await h.app.store.read { try await $0.signals(subjectID: "rude", limit: 10) }.count == 1)
        }
    }

    @Test("Swift scores agree with the Python original on 4,000 texts")
    func classifierAgreesWithPython() throws {
        let classifier = try BuiltInClassifiers.text()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/profanity-scores.tsv")
        // The first line is a header; texts may begin with '#' themselves.
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(lines.count == 4_000)
        var worst = 0.0
        var positives = 0
        for line in lines {
            guard let tab = line.lastIndex(of: "\t"), let expected = Double(line[line.index(after: tab)...]) else {
                Issue.record("bad fixture line: \(line)")
                continue
            }
            let text = Self.unescape(String(line[..<tab]))
            let score = classifier.score(text)
            worst = max(worst, abs(score - expected))
            if expected >= 0.5 { positives += 1 }
            #expect(abs(score - expected) < 1e-9, "'\(text)': Swift \(score), Python \(expected)")
        }
        #expect(positives > 500, "the sample holds offensive texts too (\(positives))")
        print("classifier agreement: \(lines.count) texts, largest difference \(worst)")
    }

    @Test("tokens are Python's (?u)\\b\\w\\w+\\b on the lowercased text")
    func tokens() {
        #expect(LinearTextClassifier.tokens("Don't STOP, snake_case x1 a é naïve 日本語 ΟΔΟΣ") == ["don", "stop", "snake_case", "x1", "naïve", "日本語", "οδος"])
        // A combining accent is not a word character in Python's re: it splits the word.
        #expect(LinearTextClassifier.tokens("cafe\u{301}s") == ["cafe"])
        // Python lowercases İ to i and a combining dot, which splits it off as well.
        #expect(LinearTextClassifier.tokens("İstanbul") == ["stanbul"])
        #expect(LinearTextClassifier.tokens("") == [])
    }

    static func unescape(_ text: String) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    // MARK: Bad input

    static let badSignals: [(body: String, field: String)] = [
        (#"{"signals":[]}"#, "signals"),
        (#"{"signals":[{"id":"a","source":"p","type":"classifier","label":"x","score":1.5,"model":"m"}]}"#, "signals[0].score"),
        (#"{"signals":[{"id":"a","source":"p","type":"classifier","label":"x","model":"m"}]}"#, "signals[0].score"),
        (#"{"signals":[{"id":"a","source":"p","type":"classifier","label":"x","score":0.5}]}"#, "signals[0].model"),
        (#"{"signals":[{"id":"a","source":"p","type":"hash_match","label":"bank","distance":257}]}"#, "signals[0].distance"),
        (#"{"signals":[{"id":"a","source":"p","type":"hash_match","label":"bank","distance":3,"score":0.2}]}"#, "signals[0].score"),
        (#"{"signals":[{"id":"a","source":"p","type":"weather","label":"x"}]}"#, "signals[0].type"),
        (#"{"signals":[{"id":"a","source":"vigil","type":"metadata","label":"x","value":"y"}]}"#, "signals[0].source"),
        (#"{"signals":[{"id":"","source":"p","type":"metadata","label":"x","value":"y"}]}"#, "signals[0].id"),
        (#"{"signals":[{"id":"a","source":"p","type":"metadata","label":"x","value":"y","colour":"red"}]}"#, "signals[].colour"),
        (#"{"signals":[{"id":"a","source":"p","type":"metadata","label":"x","value":"y"},{"id":"b","source":"p","type":"metadata","label":"x"}]}"#, "signals[1].value"),
        (#"{"signals":[{"id":"a","source":"p","type":"hash_match","label":"bank","distance":1e30}]}"#, "signals[0].distance"),
        // A fraction where fractions belong is not mistaken for the number at fault.
        (#"{"signals":[{"id":"a","source":"p","type":"classifier","label":"x","score":0.5,"model":"m"},{"id":"b","source":"p","type":"hash_match","label":"b","distance":2.5}]}"#, "signals[1].distance"),
    ]

    @Test("malformed signals are refused with a problem naming the field, and nothing is written", arguments: TestDatabase.all)
    func badSignals(database: TestDatabase) async throws {
        try await withHarness(database: database, ruleSet: try Self.ruleSet()) { client, h async throws in
            try await client.register(h, id: "v", creator: "c")
            let limited = try await h.key(scopes: [.subjectsWrite])
            let head = try await h.auditHead()
            for (body, field) in Self.badSignals {
                let response = try await client.json(.post, "/v1/subjects/v/signals", h, body)
                #expect(response.status == .badRequest || response.status == .unprocessableContent, "\(body): \(response.status)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try response.object()["field"] as? String == field, "\(body): \(response.text)")
            }
            let tooMany = "{\"signals\":[" + (0...100).map { Self.signal("s\($0)", score: 0.1) }.joined(separator: ",") + "]}"
            #expect(try await client.json(.post, "/v1/subjects/v/signals", h, tooMany).object()["field"] as? String == "signals")
            #expect(try await client.json(.post, "/v1/subjects/nobody/signals", h, #"{"signals":[\#(Self.signal("s", score: 0.9))]}"#).status == .notFound)
            let refused = try await client.execute(uri: "/v1/subjects/v/signals", method: .post,
                                                   headers: [.authorization: "Bearer \(limited)", .contentType: "application/json"],
                                                   body: ByteBuffer(string: #"{"signals":[\#(Self.signal("s", score: 0.9))]}"#))
            #expect(refused.status == .forbidden)
            #expect(try await h.auditHead() == head)
            #expect(try await h.app.store.read { try await $0.signals(subjectID: "v", limit: 10) }.isEmpty)
        }
    }

    @Test("a rule file's every problem is listed with its path")
    func badRuleFile() throws {
        let bad = """
            version: "x"
            colour: red
            rules:
              - id: Bad Id
                policy: no_such_policy
                action: obliterate
                when: {signal: {type: classifier, score_at_least: 2, distance_at_most: 3}}
              - id: ok
                policy: spam
                action: escalate
                mode: live
                review: false
                daily_cap: 0
                when: {all: [{subject: {kind: [video, hologram]}}, {maybe: {}}]}
              - id: ok
                policy: spam
                action: allow
                mode: live
                when: {not: {not: {not: {not: {not: {not: {not: {not: {not: {not: {not: {not: {not: {not: {not: {not: {subject: {kind: video}}}}}}}}}}}}}}}}}}
            """
        do {
            _ = try RuleSetLoader.parse(bad, policy: .builtIn)
            Issue.record("a bad rule file was accepted")
        } catch let invalid as RuleSetLoader.Invalid {
            let expected = [
                "colour:", "rules[0].id:", "rules[0].policy:", "rules[0].action:", "rules[0].mode:", "rules[0].when.signal.score_at_least:",
                "rules[0].when.signal.distance_at_most:", "rules[1].review:", "rules[1].daily_cap:", "rules[1].when.all[0].subject.kind:",
                "rules[1].when.all[1].maybe:", "rules[2].id:", "nested deeper than 16",
            ]
            for fragment in expected {
                #expect(invalid.problems.contains { $0.contains(fragment) }, "no problem mentions \(fragment): \(invalid.problems)")
            }
        }
        let good = try Self.ruleSet()
        #expect(good.rules.map(\.id) == ["nudity-suppress", "nudity-takedown", "known-csam", "spam-watch"])
        #expect(good.precisionFloor == PrecisionFloor(floor: 0.6, minDecisions: 3))
    }
}
